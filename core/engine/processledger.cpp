// The platform-independent part of the process ledger: starting the root, the hand-over
// between the ledger's thread and the caller, and the record keeping (the exec rule).
// Following the tree is in processledger_linux.cpp (ptrace) and processledger_macos.cpp
// (kqueue); on any other system the root runs untraced.
#include "engine/processledger.h"

#include "engine/processrunner.h"
#include "io/closeonexec.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/prctl.h>
#endif

namespace buildscope {

// ---------------------------------------------------------------------------------------
// Starting the root

namespace {

// What the child reports through the error pipe before it gives up (then _exit(127)).
// A successful exec closes the pipe (O_CLOEXEC) without writing: EOF means started.
struct ChildFailure
{
    enum Stage : int
    {
        ProcessGroup,
        Stdio,
        WorkingDirectory,
        Exec
    };
    int stage = Exec;
    int error = 0;
};

// Everything the child needs, prepared before fork(): in the child of a multithreaded
// process only async-signal-safe calls are allowed until exec (no allocation, no locks).
struct ChildSetup
{
    const char* program = nullptr; // resolved path, or argv[0] (exec then fails with ENOENT)
    char* const* argv = nullptr;
    char* const* envp = nullptr;
    const char* workingDirectory = nullptr; // nullptr: stay
    int stdinFd = -1;
    int stdoutFd = -1;
    int stderrFd = -1;
    int errorFd = -1; // write end of the error pipe
    int barrierFd = -1; // read end: wait for EOF before exec (the ledger seizes us meanwhile); -1: no wait
    int barrierWriteFd = -1; // the parent's end, which the child must close for that EOF to come
    pid_t parent = 0;
};

[[noreturn]] void fail(const ChildSetup& setup, ChildFailure::Stage stage, int error) noexcept
{
    const ChildFailure failure {stage, error};
    [[maybe_unused]] const ssize_t written = ::write(setup.errorFd, &failure, sizeof failure);
    ::_exit(127);
}

bool moveTo(int fd, int target) noexcept
{
    if (fd == target) // dup2 would keep O_CLOEXEC
        return ::fcntl(fd, F_SETFD, 0) == 0;
    return ::dup2(fd, target) == target;
}

[[noreturn]] void runChild(const ChildSetup& setup) noexcept
{
    // Own process group, so the group can be signalled as a whole and the terminal's
    // Ctrl-C does not reach it directly.
    if (::setpgid(0, 0) != 0)
        fail(setup, ChildFailure::ProcessGroup, errno);
    int stdinFd = setup.stdinFd;
    if (stdinFd < 0 && (stdinFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
        fail(setup, ChildFailure::Stdio, errno);
    if (!moveTo(stdinFd, STDIN_FILENO) || !moveTo(setup.stdoutFd, STDOUT_FILENO)
        || !moveTo(setup.stderrFd, STDERR_FILENO))
        fail(setup, ChildFailure::Stdio, errno);
    if (setup.workingDirectory && ::chdir(setup.workingDirectory) != 0)
        fail(setup, ChildFailure::WorkingDirectory, errno);
#if defined(__linux__)
    // The build must not outlive the engine: if the ledger's thread (our parent) dies,
    // so do we (an untraced root; a traced tree is killed by PTRACE_O_EXITKILL).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != setup.parent)
        ::_exit(127); // the engine died before the line above
#endif
    // Default dispositions and an empty mask, whatever the engine ignores or blocks
    // (exec resets handled signals, not ignored ones).
    struct sigaction defaultAction
    { };
    defaultAction.sa_handler = SIG_DFL;
    for (int signal = 1; signal < NSIG; ++signal) {
        if (signal != SIGKILL && signal != SIGSTOP)
            ::sigaction(signal, &defaultAction, nullptr); // fails harmlessly for the libc's reserved ones
    }
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (setup.barrierFd >= 0) {
        ::close(setup.barrierWriteFd);
        char byte;
        while (::read(setup.barrierFd, &byte, 1) < 0 && errno == EINTR) { }
    }
    ::execve(setup.program, setup.argv, setup.envp);
    fail(setup, ChildFailure::Exec, errno);
}

void closeFd(int& fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

} // namespace

ProcessLedger::ProcessLedger(Options options)
    : m_options(std::move(options))
{ }

ProcessLedger::~ProcessLedger()
{
    finish();
}

ProcessLedger::Started ProcessLedger::start(const ProcessLaunch& launch)
{
    if (launch.argv.empty())
        return {-1, "empty command line"};
    m_program = launch.argv[0];
    m_directory = launch.workingDirectory;
    if (m_options.live)
        m_options.live->reset(false);
    m_thread = std::thread([this, launch] { threadMain(launch); });
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return m_startDone; });
    return m_started;
}

void ProcessLedger::threadMain(const ProcessLaunch& launch)
{
    const std::string resolved = ProcessRunner::findInPath(launch.argv[0]);
    std::vector<char*> argv;
    for (const std::string& arg : launch.argv)
        argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (const std::string& variable : launch.environment)
        envp.push_back(const_cast<char*>(variable.c_str()));
    envp.push_back(nullptr);

    int errorPipe[2] = {-1, -1};
    int barrier[2] = {-1, -1};
    const bool wantTrace = m_options.trace && supported();
    if (io::openPipe(errorPipe) != 0 || (wantTrace && io::openPipe(barrier) != 0)) {
        const std::string why = std::string("cannot create a pipe: ") + std::strerror(errno);
        closeFd(errorPipe[0]);
        closeFd(errorPipe[1]);
        reportStart(-1, why);
        reportRootExit(0, {});
        return;
    }

    ChildSetup setup;
    setup.program = resolved.empty() ? launch.argv[0].c_str() : resolved.c_str();
    setup.argv = argv.data();
    setup.envp = envp.data();
    setup.workingDirectory = launch.workingDirectory.empty() ? nullptr : launch.workingDirectory.c_str();
    setup.stdinFd = launch.stdinFd;
    setup.stdoutFd = launch.stdoutFd;
    setup.stderrFd = launch.stderrFd;
    setup.errorFd = errorPipe[1];
    setup.barrierFd = barrier[0];
    setup.barrierWriteFd = barrier[1];
    setup.parent = ::getpid();

    std::unique_lock forkLock = io::holdForFork(); // no descriptor of ours half-made as we fork
    const pid_t pid = ::fork();
    if (pid == 0)
        runChild(setup);
    const int forkError = errno;
    forkLock.unlock();
    closeFd(errorPipe[1]);
    closeFd(barrier[0]);
    m_errorPipe = errorPipe[0];
    if (pid < 0) {
        closeFd(barrier[1]);
        closeFd(m_errorPipe);
        reportStart(-1, "cannot start '" + m_program + "': " + std::strerror(forkError));
        reportRootExit(0, {});
        return;
    }
    ::setpgid(pid, pid); // also in the child: whichever runs first, the group exists before we signal it
    m_root = pid;
    {
        std::lock_guard lock(m_treeMutex);
        m_live.insert(pid); // untraced, too: signalTree() reaches a root that left its group
    }

    bool traced = false;
    if (wantTrace) {
        traced = attach(pid);
        closeFd(barrier[1]); // lets the child exec
    } else if (!m_options.trace) {
        m_note = "process ledger off for this step (traceProcesses is false): no per-process records; the step's "
                 "peak is the sampled tree sum";
    } else {
        m_note = "no process ledger on this platform: no per-process records; the step's peak is the sampled tree sum";
    }

    if (traced) {
        m_tracing.store(true, std::memory_order_release);
        if (m_options.live)
            m_options.live->reset(true);
        trackProcess(pid, ::getpid());
        follow(); // reports the start at the root's exec, its exit, and returns once all are reaped
        if (!rootExited()) {
            // Only if waiting failed for a reason other than "no child left": never leave
            // the caller waiting for an exit that will not be reported.
            m_note = "process ledger stopped early: waiting for the step's processes failed";
            reportStart(-1, {});
            reportRootExit(SIGKILL, {}); // a wait status: killed by SIGKILL
        }
    } else {
        const std::string error = readStartError();
        if (error.empty())
            reportStart(pid, {});
        int status = 0;
        rusage usage {};
        // Untraced, the ledger does not know the root's descendants: what is left of its
        // group when it exits is killed while the root, not yet reaped, still holds the
        // group's id (once reaped, the id may go to a stranger).
        siginfo_t exited {};
        while (::waitid(P_PID, static_cast<id_t>(pid), &exited, WEXITED | WNOWAIT) < 0 && errno == EINTR) { }
        ::kill(-pid, SIGKILL);
        while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) { }
        {
            std::lock_guard lock(m_treeMutex);
            m_live.erase(pid);
        }
        if (!error.empty())
            reportStart(-1, error);
        reportRootExit(status, usage);
    }
    closeFd(m_errorPipe);
    if (m_options.live)
        m_options.live->reset(false);
}

std::string ProcessLedger::readStartError()
{
    if (m_errorPipe < 0)
        return {};
    ChildFailure failure;
    ssize_t n;
    while ((n = ::read(m_errorPipe, &failure, sizeof failure)) < 0 && errno == EINTR) { }
    closeFd(m_errorPipe);
    if (n != static_cast<ssize_t>(sizeof failure))
        return {}; // EOF: exec succeeded
    std::string message = "cannot start '" + m_program + "'";
    switch (failure.stage) {
    case ChildFailure::ProcessGroup:
        message += " (own process group)";
        break;
    case ChildFailure::Stdio:
        message += " (standard input/output)";
        break;
    case ChildFailure::WorkingDirectory:
        message += " in '" + m_directory.string() + "'";
        break;
    default:
        if (!m_directory.empty() && !std::filesystem::is_directory(m_directory))
            message += " in '" + m_directory.string() + "'";
        break;
    }
    return message + ": " + std::strerror(failure.error);
}

void ProcessLedger::reportStart(pid_t pid, std::string error)
{
    std::lock_guard lock(m_mutex);
    if (m_startDone)
        return;
    m_started.pid = pid;
    m_started.error = std::move(error);
    if (pid <= 0 && m_started.error.empty())
        m_started.error = "cannot start '" + m_program + "': it ended before it could exec";
    m_startDone = true;
    m_changed.notify_all();
}

void ProcessLedger::reportRootExit(int status, const rusage& usage)
{
    std::lock_guard lock(m_mutex);
    m_rootStatus = status;
    m_rootUsage = usage;
    m_rootExited.store(true, std::memory_order_release);
    m_changed.notify_all();
}

bool ProcessLedger::waitForRootExit(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [this] { return rootExited(); });
}

