#pragma once

#include <cstdint>
#include <string>

namespace buildscope {

// The machine a run ran on.
struct HostInfo
{
    std::string hostname;
    std::string os; // "Linux 6.1.0-18-amd64 x86_64"
    unsigned cpus = 0;
    std::uint64_t memoryBytes = 0;

    static HostInfo current();
};

} // namespace buildscope
