#include "history/processidentity.h"

#include <cerrno>
#include <charconv>
#include <fstream>
#include <signal.h>
#include <sstream>
#include <sys/types.h>
#include <unistd.h>

namespace buildscope {

namespace {

struct ProcStat
{
    char state = '?';
    std::uint64_t startTicks = 0;
};

// /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses,
// so fields are counted from the last ')'. starttime is field 22, the 20th after ')'.
std::optional<ProcStat> readProcStat([[maybe_unused]] std::int64_t pid)
{
#if defined(__linux__)
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(in, line))
        return std::nullopt;
    const std::size_t close = line.rfind(')');
    if (close == std::string::npos)
        return std::nullopt;
    std::istringstream fields(line.substr(close + 1));
    ProcStat stat;
    std::string field;
    for (int index = 0; fields >> field; ++index) {
        if (index == 0)
            stat.state = field.empty() ? '?' : field[0];
        if (index == 19) {
            const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), stat.startTicks);
            if (error != std::errc())
                return std::nullopt;
            return stat;
        }
    }
#endif
    return std::nullopt;
}

std::string currentBootId()
{
#if defined(__linux__)
    std::ifstream in("/proc/sys/kernel/random/boot_id");
    std::string id;
    std::getline(in, id);
    return id;
#else
    return {};
#endif
}

} // namespace

ProcessIdentity ProcessIdentity::current()
{
    ProcessIdentity identity;
    identity.pid = ::getpid();
    if (const std::optional<ProcStat> stat = readProcStat(identity.pid))
        identity.startTicks = stat->startTicks;
    identity.bootId = currentBootId();
    return identity;
}

bool ProcessIdentity::hasEnded() const
{
    if (!bootId.empty()) {
        const std::string now = currentBootId();
        if (!now.empty() && now != bootId)
            return true;
    }
    if (pid <= 0 || pid != static_cast<pid_t>(pid))
        return false; // not a pid of this system: nothing can be said
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
        return true;
    // Alive, or another user's (EPERM). A zombie has ended; a different start time is
    // another process that was given the same pid.
    if (const std::optional<ProcStat> stat = readProcStat(pid)) {
        if (stat->state == 'Z' || stat->state == 'X')
            return true;
        if (startTicks && *startTicks != stat->startTicks)
            return true;
    }
    return false;
}

} // namespace buildscope