void ProcessLedger::signalTree(int signal)
{
    if (!m_thread.joinable())
        return;
    std::lock_guard lock(m_treeMutex);
    if (signal == SIGKILL) {
        // Set under the lock: a process the ledger's thread adds from now on sees it and
        // is killed there; one added before is in m_live and is killed below.
        m_killing.store(true, std::memory_order_release);
        for (pid_t pid : m_live) {
            if (const std::uint64_t peak = readPeakBytes(pid))
                m_sweptPeaks[pid] = peak;
        }
    }
    // A pid in m_live has not been reaped by the ledger yet, so it is still ours. (The
    // one exception is the instant between a SIGKILLed process's reaping and its removal
    // here; pids are reused only after the whole pid space has been cycled through.)
    for (pid_t pid : m_live)
        ::kill(pid, signal);
    // The root's process group only while it certainly is the root's: until the root is
    // reaped its zombie holds its pid and group id. After that the group may be empty and
    // its id handed to a stranger's new group (pid_max is 32768 on some machines and a
    // build forks thousands of processes), so only the processes known to be ours are
    // signalled: the traced ones above, each ours until the ledger reaps it.
    if (m_root > 0 && !rootExited())
        ::kill(-m_root, signal);
}

void ProcessLedger::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    if (!m_thread.joinable())
        return;
    signalTree(SIGKILL);
    m_thread.join();
    reapInherited();
}

