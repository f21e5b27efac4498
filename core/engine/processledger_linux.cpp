// Linux part of the process ledger: ptrace with event stops only.
//
// The ledger's thread seizes the root (PTRACE_SEIZE, before it execs) with
// PTRACE_O_TRACEFORK|TRACEVFORK|TRACECLONE (every new process and thread is traced from
// its first instruction), TRACEEXEC (a new image: read its executable, argv and working
// directory), TRACEEXIT (the process is about to release its memory: read its exact
// peak, VmHWM in /proc/PID/status) and EXITKILL (if the engine dies, so does the tree).
// It never uses PTRACE_SYSCALL: a traced process stops only at those events, a handful
// of times in its life, whatever system calls it makes.
//
// Stops and what the ledger does with them:
//   fork/vfork/clone event   note the new process or thread, continue
//   exec event               close the image's record if it was one (the exec rule,
//                            processrecord.h), start the new image's, continue
//   exit event               read VmHWM (and utime/stime for a process with children), continue
//   PTRACE_EVENT_STOP        a new task's first stop (SIGTRAP): continue; a group-stop
//                            (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU): PTRACE_LISTEN, so it stays
//                            stopped until SIGCONT, as it would untraced
//   signal-delivery stop     continue with the signal: it is the process's, not ours
// A new task's first stop may be reported before its creator's fork event; it is held
// until that event says who it is, or, if nothing else is pending, /proc/TID/status does.
#if defined(__linux__)

#include "engine/processledger.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <limits.h>
#include <string_view>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace buildscope {

namespace {

constexpr long kTraceOptions = PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC
    | PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL;

// How often a running process's peak is read at its forks, so that one killed by SIGKILL
// (no exit stop) still has a recent value. Reading /proc/PID/status costs ~10 µs.
constexpr std::chrono::milliseconds kPeakReadInterval {100};

const double kTicksPerSecond = static_cast<double>(::sysconf(_SC_CLK_TCK));

// "PID/NAME" relative to /proc, without allocating.
struct ProcPath
{
    char text[64];
    ProcPath(pid_t pid, const char* name) { std::snprintf(text, sizeof text, "%d/%s", static_cast<int>(pid), name); }
};

// Reads up to `capacity` bytes of /proc/PID/NAME; returns the length read or -1. One
// read() suffices: /proc renders the whole file (status, stat) or copies as much of the
// argument area as asked (cmdline) in one call, and a second read() to see EOF would
// cost a system call per file, twice per process.
ssize_t readProc(int procFd, pid_t pid, const char* name, char* buffer, std::size_t capacity)
{
    const int fd = ::openat(procFd, ProcPath(pid, name).text, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n;
    while ((n = ::read(fd, buffer, capacity)) < 0 && errno == EINTR) { }
    ::close(fd);
    return n;
}

ssize_t readFile(const char* path, char* buffer, std::size_t capacity)
{
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n;
    while ((n = ::read(fd, buffer, capacity)) < 0 && errno == EINTR) { }
    ::close(fd);
    return n;
}

std::string readProcLink(int procFd, pid_t pid, const char* name)
{
    char target[PATH_MAX];
    const ssize_t n = ::readlinkat(procFd, ProcPath(pid, name).text, target, sizeof target);
    return n > 0 ? std::string(target, static_cast<std::size_t>(n)) : std::string();
}

// The number after "KEY:" in /proc/PID/status text (e.g. "VmHWM:\t  3456 kB").
std::optional<std::uint64_t> statusField(std::string_view text, std::string_view key)
{
    std::size_t at = 0;
    while ((at = text.find(key, at)) != std::string_view::npos) {
        if (at == 0 || text[at - 1] == '\n')
            break;
        at += key.size();
    }
    if (at == std::string_view::npos)
        return std::nullopt;
    std::size_t p = at + key.size();
    while (p < text.size() && (text[p] == ' ' || text[p] == '\t'))
        ++p;
    std::uint64_t value = 0;
    if (std::from_chars(text.data() + p, text.data() + text.size(), value).ec != std::errc())
        return std::nullopt;
    return value;
}

// Fields of /proc/PID/stat after the command name (which may hold spaces and parentheses).
struct StatFields
{
    double user = 0; // field 14, utime
    double system = 0; // field 15, stime
    std::uint64_t startTicks = 0; // field 22, starttime: clock ticks since boot
    std::uint64_t argStart = 0; // field 48
    std::uint64_t argEnd = 0; // field 49
};

bool parseStat(std::string_view text, StatFields& fields)
{
    const std::size_t close = text.rfind(')');
    if (close == std::string_view::npos)
        return false;
    std::size_t p = close + 1;
    for (int index = 3; index <= 49 && p < text.size(); ++index) {
        while (p < text.size() && text[p] == ' ')
            ++p;
        const std::size_t start = p;
        while (p < text.size() && text[p] != ' ' && text[p] != '\n')
            ++p;
        if (index != 14 && index != 15 && index != 22 && index != 48 && index != 49)
            continue;
        std::uint64_t value = 0;
        if (std::from_chars(text.data() + start, text.data() + p, value).ec != std::errc())
            return false;
        if (index == 14)
            fields.user = static_cast<double>(value) / kTicksPerSecond;
        else if (index == 15)
            fields.system = static_cast<double>(value) / kTicksPerSecond;
        else if (index == 22)
            fields.startTicks = value;
        else if (index == 48)
            fields.argStart = value;
        else
            fields.argEnd = value;
    }
    return true;
}

void resume(pid_t tid, int signal = 0)
{
    // ESRCH: it was killed meanwhile (SIGKILL ends even a stopped tracee); its death follows.
    ::ptrace(PTRACE_CONT, tid, nullptr, reinterpret_cast<void*>(static_cast<long>(signal)));
}

bool isStopSignal(int signal)
{
    return signal == SIGSTOP || signal == SIGTSTP || signal == SIGTTIN || signal == SIGTTOU;
}

} // namespace

struct ProcessLedger::TracerState
{
    int procFd = -1;
    std::unordered_map<pid_t, pid_t> threadOwner; // live threads other than leaders -> their process
    std::unordered_set<pid_t> earlyStops; // new tasks stopped before their creator's event said who they are
    std::vector<char> buffer = std::vector<char>(ProcessRecord::kMaxArgvBytes + 1); // /proc reads
    std::unordered_map<std::string, bool> setIdByExecutable; // path -> has the setuid or setgid bit
    uid_t euid = ::geteuid();
    std::uint64_t startTicks = 0; // when the ledger started, in /proc's clock ticks since boot

