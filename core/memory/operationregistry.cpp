#include "memory/operationregistry.h"

#include <stdexcept>

namespace buildscope {

namespace {
constexpr auto relaxed = std::memory_order_relaxed;
}

OperationRegistry& OperationRegistry::global()
{
    static OperationRegistry registry;
    return registry;
}

OperationRegistry::Id OperationRegistry::intern(std::string_view name)
{
    std::lock_guard lock(m_mutex);
    for (std::size_t i = 0; i < m_owned.size(); ++i) {
        if (m_owned[i]->name == name)
            return static_cast<Id>(i);
    }
    if (m_owned.size() == kMaxOperations)
        throw std::length_error("more than " + std::to_string(kMaxOperations) + " distinct operation names");
    auto accumulator = std::make_unique<Accumulator>();
    accumulator->name = std::string(name);
    m_slots[m_owned.size()].store(accumulator.get(), std::memory_order_release);
    m_owned.push_back(std::move(accumulator));
    return static_cast<Id>(m_owned.size() - 1);
}

OperationRegistry::Accumulator& OperationRegistry::at(Id id) noexcept
{
    return *m_slots[id].load(std::memory_order_acquire);
}

const OperationRegistry::Accumulator& OperationRegistry::at(Id id) const noexcept
{
    return *m_slots[id].load(std::memory_order_acquire);
}

void OperationRegistry::record(
    Id id, std::uint64_t wallNs, std::uint64_t allocations, std::uint64_t allocatedBytes) noexcept
{
    Accumulator& op = at(id);
    op.wallNs.record(wallNs);
    op.wallTotalNs.fetch_add(wallNs, relaxed);
    if (allocations)
        op.allocations.fetch_add(allocations, relaxed);
    if (allocatedBytes)
        op.allocatedBytes.fetch_add(allocatedBytes, relaxed);
}

void OperationRegistry::recordCpu(Id id, std::uint64_t cpuNs) noexcept
{
    Accumulator& op = at(id);
    op.cpuTimedCount.fetch_add(1, relaxed);
    op.cpuTotalNs.fetch_add(cpuNs, relaxed);
}

OperationStatistics OperationRegistry::statistics(Id id) const
{
    const Accumulator& op = at(id);
    OperationStatistics s;
    s.name = op.name;
    s.count = op.wallNs.count();
    s.wallTotalNs = op.wallTotalNs.load(relaxed);
    s.wallMinNs = op.wallNs.min();
    s.wallMaxNs = op.wallNs.max();
    s.wallP50Ns = op.wallNs.quantile(0.50);
    s.wallP95Ns = op.wallNs.quantile(0.95);
    s.wallP99Ns = op.wallNs.quantile(0.99);
    s.cpuTimedCount = op.cpuTimedCount.load(relaxed);
    s.cpuTotalNs = op.cpuTotalNs.load(relaxed);
    s.allocations = op.allocations.load(relaxed);
    s.allocatedBytes = op.allocatedBytes.load(relaxed);
    return s;
}

std::vector<OperationStatistics> OperationRegistry::statistics() const
{
    std::lock_guard lock(m_mutex);
    std::vector<OperationStatistics> result;
    for (std::size_t i = 0; i < m_owned.size(); ++i) {
        if (m_owned[i]->wallNs.count() > 0)
            result.push_back(statistics(static_cast<Id>(i)));
    }
    return result;
}

void OperationRegistry::reset() noexcept
{
    std::lock_guard lock(m_mutex);
    for (const auto& op : m_owned) {
        op->wallNs.reset();
        op->wallTotalNs.store(0, relaxed);
        op->cpuTimedCount.store(0, relaxed);
        op->cpuTotalNs.store(0, relaxed);
        op->allocations.store(0, relaxed);
        op->allocatedBytes.store(0, relaxed);
    }
}

} // namespace buildscope