std::vector<ProcessRecord> ProcessLedger::takeRecords()
{
    if (m_dropRootRecord && !m_records.empty())
        m_records.erase(m_records.begin()); // the root's is the first record
    m_dropRootRecord = false;
    return std::move(m_records);
}

double ProcessLedger::secondsNow() const
{
    return std::chrono::duration<double>(Clock::now() - m_options.origin).count();
}

// ---------------------------------------------------------------------------------------
// Record keeping

namespace {
void appendNote(ProcessRecord& record, std::string_view note)
{
    if (!record.note.empty())
        record.note += "; ";
    record.note += note;
}

double seconds(const timeval& time)
{
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
}
} // namespace

ProcessLedger::Tracked& ProcessLedger::trackProcess(pid_t pid, pid_t parent)
{
    ProcessRecord record;
    record.pid = pid;
    record.parentPid = parent;
    record.startSeconds = secondsNow();
    m_records.push_back(std::move(record));
    Tracked process;
    process.record = m_records.size() - 1;
    if (const auto it = m_tracked.find(parent); it != m_tracked.end()) {
        Tracked& parentProcess = it->second;
        // Runs its parent's image until it execs; a parent that has not exec'd since its
        // own fork passes on what it inherited.
        process.inheritFrom = parentProcess.inheritFrom != kNone ? parentProcess.inheritFrom : parentProcess.record;
        parentProcess.hadChildren = true;
        parentProcess.forkedSinceExec = true;
        if (!parentProcess.published)
            publish(parentProcess, ProcessRecordEvent::Started); // no longer a mere prelude to an exec
    }
    Tracked& tracked = m_tracked.insert_or_assign(pid, std::move(process)).first->second;
    bool kill = false;
    {
        std::lock_guard lock(m_treeMutex);
        m_live.insert(pid);
        kill = m_killing.load(std::memory_order_acquire);
    }
    if (m_options.live)
        m_options.live->insert(pid);
    if (kill) {
        ::kill(pid, SIGKILL);
        tracked.killSent = true;
    }
    return tracked;
}

