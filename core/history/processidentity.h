#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace buildscope {

// Enough to tell later, on the same host, whether the process that recorded a run is
// still that process: its pid, when it started (pids are reused) and which boot it
// belongs to (pids and start times restart with the machine).
struct ProcessIdentity
{
    std::int64_t pid = 0;
    std::optional<std::uint64_t> startTicks; // Linux: /proc/<pid>/stat field 22, clock ticks since boot
    std::string bootId; // Linux: /proc/sys/kernel/random/boot_id; empty elsewhere

    static ProcessIdentity current();

    // True when this process is known to be gone: another boot, no such pid (ESRCH), a
    // zombie, or a pid now used by a process started at another time. Only meaningful for
    // a process of this host; unknown facts count as "still running".
    bool hasEnded() const;
};

} // namespace buildscope