    ~TracerState()
    {
        if (procFd >= 0)
            ::close(procFd);
    }

    std::string_view read(pid_t pid, const char* name, std::size_t limit)
    {
        const ssize_t n = readProc(procFd, pid, name, buffer.data(), std::min(limit, buffer.size()));
        return n > 0 ? std::string_view(buffer.data(), static_cast<std::size_t>(n)) : std::string_view();
    }

    std::optional<std::uint64_t> readPeak(pid_t tid)
    {
        // VmHWM is near the top of status; 2 KiB covers it on every kernel seen.
        const std::optional<std::uint64_t> kib = statusField(read(tid, "status", 2048), "VmHWM:");
        return kib ? std::optional(*kib * 1024) : std::nullopt;
    }

    bool readCpu(pid_t pid, double& user, double& system)
    {
        StatFields fields;
        if (!parseStat(read(pid, "stat", 1024), fields))
            return false;
        user = fields.user;
        system = fields.system;
        return true;
    }

    pid_t ownerOf(ProcessLedger& ledger, pid_t tid) const
    {
        if (ledger.m_tracked.count(tid))
            return tid;
        const auto it = threadOwner.find(tid);
        return it != threadOwner.end() ? it->second : 0;
    }

    void readImage(ProcessLedger& ledger, pid_t pid, ProcessRecord& record)
    {
        record.executable = readProcLink(procFd, pid, "exe");
        record.workingDirectory = readProcLink(procFd, pid, "cwd");
        const std::string_view cmdline = read(pid, "cmdline", ProcessRecord::kMaxArgvBytes + 1);
        const std::string_view kept = cmdline.substr(0, ProcessRecord::kMaxArgvBytes);
        record.argv.clear();
        for (std::size_t p = 0; p < kept.size();) {
            const std::size_t end = std::min(kept.find('\0', p), kept.size());
            record.argv.emplace_back(kept.substr(p, end - p));
            p = end + 1;
        }
        record.argvBytes = cmdline.size();
        record.argvTruncated = cmdline.size() > ProcessRecord::kMaxArgvBytes;
        if (record.argvTruncated) {
            StatFields fields;
            if (parseStat(read(pid, "stat", 1024), fields) && fields.argEnd > fields.argStart)
                record.argvBytes = fields.argEnd - fields.argStart;
        }
        noteSetId(ledger, pid, record);
    }