bool ProcessLedger::execFolds(const Tracked& process) const
{
    return m_records[process.record].execCount == 0 && !process.forkedSinceExec && !process.published;
}

std::size_t ProcessLedger::beginImage(pid_t pid, Tracked& process, double processUser, double processSystem)
{
    const double now = secondsNow();
    if (execFolds(process)) {
        // The fork-to-exec prelude ran its parent's code on its parent's pages: the exec'd
        // image's record covers it (from the fork) and nothing of it is measured.
        m_records[process.record].execCount = 1;
        process.inheritFrom = kNone;
    } else {
        ProcessRecord& ended = m_records[process.record];
        ended.endSeconds = now;
        ended.peakExact = process.peakExact;
        ended.peakRssBytes = process.peakExact ? process.peakBytes : process.lastPeakBytes;
        if (!process.peakExact)
            appendNote(ended,
                "replaced by exec: an image's peak cannot be read once exec has discarded it, this is the "
                "last value read");
        ended.userCpuSeconds = std::max(0.0, processUser - process.baseUser);
        ended.systemCpuSeconds = std::max(0.0, processSystem - process.baseSystem);
        if (!process.published)
            publish(process, ProcessRecordEvent::Started);
        publish(process, ProcessRecordEvent::Ended);

        ProcessRecord next;
        next.pid = pid;
        next.parentPid = ended.parentPid;
        next.startSeconds = now;
        next.execCount = ended.execCount + 1;
        m_records.push_back(std::move(next)); // `ended` is invalid from here
        process.record = m_records.size() - 1;
        process.inheritFrom = kNone;
        process.baseUser = processUser;
        process.baseSystem = processSystem;
    }
    process.peakBytes = 0;
    process.peakExact = false;
    process.lastPeakBytes = 0;
    process.exitCpuKnown = false;
    process.forkedSinceExec = false;
    process.published = false;
    process.leaderExited = false;
    return process.record;
}

