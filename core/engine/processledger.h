#pragma once

#include "engine/liveprocessset.h"
#include "run/processrecord.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <sys/resource.h>
#include <sys/types.h>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace buildscope {

enum class ProcessRecordEvent
{
    Started, // the record's image is known (exec), or a forked child became a record of its own
    Ended // the image ended (exit, signal, or replaced by an exec): the record is final
};
using ProcessRecordHandler = std::function<void(ProcessRecordEvent event, const ProcessRecord& record)>;

// What to start: the same as ProcessSpec, with the output pipes already made.
struct ProcessLaunch
{
    std::vector<std::string> argv; // argv[0] is looked up in PATH when it has no '/'
    std::filesystem::path workingDirectory;
    std::vector<std::string> environment; // the child's whole environment
    int stdinFd = -1; // -1: /dev/null
    int stdoutFd = -1;
    int stderrFd = -1;
};

// The process ledger: starts a step's root process and records every process of its
// tree - including ones that live a millisecond - with its exact peak resident memory
// after exec (ProcessRecord, docs/METRICS.md "Per-process peaks (the ledger)").
//
// Linux (processledger_linux.cpp): ptrace with event stops only (fork, vfork, clone,
// exec, exit; never per system call). macOS (processledger_macos.cpp): kqueue
// EVFILT_PROC and proc_pid_rusage. Elsewhere, or with tracing off or impossible, the
// root runs untraced: no records, note() says why.
//
// One thread of the ledger's own starts the root and waits for every process of the
// tree: ptrace requests must come from the tracer thread, and the thread that forks is
// the parent the kernel tells about the root. The root is forked with only
// async-signal-safe calls before exec: own process group, stdio, working directory,
// PR_SET_PDEATHSIG(SIGKILL) (Linux), default signal dispositions and an empty mask; when
// traced it then waits on a pipe until the ledger has seized it (PTRACE_SEIZE, so group
// stops keep their meaning through PTRACE_LISTEN), so it is followed from its first
// instruction after exec. PTRACE_O_EXITKILL kills every traced process if the engine
// dies; PR_SET_PDEATHSIG does it for an untraced root.
//
// Usage (ProcessRunner::run): start(), then from the caller's thread signalTree() on
// timeout or cancel and rootExited()/waitForRootExit(), then finish(), then the results.
class ProcessLedger
{
public:
    using Clock = std::chrono::steady_clock;

    struct Options
    {
        bool trace = true;
        Clock::time_point origin {}; // ProcessRecord times are seconds since this
        LiveProcessSet* live = nullptr; // optional mirror of the live pids, for other threads
        ProcessRecordHandler onRecord; // optional; called on the ledger's thread, so keep it cheap
    };

    explicit ProcessLedger(Options options);
    ~ProcessLedger(); // finish()es if the caller did not
    ProcessLedger(const ProcessLedger&) = delete;
    ProcessLedger& operator=(const ProcessLedger&) = delete;

    struct Started
    {
        pid_t pid = -1; // > 0: the root has exec'd its program
        std::string error; // otherwise: why it could not start
    };
    // Starts the root and returns once it has exec'd its program or failed to. Once only.
    Started start(const ProcessLaunch& launch);

    // Any thread, after start().
    bool tracing() const { return m_tracing.load(std::memory_order_acquire); }
    bool rootExited() const { return m_rootExited.load(std::memory_order_acquire); }
    bool waitForRootExit(std::chrono::milliseconds timeout); // true once the root has exited
    // Sends `signal` to the root's process group and to every live process of the tree
    // (a daemon that left the group included). SIGKILL also kills every process that
    // appears afterwards, and first reads each victim's peak so far: a process killed by
    // SIGKILL gets no exit stop.
    void signalTree(int signal);
    // Kills whatever is left of the tree and waits until every traced process has been
    // reaped (none is left running, stopped or a zombie), then joins the ledger's thread.
    void finish();

    // After finish().
    int rootWaitStatus() const { return m_rootStatus; }
    const rusage& rootUsage() const { return m_rootUsage; } // the root and the descendants it waited for
    std::vector<ProcessRecord> takeRecords(); // in the order their processes started
    const std::string& note() const { return m_note; } // why the ledger is off or incomplete; empty if neither

