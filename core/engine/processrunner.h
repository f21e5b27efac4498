#pragma once

#include "engine/processledger.h"
#include "run/buildlog.h"
#include "run/processrecord.h"

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

    // The process ledger (processledger.h): every process of the tree recorded with its
    // exact peak. Linux: ptrace, on by default; macOS: kqueue. Turn it off for a step
    // that itself traces its children (strace, gdb, rr, a LeakSanitizer-instrumented
    // program, which ptraces itself at exit): a process has at most one tracer, and under
    // the ledger it is the ledger. Off, the step runs untraced: no records, and its peak
    // is only the engine's sampled tree sum.
    bool traceProcesses = true;
    // Records' times count from here (the run's clock); unset: from the start of run().
    std::optional<std::chrono::steady_clock::time_point> clockOrigin;
    LiveProcessSet* liveProcesses = nullptr; // optional: the tree's live pids while run() runs, for other threads
    ProcessRecordHandler onRecord; // optional: on the ledger's thread as each record starts and ends; keep it cheap
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
    // The largest per-process peak among `processes` (exact peaks, and the last values read
    // of processes whose exit could not be seen): memory of the build's own images only,
    // never pages inherited from the engine before exec. 0 when untraced: wait4's
    // ru_maxrss is not used, as it folds the parent's high-water mark into a vfork child's
    // at exec; the engine's sampled tree sum is then the only figure.
    std::uint64_t maxRssBytes = 0;
    std::vector<ProcessRecord> processes; // the ledger: every process of the tree, in start order
    std::string ledgerNote; // why the ledger is off, if it is
    std::string error; // FailedToStart: why
};

// Runs one child process in its own process group, feeding its stdout and stderr to a
// handler line by line (a line longer than BuildLog::kMaxLineBytes arrives in parts).
// On timeout or cancel the whole group - and, traced, every live process of the tree -
// gets SIGTERM, then SIGKILL after the grace period. When the child exits, whatever is
// left of its group and (traced) of its tree, daemons that left the group included, is
// killed and reaped: a step leaves no processes, no zombies and no stopped processes.
// The child dies with the engine (PTRACE_O_EXITKILL traced, PR_SET_PDEATHSIG untraced).
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
