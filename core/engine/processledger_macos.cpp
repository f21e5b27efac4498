// macOS part of the process ledger: kqueue EVFILT_PROC (NOTE_FORK, NOTE_EXEC, NOTE_EXIT)
// and proc_pid_rusage(RUSAGE_INFO_V4), whose ri_lifetime_max_phys_footprint the kernel
// keeps per process, read when the process exits.
//
// NOT BUILT HERE: the machines this ledger was written and tested on run Linux, and no
// macOS compiler was at hand. It follows the documented APIs (libproc.h, sys/event.h)
// and is kept small; expect to fix compile errors on first contact with a Mac, and run
// tst_processledger there before trusting it.
//
// What it misses, which ptrace on Linux does not:
// - kqueue reports a fork, not the child: the ledger then lists the forking process's
//   children (proc_listchildpids) and watches the new ones. A child that forks or exits
//   before it is watched is not seen (its own children neither), and a child that has
//   already exec'd is recorded with that image only (execCount counts the execs seen).
// - Nothing stops: a process's exit is read after the fact, from its zombie; if its
//   parent reaps it first, its peak and CPU are lost (peakExact false).
// - Exit status: kqueue gives it for our own child (the root) only.
// - ri_lifetime_max_phys_footprint is the footprint (dirty + compressed + wired memory),
//   what Activity Monitor shows as "Memory", not the resident set; whether exec resets
//   it for the new image was not verified.
// - No PR_SET_PDEATHSIG: an untraced build can outlive a killed engine.
#if defined(__APPLE__)

#include "engine/processledger.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <libproc.h>
#include <mach/mach_time.h>
#include <sys/event.h>
#include <sys/proc_info.h>
#include <sys/sysctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace buildscope {

namespace {

// A wait status that is neither an exit nor a signal: the record then has neither.
constexpr int kUnknownStatus = 0x7f | (SIGSTOP << 8);

std::optional<rusage_info_v4> rusageOf(pid_t pid)
{
    rusage_info_v4 info {};
    if (proc_pid_rusage(pid, RUSAGE_INFO_V4, reinterpret_cast<rusage_info_t*>(&info)) != 0)
        return std::nullopt;
    return info;
}

} // namespace

struct ProcessLedger::TracerState
{
    int queue = -1;
    double secondsPerTick = 1e-9; // rusage_info times are in mach absolute time units
    std::vector<pid_t> children;
    std::vector<char> arguments;

    ~TracerState()
    {
        if (queue >= 0)
            ::close(queue);
    }

    bool watch(pid_t pid, bool ownChild)
    {
        struct kevent change;
        const unsigned flags = NOTE_FORK | NOTE_EXEC | NOTE_EXIT | (ownChild ? NOTE_EXITSTATUS : 0);
        EV_SET(&change, static_cast<uintptr_t>(pid), EVFILT_PROC, EV_ADD | EV_ENABLE, flags, 0, nullptr);
        return ::kevent(queue, &change, 1, nullptr, 0, nullptr) == 0;
    }

    void readImage(pid_t pid, ProcessRecord& record)
    {
        char path[PROC_PIDPATHINFO_MAXSIZE];
        if (proc_pidpath(pid, path, sizeof path) > 0)
            record.executable = path;
        proc_vnodepathinfo directories {};
        if (proc_pidinfo(pid, PROC_PIDVNODEPATHINFO, 0, &directories, sizeof directories) == sizeof directories)
            record.workingDirectory = directories.pvi_cdir.vip_path;
        // KERN_PROCARGS2: argc, the exec path, padding NULs, then argv.
        int mib[3] = {CTL_KERN, KERN_PROCARGS2, pid};
        std::size_t size = arguments.size();
        record.argv.clear();
        if (::sysctl(mib, 3, arguments.data(), &size, nullptr, 0) != 0 || size < sizeof(int))
            return;
        int argc = 0;
        std::memcpy(&argc, arguments.data(), sizeof argc);
        std::size_t p = sizeof argc;
        while (p < size && arguments[p] != '\0')
            ++p; // the exec path
        while (p < size && arguments[p] == '\0')
            ++p;
        std::size_t kept = 0;
        for (int i = 0; i < argc && p < size; ++i) {
            const void* nul = std::memchr(arguments.data() + p, '\0', size - p);
            const std::size_t end
                = nul ? static_cast<std::size_t>(static_cast<const char*>(nul) - arguments.data()) : size;
            const std::size_t length = end - p;
            record.argvBytes += length + 1;
            if (kept < ProcessRecord::kMaxArgvBytes) {
                const std::size_t take = std::min(length, ProcessRecord::kMaxArgvBytes - kept);
                record.argv.emplace_back(arguments.data() + p, take);
                kept += take + 1;
                record.argvTruncated = record.argvTruncated || take < length;
            } else {
                record.argvTruncated = true;
            }
            p = end + 1;
        }
    }

    void onFork(ProcessLedger& ledger, pid_t parent)
    {
        const int count
            = proc_listchildpids(parent, children.data(), static_cast<int>(children.size() * sizeof(pid_t)));
        for (int i = 0; i < std::min(count, static_cast<int>(children.size())); ++i) {
            const pid_t child = children[static_cast<std::size_t>(i)];
            if (ledger.m_tracked.count(child))
                continue;
            Tracked& process = ledger.trackProcess(child, parent);
            if (!watch(child, false)) {
                ledger.endProcess(child, process, kUnknownStatus, {}); // gone before it could be watched
                ledger.untrack(child);
                continue;
            }
            // It may have exec'd already; its image then is what it runs now.
            char path[PROC_PIDPATHINFO_MAXSIZE];
            const auto from = ledger.m_tracked.find(parent);
            if (proc_pidpath(child, path, sizeof path) > 0 && from != ledger.m_tracked.end()
                && ledger.m_records[from->second.record].executable != path)
                onExec(ledger, child, process);
        }
    }