    // A set-user-ID or set-group-ID program does not get its privileges when traced by an
    // unprivileged tracer (the kernel ignores the bits, as it does on a nosuid mount).
    void noteSetId(ProcessLedger&, pid_t pid, ProcessRecord& record)
    {
        // A build runs the same few programs over and over: stat each one once.
        const auto cached = setIdByExecutable.find(record.executable);
        if (cached != setIdByExecutable.end() && !cached->second)
            return;
        struct stat info
        { };
        const bool setId
            = ::fstatat(procFd, ProcPath(pid, "exe").text, &info, 0) == 0 && (info.st_mode & (S_ISUID | S_ISGID));
        if (cached == setIdByExecutable.end()) {
            if (setIdByExecutable.size() >= 4096)
                setIdByExecutable.clear();
            setIdByExecutable.emplace(record.executable, setId);
        }
        if (!setId)
            return;
        const std::string_view status = read(pid, "status", 4096);
        // "Uid:\treal\teffective\t..." ("Gid:" likewise): the effective id is the second.
        auto effective = [&](std::string_view key) -> std::optional<std::uint64_t> {
            std::size_t at = status.find(key);
            if (at == std::string_view::npos)
                return std::nullopt;
            at = status.find('\t', at + key.size() + 1);
            std::uint64_t value = 0;
            if (at == std::string_view::npos
                || std::from_chars(status.data() + at + 1, status.data() + status.size(), value).ec != std::errc())
                return std::nullopt;
            return value;
        };
        const bool setUid = info.st_mode & S_ISUID;
        const std::optional<std::uint64_t> id = effective(setUid ? "Uid:" : "Gid:");
        const std::uint64_t owner = setUid ? info.st_uid : info.st_gid;
        std::string note = setUid ? "setuid executable (owner uid " : "setgid executable (owner gid ";
        note += std::to_string(owner) + "): ";
        if (id && *id == owner)
            note += "ran with its privileges (the engine runs as uid " + std::to_string(euid) + " and may trace it)";
        else
            note += "ran WITHOUT its privileges (effective " + std::string(setUid ? "uid " : "gid ")
                + (id ? std::to_string(*id) : std::string("?"))
                + "): a program traced by an unprivileged process does not get them; turn the ledger off "
                  "(traceProcesses) for a step that needs them";
        if (!record.note.empty())
            record.note += "; ";
        record.note += note;
    }

    void onNewTask(ProcessLedger& ledger, pid_t parentTid, pid_t parentPid, int event)
    {
        unsigned long message = 0;
        if (::ptrace(PTRACE_GETEVENTMSG, parentTid, nullptr, &message) != 0)
            return;
        const auto child = static_cast<pid_t>(message);
        if (child <= 0)
            return;
        if (!ownerOf(ledger, child)) {
            // clone() makes a thread or a process; a thread is listed under its process.
            char task[64];
            std::snprintf(task, sizeof task, "%d/task/%d", static_cast<int>(parentPid), static_cast<int>(child));
            const bool thread = event == PTRACE_EVENT_CLONE && ::faccessat(procFd, task, F_OK, 0) == 0;
            const auto parent = ledger.m_tracked.find(parentPid);
            if (thread) {
                threadOwner[child] = parentPid;
                if (parent != ledger.m_tracked.end())
                    parent->second.threads.push_back(child);
            } else {
                if (parent != ledger.m_tracked.end())
                    samplePeak(ledger, parentPid, parent->second);
                ledger.trackProcess(child, parentPid);
            }
        }
        if (earlyStops.erase(child))
            resume(child);
    }

    // A recent peak for a process that may yet die without an exit stop (SIGKILL).
    void samplePeak(ProcessLedger& ledger, pid_t pid, Tracked& process)
    {
        if (ledger.m_records[process.record].execCount == 0)
            return; // a prelude's pages are its parent's
        const auto now = Clock::now();
        if (now - process.lastPeakRead < kPeakReadInterval)
            return;
        process.lastPeakRead = now;
        if (const std::optional<std::uint64_t> peak = readPeak(pid))
            process.lastPeakBytes = std::max(process.lastPeakBytes, *peak);
    }

    // New tasks whose creator's fork event has not come: if nothing else is pending, it
    // may never come (the creator was killed in between), so ask /proc who they are.
    void resolveEarlyStops(ProcessLedger& ledger)
    {
        const std::vector<pid_t> pending(earlyStops.begin(), earlyStops.end());
        earlyStops.clear();
        for (pid_t tid : pending) {
            const std::string_view status = read(tid, "status", 2048);
            const std::optional<std::uint64_t> tgid = statusField(status, "Tgid:");
            const std::optional<std::uint64_t> ppid = statusField(status, "PPid:");
            if (tgid && ppid && !ownerOf(ledger, tid)) {
                const auto owner = static_cast<pid_t>(*tgid);
                if (owner != tid) {
                    threadOwner[tid] = owner;
                    if (const auto it = ledger.m_tracked.find(owner); it != ledger.m_tracked.end())
                        it->second.threads.push_back(tid);
                } else {
                    ledger.trackProcess(tid, static_cast<pid_t>(*ppid));
                }
            }
            resume(tid);
        }
    }

