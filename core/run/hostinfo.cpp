#include "run/hostinfo.h"

#include <sys/utsname.h>
#include <thread>
#include <unistd.h>

namespace buildscope {

HostInfo HostInfo::current()
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