    void onExec(ProcessLedger& ledger, pid_t pid, Tracked& process)
    {
        double user = 0;
        double system = 0;
        if (const std::optional<rusage_info_v4> usage = rusageOf(pid)) {
            user = static_cast<double>(usage->ri_user_time) * secondsPerTick;
            system = static_cast<double>(usage->ri_system_time) * secondsPerTick;
        }
        const std::size_t index = ledger.beginImage(pid, process, user, system);
        readImage(pid, ledger.m_records[index]);
        ledger.publish(process, ProcessRecordEvent::Started);
        if (pid == ledger.m_root && !ledger.m_rootExeced) {
            ledger.m_rootExeced = true;
            ledger.readStartError();
            ledger.reportStart(pid, {});
        }
    }

    void onExit(ProcessLedger& ledger, pid_t pid, Tracked& process, int status)
    {
        if (const std::optional<rusage_info_v4> usage = rusageOf(pid)) {
            process.peakBytes = usage->ri_lifetime_max_phys_footprint;
            process.peakExact = true;
            process.exitUser = static_cast<double>(usage->ri_user_time) * secondsPerTick;
            process.exitSystem = static_cast<double>(usage->ri_system_time) * secondsPerTick;
            process.exitCpuKnown = true;
        }
        rusage rootUsage {};
        if (pid == ledger.m_root) {
            while (::wait4(pid, &status, 0, &rootUsage) < 0 && errno == EINTR) { }
            if (!ledger.m_rootExeced) {
                ledger.dropRoot();
                ledger.untrack(pid);
                ledger.reportStart(-1, ledger.readStartError());
                ledger.reportRootExit(status, rootUsage);
                return;
            }
        }
        if (pid != ledger.m_root)
            ledger.m_records[process.record].note += "exit status not known (kqueue gives it for children only); ";
        ledger.endProcess(pid, process, status, rootUsage);
        ledger.untrack(pid);
        if (pid == ledger.m_root)
            ledger.reportRootExit(status, rootUsage);
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
    std::unique_ptr<TracerState, TracerStateDeleter> tracer(new TracerState);
    tracer->queue = ::kqueue();
    if (tracer->queue < 0 || !tracer->watch(root, true)) {
        m_note = std::string("process ledger off: cannot watch the step's processes (kqueue: ") + std::strerror(errno)
            + "). The step runs untraced: no per-process records; its peak is the sampled tree sum";
        return false;
    }
    mach_timebase_info_data_t timebase {};
    if (mach_timebase_info(&timebase) == KERN_SUCCESS && timebase.denom != 0)
        tracer->secondsPerTick = static_cast<double>(timebase.numer) / timebase.denom * 1e-9;
    tracer->children.resize(4096);
    int argmax = 0;
    std::size_t size = sizeof argmax;
    int mib[2] = {CTL_KERN, KERN_ARGMAX};
    const bool known = ::sysctl(mib, 2, &argmax, &size, nullptr, 0) == 0 && argmax > 0;
    tracer->arguments.resize(known ? static_cast<std::size_t>(argmax) : std::size_t {1} << 20);
    m_tracer = std::move(tracer);
    m_note = "macOS ledger (kqueue): children that fork or exit before they are watched are not seen";
    return true;
}

void ProcessLedger::follow()
{
    TracerState& tracer = *m_tracer;
    struct kevent events[64];
    while (!m_tracked.empty()) {
        const timespec timeout {0, 100 * 1000 * 1000}; // a missed exit must not hang us
        const int count = ::kevent(tracer.queue, nullptr, 0, events, 64, &timeout);
        if (count < 0 && errno != EINTR)
            break;
        for (int i = 0; i < count; ++i) {
            const auto pid = static_cast<pid_t>(events[i].ident);
            const auto it = m_tracked.find(pid);
            if (it == m_tracked.end())
                continue;
            Tracked& process = it->second;
            killIfKilling(pid, process);
            if (events[i].fflags & NOTE_EXEC)
                tracer.onExec(*this, pid, process);
            if (events[i].fflags & NOTE_FORK)
                tracer.onFork(*this, pid);
            if (events[i].fflags & NOTE_EXIT)
                tracer.onExit(*this, pid, process, pid == m_root ? static_cast<int>(events[i].data) : kUnknownStatus);
        }
        // Processes that vanished without a report (exited between a fork and our watch).
        for (auto it = m_tracked.begin(); it != m_tracked.end();) {
            const pid_t pid = it->first;
            ++it;
            if (pid != m_root && ::kill(pid, 0) != 0 && errno == ESRCH) {
                endProcess(pid, m_tracked.find(pid)->second, kUnknownStatus, {});
                untrack(pid);
            }
        }
    }
}

void ProcessLedger::reapInherited() { } // macOS has no subreaper: orphans go to launchd

std::uint64_t ProcessLedger::readPeakBytes(pid_t pid)
{
    const std::optional<rusage_info_v4> usage = rusageOf(pid);
    return usage ? usage->ri_lifetime_max_phys_footprint : 0;
}

} // namespace buildscope

#endif // __APPLE__
