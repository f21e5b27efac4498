#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace buildscope {

// Counters of one pool (one size class), as defined in docs/METRICS.md.
// At quiescence: acquires == hits + misses, and
// misses == discards + retained items + items still leased out.
struct PoolStatistics
{
    std::string name;
    std::size_t classBytes = 0; // buffer size, or string capacity limit, of this class
    std::uint64_t acquires = 0; // every acquire() call
    std::uint64_t hits = 0; // served from a thread cache or the shared free list
    std::uint64_t misses = 0; // had to allocate (including oversized requests)
    std::uint64_t releases = 0; // every lease returned
    std::uint64_t discards = 0; // freed instead of kept: oversized, outgrown, or over the retention limit
    std::uint64_t retainedBytes = 0; // idle bytes the pool holds now
    std::uint64_t retainedHighWaterBytes = 0; // largest retainedBytes observed (see docs/METRICS.md)
    std::uint64_t maxRetainedBytes = 0; // the configured retention limit

    // hits / acquires; empty ("n/a") when there were no acquires - never 0 or 100 %.
    std::optional<double> hitRate() const
    {
        if (acquires == 0)
            return std::nullopt;
        return static_cast<double>(hits) / static_cast<double>(acquires);
    }
};

// "87.5%" or "n/a".
std::string formatHitRate(const PoolStatistics& statistics);

} // namespace buildscope
