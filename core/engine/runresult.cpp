#include "engine/runresult.h"

#include <sys/utsname.h>
#include <thread>
#include <unistd.h>

namespace buildscope {

const char* stepStatusName(StepStatus status)
{
    switch (status) {
    case StepStatus::Pending:
        return "pending";
    case StepStatus::Running:
        return "running";
    case StepStatus::Succeeded:
        return "succeeded";
    case StepStatus::Failed:
        return "failed";
    case StepStatus::TimedOut:
        return "timed-out";
    case StepStatus::Cancelled:
        return "cancelled";
    case StepStatus::Skipped:
        return "skipped";
    case StepStatus::NotRun:
        return "not-run";
    }
    return "pending";
}

const char* runStatusName(RunStatus status)
{
    switch (status) {
    case RunStatus::Running:
        return "running";
    case RunStatus::Succeeded:
        return "succeeded";
    case RunStatus::Failed:
        return "failed";
    case RunStatus::Cancelled:
        return "cancelled";
    }
    return "running";
}

const char* stepKindName(StepKind kind)
{
    switch (kind) {
    case StepKind::Checksum:
        return "checksum";
    case StepKind::Tar:
        return "tar";
    case StepKind::Run:
        return "run";
    case StepKind::Container:
        return "container";
    }
    return "run";
}

HostInfo currentHost()
{
    HostInfo host;
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) == 0)
        host.hostname = name;
    utsname system {};
    if (::uname(&system) == 0)
        host.os = std::string(system.sysname) + " " + system.release + " " + system.machine;
    host.cpus = std::thread::hardware_concurrency();
#if defined(_SC_PHYS_PAGES)
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long pageSize = ::sysconf(_SC_PAGESIZE);
    if (pages > 0 && pageSize > 0)
        host.memoryBytes = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(pageSize);
#endif
    return host;
}

} // namespace buildscope
