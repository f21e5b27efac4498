// macOS part of the process ledger: kqueue EVFILT_PROC (NOTE_FORK, NOTE_EXEC, NOTE_EXIT)
// and proc_pid_rusage(RUSAGE_INFO_V4), whose ri_lifetime_max_phys_footprint the kernel
// keeps per process, read from the zombie when the process exits.
//
// This file holds only the system calls (MacProcessInspector) and the kevent loop; what
// the notes mean for the records is KqueueFollower (kqueuefollower.h), compiled and
// unit-tested on Linux. This file is compile-checked for macOS on Linux
// (scripts/check-macos) and built and tested on a Mac only by the macOS workflow
// (.github/workflows/ci.yml); docs/INSTALL.md says which is which.
//
// ri_lifetime_max_phys_footprint is the footprint (dirty + compressed + wired memory),
// what Activity Monitor shows as "Memory", not the resident set (docs/METRICS.md). macOS
// has no PR_SET_PDEATHSIG: an untraced build can outlive a killed engine.
#if defined(__APPLE__)

#include "engine/kqueuefollower.h"
#include "engine/processledger.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <libproc.h>
#include <mach/mach_time.h>
#include <optional>
#include <signal.h>
#include <sys/event.h>
#include <sys/proc_info.h>
#include <sys/sysctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace buildscope {

namespace {

std::optional<rusage_info_v4> rusageOf(pid_t pid)
{
    rusage_info_v4 info {};
    if (proc_pid_rusage(pid, RUSAGE_INFO_V4, reinterpret_cast<rusage_info_t*>(&info)) != 0)
        return std::nullopt;
    return info;
}

class MacProcessInspector final : public ProcessInspector
{
public:
    explicit MacProcessInspector(int queue)
        : m_queue(queue)
    {
        mach_timebase_info_data_t timebase {};
        if (mach_timebase_info(&timebase) == KERN_SUCCESS) {
            m_numer = timebase.numer;
            m_denom = timebase.denom;
        }
        m_children.resize(4096);
        int argmax = 0;
        std::size_t size = sizeof argmax;
        int mib[2] = {CTL_KERN, KERN_ARGMAX};
        const bool known = ::sysctl(mib, 2, &argmax, &size, nullptr, 0) == 0 && argmax > 0;
        m_arguments.resize(known ? static_cast<std::size_t>(argmax) : std::size_t {1} << 20);
    }

    bool watch(pid_t pid, bool ownChild) override
    {
        struct kevent change;
        const unsigned flags = NOTE_FORK | NOTE_EXEC | NOTE_EXIT | (ownChild ? NOTE_EXITSTATUS : 0);
        EV_SET(&change, static_cast<uintptr_t>(pid), EVFILT_PROC, EV_ADD | EV_ENABLE, flags, 0, nullptr);
        return ::kevent(m_queue, &change, 1, nullptr, 0, nullptr) == 0;
    }

    std::vector<pid_t> children(pid_t parent) override
    {
        const int bytes
            = proc_listchildpids(parent, m_children.data(), static_cast<int>(m_children.size() * sizeof(pid_t)));
        // proc_listchildpids returns a count of pids, despite taking a size in bytes.
        const auto count = std::clamp(bytes, 0, static_cast<int>(m_children.size()));
        return {m_children.begin(), m_children.begin() + count};
    }

    std::string executable(pid_t pid) override
    {
        char path[PROC_PIDPATHINFO_MAXSIZE];
        return proc_pidpath(pid, path, sizeof path) > 0 ? std::string(path) : std::string();
    }

