#pragma once

#include <atomic>
#include <filesystem>
#include <string>

namespace buildscope {

class GitRepository;

// A detached `git worktree` of the repository in a temporary directory, where a bisection
// checks out and builds commits: the user's own work tree, its index and its uncommitted
// changes are never touched. The destructor removes it (`git worktree remove --force`,
// `git worktree prune`, then the directory), so errors and Ctrl-C leave nothing behind.
class ScratchWorktree
{
public:
    // BisectError when the directory or the worktree cannot be created. `cancel` (a
    // signal handler's flag) stops git's add, clean and checkout, never the removal.
    ScratchWorktree(const GitRepository& repository, const std::string& commit, const std::atomic<bool>& cancel);
    ~ScratchWorktree();
    ScratchWorktree(const ScratchWorktree&) = delete;
    ScratchWorktree& operator=(const ScratchWorktree&) = delete;

    const std::filesystem::path& root() const noexcept { return m_root; }

    // Checks out `commit`, after removing whatever the previous build left (untracked and
    // ignored files included), so every commit is built from the same clean state.
    void checkout(const std::string& commit);

    // Removes it now (the destructor's work); the first problem is returned, empty if none.
    std::string remove();

private:
    std::filesystem::path m_repository; // the user's work tree, where git is asked to remove it
    std::filesystem::path m_directory; // the temporary directory
    std::filesystem::path m_root; // the worktree inside it
    const std::atomic<bool>& m_cancel;
    bool m_removed = false;
};

} // namespace buildscope
