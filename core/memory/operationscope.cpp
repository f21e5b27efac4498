#include "memory/operationscope.h"

#include <ctime>

namespace buildscope {

OperationScope::OperationScope(OperationRegistry::Id id, CpuTime cpu, OperationRegistry& registry) noexcept
    : m_registry(registry)
    , m_id(id)
    , m_measureCpu(cpu == CpuTime::Measure)
    , m_cpuStartNs(m_measureCpu ? threadCpuNs() : 0)
    , m_heapStart(HeapTracker::currentThread())
    , m_start(std::chrono::steady_clock::now())
{ }

OperationScope::~OperationScope()
{
    const auto wall = std::chrono::steady_clock::now() - m_start;
    const HeapCounters heap = HeapTracker::currentThread() - m_heapStart;
    m_registry.record(m_id, static_cast<std::uint64_t>(std::chrono::nanoseconds(wall).count()), heap.allocations,
        heap.bytesAllocated);
    if (m_measureCpu)
        m_registry.recordCpu(m_id, threadCpuNs() - m_cpuStartNs);
}

std::chrono::nanoseconds OperationScope::elapsed() const noexcept
{
    return std::chrono::steady_clock::now() - m_start;
}

std::uint64_t OperationScope::threadCpuNs() noexcept
{
#if defined(CLOCK_THREAD_CPUTIME_ID)
    timespec now {};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) == 0)
        return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(now.tv_nsec);
#endif
    return 0;
}

} // namespace buildscope