void ProcessLedger::endProcess(pid_t pid, Tracked& process, int waitStatus, const rusage& usage)
{
    ProcessRecord& record = m_records[process.record];
    record.endSeconds = secondsNow();
    if (WIFEXITED(waitStatus))
        record.exitCode = WEXITSTATUS(waitStatus);
    else if (WIFSIGNALED(waitStatus))
        record.signal = WTERMSIG(waitStatus);

    if (process.peakExact) {
        record.peakRssBytes = process.peakBytes;
        record.peakExact = true;
    } else {
        std::uint64_t swept = 0;
        {
            std::lock_guard lock(m_treeMutex);
            if (const auto it = m_sweptPeaks.find(pid); it != m_sweptPeaks.end())
                swept = it->second;
        }
        record.peakRssBytes = std::max(process.lastPeakBytes, swept);
        record.peakExact = false;
        appendNote(record,
            record.signal == SIGKILL ? "killed by SIGKILL, which ends a process without an exit stop: the peak is the "
                                       "last value read"
                                     : "its exit was not seen: the peak is the last value read");
    }

    // The wait status's usage counts the children the process waited for; with children,
    // its own figures were read at the exit stop.
    double user = seconds(usage.ru_utime);
    double system = seconds(usage.ru_stime);
    if (process.exitCpuKnown) {
        user = process.exitUser;
        system = process.exitSystem;
    } else if (process.hadChildren) {
        appendNote(record, "its CPU time includes the children it waited for");
    }
    record.userCpuSeconds = std::max(0.0, user - process.baseUser);
    record.systemCpuSeconds = std::max(0.0, system - process.baseSystem);

    if (!process.published)
        publish(process, ProcessRecordEvent::Started);
    publish(process, ProcessRecordEvent::Ended);
}

void ProcessLedger::materialize(Tracked& process)
{
    if (process.inheritFrom == kNone)
        return;
    const ProcessRecord& from = m_records[process.inheritFrom];
    ProcessRecord& record = m_records[process.record];
    record.executable = from.executable;
    record.argv = from.argv;
    record.argvTruncated = from.argvTruncated;
    record.argvBytes = from.argvBytes;
    record.workingDirectory = from.workingDirectory;
    appendNote(record,
        "forked without exec: runs its parent's program, and its peak counts the pages it shares with "
        "its parent");
    process.inheritFrom = kNone;
}

void ProcessLedger::publish(Tracked& process, ProcessRecordEvent event)
{
    if (event == ProcessRecordEvent::Started) {
        materialize(process);
        process.published = true;
    }
    if (m_options.onRecord)
        m_options.onRecord(event, m_records[process.record]);
}

void ProcessLedger::leaving(pid_t pid)
{
    {
        std::lock_guard lock(m_treeMutex);
        m_live.erase(pid);
    }
    if (m_options.live)
        m_options.live->erase(pid);
}

void ProcessLedger::untrack(pid_t pid)
{
    {
        std::lock_guard lock(m_treeMutex);
        m_live.erase(pid);
        m_sweptPeaks.erase(pid);
    }
    if (m_options.live)
        m_options.live->erase(pid);
    m_tracked.erase(pid);
}

void ProcessLedger::killIfKilling(pid_t pid, Tracked& process)
{
    if (!process.killSent && killing()) {
        ::kill(pid, SIGKILL);
        process.killSent = true;
    }
}

void ProcessLedger::dropRoot()
{
    // The root never exec'd (it failed to start): its prelude is not a record.
    m_dropRootRecord = true;
}

// ---------------------------------------------------------------------------------------
// No ledger on this platform: the root runs untraced.

#if !defined(__linux__) && !defined(__APPLE__)
struct ProcessLedger::TracerState
{ };

void ProcessLedger::TracerStateDeleter::operator()(TracerState* state) const
{
    delete state;
}

bool ProcessLedger::supported()
{
    return false;
}

bool ProcessLedger::attach(pid_t)
{
    return false;
}

void ProcessLedger::follow() { }

void ProcessLedger::reapInherited() { }

std::uint64_t ProcessLedger::readPeakBytes(pid_t)
{
    return 0;
}
#endif

} // namespace buildscope