    void onExec(ProcessLedger& ledger, pid_t pid, Tracked& process)
    {
        // exec destroyed every other thread; one of them may have been the one that
        // exec'd, now carrying the process's pid (its former tid is the event message).
        if (!process.threads.empty()) {
            unsigned long formerTid = 0;
            ::ptrace(PTRACE_GETEVENTMSG, pid, nullptr, &formerTid);
            for (pid_t thread : process.threads)
                threadOwner.erase(thread);
            process.threads.clear();
            threadOwner.erase(static_cast<pid_t>(formerTid));
        }

        double user = 0;
        double system = 0;
        if (!ledger.execFolds(process))
            readCpu(pid, user, system);
        const std::size_t index = ledger.beginImage(pid, process, user, system);
        readImage(ledger, pid, ledger.m_records[index]);
        ledger.publish(process, ProcessRecordEvent::Started);
        if (pid == ledger.m_root && !ledger.m_rootExeced) {
            ledger.m_rootExeced = true;
            ledger.readStartError(); // EOF: closes our end
            ledger.reportStart(pid, {});
        }
    }

    void onExitStop(ProcessLedger& ledger, pid_t tid, pid_t pid, Tracked& process)
    {
        const bool leader = tid == pid;
        if (leader)
            process.leaderExited = true;
        // The leader's exit stop, or the last thread's if the leader left first
        // (pthread_exit from main): the address space is still whole.
        const bool lastThread = process.threads.empty() || (process.leaderExited && process.threads.size() == 1);
        if (!leader && !lastThread)
            return;
        if (const std::optional<std::uint64_t> peak = readPeak(tid)) {
            process.peakBytes = std::max(process.peakBytes, *peak);
            process.peakExact = true;
        }
        if (process.hadChildren)
            process.exitCpuKnown = readCpu(pid, process.exitUser, process.exitSystem);
        if (leader && process.threads.empty())
            ledger.leaving(pid);
    }

    void onStop(ProcessLedger& ledger, pid_t tid, int status)
    {
        const int signal = WSTOPSIG(status);
        const int event = static_cast<int>(static_cast<unsigned>(status) >> 16);
        const pid_t pid = ownerOf(ledger, tid);
        if (!pid) {
            if (event == PTRACE_EVENT_STOP) {
                earlyStops.insert(tid); // held until we know who it is
                return;
            }
            resume(tid, event == 0 ? signal : 0);
            return;
        }
        Tracked& process = ledger.m_tracked.find(pid)->second;
        ledger.killIfKilling(pid, process);
        switch (event) {
        case PTRACE_EVENT_FORK:
        case PTRACE_EVENT_VFORK:
        case PTRACE_EVENT_CLONE:
            onNewTask(ledger, tid, pid, event);
            resume(tid);
            break;
        case PTRACE_EVENT_EXEC:
            onExec(ledger, tid, process);
            resume(tid);
            break;
        case PTRACE_EVENT_EXIT:
            onExitStop(ledger, tid, pid, process);
            resume(tid);
            break;
        case PTRACE_EVENT_STOP:
            if (isStopSignal(signal))
                ::ptrace(PTRACE_LISTEN, tid, nullptr, nullptr); // group-stop: stay stopped until SIGCONT
            else
                resume(tid); // a new task's first stop, or the end of a group-stop
            break;
        case 0:
            resume(tid, signal); // signal-delivery stop: deliver it
            break;
        default:
            resume(tid);
            break;
        }
    }

