#pragma once

#include "memory/loghistogram.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace buildscope {

// Statistics of one named operation, summed over every OperationScope that timed it.
struct OperationStatistics
{
    std::string name;
    std::uint64_t count = 0;
    std::uint64_t wallTotalNs = 0;
    std::uint64_t wallMinNs = 0;
    std::uint64_t wallMaxNs = 0;
    std::uint64_t wallP50Ns = 0; // quantiles from LogHistogram: within 1.6 % of a recorded value
    std::uint64_t wallP95Ns = 0;
    std::uint64_t wallP99Ns = 0;
    std::uint64_t cpuTimedCount = 0; // scopes that measured CPU time (see OperationScope)
    std::uint64_t cpuTotalNs = 0;
    std::uint64_t allocations = 0; // operator new calls made by the timing thread inside the scopes
    std::uint64_t allocatedBytes = 0;

    double allocationsPerOp() const
    {
        return count ? static_cast<double>(allocations) / static_cast<double>(count) : 0.0;
    }
    double bytesPerOp() const { return count ? static_cast<double>(allocatedBytes) / static_cast<double>(count) : 0.0; }
};

// Interned operation names and their lock-free accumulators. Intern a name once
// (e.g. in a function-local static) and time it with OperationScope.
class OperationRegistry
{
public:
    using Id = std::uint32_t;

    struct Accumulator
    {
        std::string name;
        LogHistogram wallNs;
        std::atomic<std::uint64_t> wallTotalNs {0};
        std::atomic<std::uint64_t> cpuTimedCount {0};
        std::atomic<std::uint64_t> cpuTotalNs {0};
        std::atomic<std::uint64_t> allocations {0};
        std::atomic<std::uint64_t> allocatedBytes {0};
    };

    // The process-wide registry the engine reports from.
    static OperationRegistry& global();

    // Same name, same id; safe from any thread.
    Id intern(std::string_view name);

    void record(Id id, std::uint64_t wallNs, std::uint64_t allocations, std::uint64_t allocatedBytes) noexcept;
    void recordCpu(Id id, std::uint64_t cpuNs) noexcept;

    // Every operation with at least one record, in interning order.
    std::vector<OperationStatistics> statistics() const;
    OperationStatistics statistics(Id id) const;

    // Zeroes every accumulator (e.g. between runs). Scopes still open record into the new period.
    void reset() noexcept;

private:
    Accumulator& at(Id id) noexcept;
    const Accumulator& at(Id id) const noexcept;

    // Scopes look operations up without a lock: slots are written once, when interned.
    static constexpr std::size_t kMaxOperations = 1024;
    std::array<std::atomic<Accumulator*>, kMaxOperations> m_slots {};
    mutable std::mutex m_mutex; // guards interning and m_owned
    std::vector<std::unique_ptr<Accumulator>> m_owned;
};

} // namespace buildscope