    void readImage(pid_t pid, ProcessRecord& record) override
    {
        record.executable = executable(pid);
        proc_vnodepathinfo directories {};
        if (proc_pidinfo(pid, PROC_PIDVNODEPATHINFO, 0, &directories, sizeof directories) == sizeof directories)
            record.workingDirectory = directories.pvi_cdir.vip_path;
        // KERN_PROCARGS2: argc, the exec path, padding NULs, then argv.
        int mib[3] = {CTL_KERN, KERN_PROCARGS2, pid};
        std::size_t size = m_arguments.size();
        record.argv.clear();
        if (::sysctl(mib, 3, m_arguments.data(), &size, nullptr, 0) != 0 || size < sizeof(int))
            return;
        int argc = 0;
        std::memcpy(&argc, m_arguments.data(), sizeof argc);
        std::size_t p = sizeof argc;
        while (p < size && m_arguments[p] != '\0')
            ++p; // the exec path
        while (p < size && m_arguments[p] == '\0')
            ++p;
        std::size_t kept = 0;
        for (int i = 0; i < argc && p < size; ++i) {
            const void* nul = std::memchr(m_arguments.data() + p, '\0', size - p);
            const std::size_t end
                = nul ? static_cast<std::size_t>(static_cast<const char*>(nul) - m_arguments.data()) : size;
            const std::size_t length = end - p;
            record.argvBytes += length + 1;
            if (kept < ProcessRecord::kMaxArgvBytes) {
                const std::size_t take = std::min(length, ProcessRecord::kMaxArgvBytes - kept);
                record.argv.emplace_back(m_arguments.data() + p, take);
                kept += take + 1;
                record.argvTruncated = record.argvTruncated || take < length;
            } else {
                record.argvTruncated = true;
            }
            p = end + 1;
        }
    }

    std::optional<Usage> usage(pid_t pid) override
    {
        const std::optional<rusage_info_v4> info = rusageOf(pid);
        if (!info)
            return std::nullopt;
        return Usage {info->ri_lifetime_max_phys_footprint, machTicksToSeconds(info->ri_user_time, m_numer, m_denom),
            machTicksToSeconds(info->ri_system_time, m_numer, m_denom)};
    }

    bool alive(pid_t pid) override { return ::kill(pid, 0) == 0 || errno != ESRCH; }

    int reap(pid_t child, rusage& usage) override
    {
        int status = 0;
        while (::wait4(child, &status, 0, &usage) < 0 && errno == EINTR) { }
        return status;
    }

private:
    int m_queue;
    std::uint32_t m_numer = 1;
    std::uint32_t m_denom = 1;
    std::vector<pid_t> m_children;
    std::vector<char> m_arguments;
};

} // namespace

struct ProcessLedger::TracerState
{
    int queue = -1;
    std::optional<MacProcessInspector> system;
    std::optional<KqueueFollower> follower;

    ~TracerState()
    {
        if (queue >= 0)
            ::close(queue);
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
    if (tracer->queue >= 0)
        tracer->system.emplace(tracer->queue);
    if (tracer->queue < 0 || !tracer->system->watch(root, true)) {
        m_note = std::string("process ledger off: cannot watch the step's processes (kqueue: ") + std::strerror(errno)
            + "). The step runs untraced: no per-process records; its peak is the sampled tree sum";
        return false;
    }
    tracer->follower.emplace(*this, *tracer->system);
    m_tracer = std::move(tracer);
    m_note = "macOS ledger (kqueue): children that fork or exit before they are watched are not seen";
    return true;
}

void ProcessLedger::follow()
{
    TracerState& tracer = *m_tracer;
    struct kevent events[64];
    while (!tracer.follower->done()) {
        const timespec timeout {0, 100 * 1000 * 1000}; // a missed exit must not hang us
        const int count = ::kevent(tracer.queue, nullptr, 0, events, 64, &timeout);
        if (count < 0 && errno != EINTR)
            break;
        for (int i = 0; i < count; ++i) {
            ProcessNote note;
            note.pid = static_cast<pid_t>(events[i].ident);
            note.fork = (events[i].fflags & NOTE_FORK) != 0;
            note.exec = (events[i].fflags & NOTE_EXEC) != 0;
            note.exit = (events[i].fflags & NOTE_EXIT) != 0;
            note.exitStatus = static_cast<int>(events[i].data);
            tracer.follower->handle(note);
        }
        tracer.follower->sweepVanished();
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
