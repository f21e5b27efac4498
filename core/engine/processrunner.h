#pragma once

#include "run/buildlog.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace buildscope {

struct ProcessSpec
{
    std::vector<std::string> argv; // argv[0] is looked up in PATH when it has no '/'
    std::filesystem::path workingDirectory;
    std::vector<std::string> environment; // "NAME=value", the child's whole environment
    int stdinFd = -1; // -1: /dev/null
    std::optional<std::chrono::milliseconds> timeout;
    std::chrono::milliseconds killGrace {3000}; // SIGTERM to SIGKILL
};

struct ProcessOutcome
{
    enum class End
    {
        Exited,
        Signaled,
        TimedOut,
        Cancelled,
        FailedToStart
    };
    End end = End::FailedToStart;
    int exitCode = -1; // Exited
    int signal = 0; // Signaled, or the signal that ended a timed-out/cancelled process
    double userCpuSeconds = 0; // the process and every descendant it waited for
    double systemCpuSeconds = 0;
    std::uint64_t maxRssBytes = 0; // largest single-process RSS in the tree (ru_maxrss)
    std::string error; // FailedToStart: why
};

// Runs one child process in its own process group, feeding its stdout and stderr to a
// handler line by line (a line longer than BuildLog::kMaxLineBytes arrives in parts).
// On timeout or cancel the whole group gets SIGTERM, then SIGKILL after the grace
// period. When the child exits, whatever is left of its group is killed and every
// member this process can reap is reaped: a step leaves no processes and no zombies.
class ProcessRunner
{
public:
    using LineHandler = std::function<void(LogStream stream, std::string_view line)>;
    using StartedHandler = std::function<void(pid_t pid)>;

    static ProcessOutcome run(const ProcessSpec& spec, const LineHandler& onLine, const std::atomic<bool>& cancel,
        const StartedHandler& onStarted = {});

    // Makes this process the reaper of orphaned descendants (Linux PR_SET_CHILD_SUBREAPER),
    // so grandchildren that outlive their parent can still be reaped. Call once at start-up.
    static void becomeSubreaper();

    // Full path of an executable found in PATH, or empty.
    static std::string findInPath(std::string_view program);
};

std::vector<std::string> currentEnvironment();

} // namespace buildscope
