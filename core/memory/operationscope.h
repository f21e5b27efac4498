#pragma once

#include "memory/heaptracker.h"
#include "memory/operationregistry.h"

#include <chrono>
#include <cstdint>

namespace buildscope {

// Times an operation from construction to destruction and records, into an
// OperationRegistry, its wall time (steady clock) and the allocations and bytes the
// current thread made meanwhile. Nested scopes each record their full (inclusive) cost.
//
// CPU time is opt-in: reading the thread CPU clock is a system call (~180 ns on the
// reference machine), so it is measured only for scopes created with CpuTime::Measure,
// meant for coarse operations (a checksum, a tar) rather than per-call ones.
class OperationScope
{
public:
    enum class CpuTime
    {
        Skip,
        Measure
    };

    explicit OperationScope(OperationRegistry::Id id, CpuTime cpu = CpuTime::Skip,
        OperationRegistry& registry = OperationRegistry::global()) noexcept;
    ~OperationScope();

    OperationScope(const OperationScope&) = delete;
    OperationScope& operator=(const OperationScope&) = delete;

    // Wall time so far.
    std::chrono::nanoseconds elapsed() const noexcept;

    // CPU time consumed by the calling thread since it started (0 where unsupported).
    static std::uint64_t threadCpuNs() noexcept;

private:
    OperationRegistry& m_registry;
    OperationRegistry::Id m_id;
    bool m_measureCpu;
    std::uint64_t m_cpuStartNs = 0;
    HeapCounters m_heapStart;
    std::chrono::steady_clock::time_point m_start;
};

} // namespace buildscope