    void onDeath(ProcessLedger& ledger, pid_t tid, int status, const rusage& usage)
    {
        if (const auto thread = threadOwner.find(tid); thread != threadOwner.end()) {
            if (const auto it = ledger.m_tracked.find(thread->second); it != ledger.m_tracked.end())
                std::erase(it->second.threads, tid);
            threadOwner.erase(thread);
            return;
        }
        const auto it = ledger.m_tracked.find(tid);
        if (it == ledger.m_tracked.end()) {
            earlyStops.erase(tid); // never identified
            return;
        }
        if (tid == ledger.m_root && !ledger.m_rootExeced) {
            ledger.dropRoot();
            ledger.untrack(tid);
            ledger.reportStart(-1, ledger.readStartError());
            ledger.reportRootExit(status, usage);
            return;
        }
        ledger.endProcess(tid, it->second, status, usage);
        ledger.untrack(tid);
        if (tid == ledger.m_root)
            ledger.reportRootExit(status, usage);
    }
};

void ProcessLedger::TracerStateDeleter::operator()(TracerState* state) const
{
    delete state;
}

bool ProcessLedger::supported()
{
    return true;
}

bool ProcessLedger::attach(pid_t root)
{
    if (::ptrace(PTRACE_SEIZE, root, nullptr, reinterpret_cast<void*>(kTraceOptions)) != 0) {
        const int error = errno;
        m_note = std::string("process ledger off: cannot trace the step's processes (PTRACE_SEIZE: ")
            + std::strerror(error) + ")";
        char status[2048];
        const ssize_t length = readFile("/proc/self/status", status, sizeof status);
        const std::optional<std::uint64_t> tracer = length > 0
            ? statusField(std::string_view(status, static_cast<std::size_t>(length)), "TracerPid:")
            : std::nullopt;
        if (tracer && *tracer != 0)
            m_note += ": BuildScope is itself being traced (pid " + std::to_string(*tracer)
                + ", e.g. strace -f or a debugger following forks), and a process has one tracer at most";
        else if (error == EPERM)
            m_note += ": ptrace is not permitted here (seccomp, Yama ptrace_scope 3, or a tracer on the child)";
        m_note += ". The step runs untraced: no per-process records; its peak is the sampled tree sum";
        return false;
    }
    m_tracer.reset(new TracerState);
    m_tracer->procFd = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    timespec now {};
    ::clock_gettime(CLOCK_BOOTTIME, &now);
    m_tracer->startTicks = static_cast<std::uint64_t>(
        static_cast<double>(now.tv_sec) * kTicksPerSecond + static_cast<double>(now.tv_nsec) * kTicksPerSecond / 1e9);
    return true;
}

void ProcessLedger::follow()
{
    TracerState& tracer = *m_tracer;
    for (;;) {
        int status = 0;
        rusage usage {};
        // __WNOTHREAD: only this thread's children and tracees, never another thread's.
        const int flags = __WALL | __WNOTHREAD | (tracer.earlyStops.empty() ? 0 : WNOHANG);
        const pid_t tid = ::wait4(-1, &status, flags, &usage);
        if (tid == 0) {
            tracer.resolveEarlyStops(*this);
            continue;
        }
        if (tid < 0) {
            if (errno == EINTR)
                continue;
            break; // ECHILD: every traced process has been reaped
        }
        if (WIFSTOPPED(status))
            tracer.onStop(*this, tid, status);
        else if (WIFEXITED(status) || WIFSIGNALED(status))
            tracer.onDeath(*this, tid, status, usage);
    }
}

void ProcessLedger::reapInherited()
{
    // The ledger has waited for every traced process, but a traced process is reaped by
    // its own parent after its tracer has seen its death. A parent killed first hands its
    // unreaped children to its reaper - this process, when it is a subreaper - as
    // zombies, which the ledger's thread cannot see (__WNOTHREAD). Reap those: our zombie
    // children with a pid of the tree, started since the ledger started (not another
    // child of ours that got a pid of the tree again).
    if (!m_tracer)
        return; // untraced: ProcessRunner reaps the group
    std::vector<pid_t> pids;
    pids.reserve(m_records.size());
    for (const ProcessRecord& record : m_records) {
        if (record.pid != m_root)
            pids.push_back(record.pid);
    }
    std::sort(pids.begin(), pids.end());
    pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
    for (pid_t pid : pids) {
        siginfo_t info {};
        if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT | __WALL) != 0
            || info.si_pid != pid)
            continue; // not a zombie child of ours
        StatFields fields;
        if (parseStat(m_tracer->read(pid, "stat", 1024), fields) && fields.startTicks + 1 >= m_tracer->startTicks)
            ::waitpid(pid, nullptr, WNOHANG | __WALL);
    }
}

std::uint64_t ProcessLedger::readPeakBytes(pid_t pid)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/status", static_cast<int>(pid));
    char text[2048];
    const ssize_t length = readFile(path, text, sizeof text);
    const std::optional<std::uint64_t> kib
        = length > 0 ? statusField(std::string_view(text, static_cast<std::size_t>(length)), "VmHWM:") : std::nullopt;
    return kib ? *kib * 1024 : 0;
}

} // namespace buildscope

#endif // __linux__
