#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace buildscope {

// What one git command printed and how it ended.
struct GitOutput
{
    bool started = false; // false: git is not installed, or could not be started
    bool timedOut = false;
    bool cancelled = false;
    int exitCode = -1; // git's exit status when it exited
    std::vector<std::string> out; // stdout, one entry a line
    std::vector<std::string> err; // stderr, one entry a line

    bool ok() const noexcept { return started && !timedOut && exitCode == 0; }
    std::string errorText() const; // stderr joined, or why git did not run
};

// Runs `git ARGS...` in `directory` through the ProcessRunner, untraced, with a timeout
// and an environment in which the caller's GIT_DIR, GIT_WORK_TREE, ... (set when
// BuildScope itself runs from a git hook) cannot point git at another repository, and
// LC_ALL=C so its messages can be read. `cancel` (optional), when set, stops git.
GitOutput runGit(const std::filesystem::path& directory, const std::vector<std::string>& args,
    std::chrono::milliseconds timeout = std::chrono::milliseconds(10000), const std::atomic<bool>* cancel = nullptr);

bool gitInstalled();

} // namespace buildscope