    // Whether this platform has a ledger at all.
    static bool supported();

private:
    friend class KqueueFollower; // the macOS ledger's event logic (kqueuefollower.h) keeps records here

    // Per process the ledger follows (ledger thread only).
    struct Tracked
    {
        std::size_t record = 0; // index in m_records of its current image
        std::size_t inheritFrom = kNone; // forked, not exec'd: the record whose image it runs
        std::vector<pid_t> threads; // live threads other than the leader
        std::uint64_t peakBytes = 0; // read at the exit stop of the current image (peakExact)
        bool peakExact = false;
        std::uint64_t lastPeakBytes = 0; // read while it ran
        Clock::time_point lastPeakRead {};
        double baseUser = 0; // the process's CPU when the current image began (exec chains)
        double baseSystem = 0;
        double exitUser = 0; // read at the exit stop when exitCpuKnown
        double exitSystem = 0;
        bool exitCpuKnown = false;
        bool hadChildren = false; // ever forked a process: its wait status usage then counts them
        bool forkedSinceExec = false;
        bool published = false; // Started reported for the current record
        bool killSent = false;
        bool leaderExited = false;
    };
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    struct TracerState; // platform part
    struct TracerStateDeleter
    {
        void operator()(TracerState* state) const;
    };

    void threadMain(const ProcessLaunch& launch);
    std::string readStartError(); // why the root could not exec, or empty once it has
    void reportStart(pid_t pid, std::string error);
    void reportRootExit(int status, const rusage& usage);
    double secondsNow() const;

    // Platform part, ledger thread only.
    bool attach(pid_t root); // follow the root (forked, waiting for the barrier); false: cannot, m_note says why
    void follow(); // serve the tree's stops until every traced process has been reaped
    void reapInherited(); // the caller's thread, once the ledger's has ended: zombies handed to this subreaper
    static std::uint64_t readPeakBytes(pid_t pid); // the process's peak so far, 0 if unreadable (any thread)

    // Record keeping shared by the platforms, ledger thread only.
    Tracked& trackProcess(pid_t pid, pid_t parent); // a new process (fork), alive and in the live set
    bool execFolds(const Tracked& process) const; // an exec now would fold the fork prelude (no new record)
    std::size_t beginImage(pid_t pid, Tracked& process, double processUser, double processSystem); // exec
    void endProcess(pid_t pid, Tracked& process, int waitStatus, const rusage& usage);
    void publish(Tracked& process, ProcessRecordEvent event);
    void materialize(Tracked& process);
    void leaving(pid_t pid); // out of the live set: it is on its way out (exit stop)
    void untrack(pid_t pid); // reaped
    void dropRoot();
    bool killing() const { return m_killing.load(std::memory_order_acquire); }
    void killIfKilling(pid_t pid, Tracked& process);

    Options m_options;
    std::thread m_thread;
    std::unique_ptr<TracerState, TracerStateDeleter> m_tracer;

    // Start hand-over: written by the ledger thread, read by start().
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_startDone = false;
    Started m_started;
    int m_errorPipe = -1; // read end: the child writes why it could not start
    std::atomic<bool> m_tracing {false};
    std::atomic<bool> m_rootExited {false};
    pid_t m_root = -1;
    bool m_rootExeced = false;
    bool m_dropRootRecord = false;
    std::string m_program; // for error messages
    std::filesystem::path m_directory;

    // The tree: the live pids (authoritative copy), guarded by m_treeMutex so that a kill
    // sweep and a fork never miss each other.
    std::mutex m_treeMutex;
    std::unordered_set<pid_t> m_live;
    std::unordered_map<pid_t, std::uint64_t> m_sweptPeaks; // VmHWM read just before a SIGKILL sweep
    std::atomic<bool> m_killing {false};

    // Ledger thread until finish() joins it, then the caller's.
    std::unordered_map<pid_t, Tracked> m_tracked;
    std::vector<ProcessRecord> m_records;
    std::string m_note;
    int m_rootStatus = 0;
    rusage m_rootUsage {};
    bool m_finished = false;
};

} // namespace buildscope
