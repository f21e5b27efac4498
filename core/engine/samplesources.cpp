#include "engine/samplesources.h"

#include "memory/heaptracker.h"
#include "memory/poolcore.h"

#include <cmath>
#include <limits>

namespace buildscope {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double asDouble(std::uint64_t value)
{
    return static_cast<double>(value);
}
} // namespace

std::vector<SeriesSpec> SelfMemorySource::series() const
{
    return {seriesSpec(SeriesId::EngineRss), seriesSpec(SeriesId::EnginePeakRss)};
}

void SelfMemorySource::read(std::span<double> out)
{
    if (const std::optional<SelfMemory> memory = readSelfMemory()) {
        out[0] = asDouble(memory->rssBytes);
        out[1] = asDouble(memory->peakRssBytes);
    } else {
        out[0] = out[1] = kNaN;
    }
}

std::vector<SeriesSpec> HeapSource::series() const
{
    return {seriesSpec(SeriesId::HeapLive), seriesSpec(SeriesId::HeapPeakLive), seriesSpec(SeriesId::HeapAllocations),
        seriesSpec(SeriesId::HeapFrees), seriesSpec(SeriesId::HeapAllocatedBytes)};
}

void HeapSource::read(std::span<double> out)
{
    const HeapSnapshot heap = HeapTracker::snapshot();
    if (!heap.installed) {
        std::fill(out.begin(), out.end(), kNaN);
        return;
    }
    out[0] = static_cast<double>(heap.liveBytes);
    out[1] = static_cast<double>(heap.peakLiveBytes);
    out[2] = asDouble(heap.totals.allocations);
    out[3] = asDouble(heap.totals.frees);
    out[4] = asDouble(heap.totals.bytesAllocated);
}

std::vector<SeriesSpec> ProcessTreeSource::series() const
{
    return {seriesSpec(SeriesId::TreeRss), seriesSpec(SeriesId::TreeProcesses)};
}

void ProcessTreeSource::read(std::span<double> out)
{
    const pid_t root = watched();
    if (root <= 0) {
        out[0] = out[1] = kNaN;
        return;
    }
    ProcessTreeMemory tree;
    if (m_ledger && m_ledger->complete()) {
        m_ledger->snapshot(m_pids);
        tree = m_sampler.sample(m_pids);
    } else {
        tree = m_sampler.sample(root);
    }
    out[0] = asDouble(tree.rssBytes);
    out[1] = tree.processes;
}

PoolSource::PoolSource(std::vector<const PoolCoreBase*> pools)
    : m_pools(std::move(pools))
{ }

std::vector<SeriesSpec> PoolSource::series() const
{
    std::vector<SeriesSpec> result;
    for (const PoolCoreBase* pool : m_pools) {
        result.push_back({poolSeriesName(pool->name(), PoolSeries::Acquires), "count"});
        result.push_back({poolSeriesName(pool->name(), PoolSeries::Hits), "count"});
        result.push_back({poolSeriesName(pool->name(), PoolSeries::RetainedBytes), "bytes"});
    }
    return result;
}

void PoolSource::read(std::span<double> out)
{
    std::size_t column = 0;
    for (const PoolCoreBase* pool : m_pools) {
        const PoolStatistics statistics = pool->statistics();
        out[column++] = asDouble(statistics.acquires);
        out[column++] = asDouble(statistics.hits);
        out[column++] = asDouble(statistics.retainedBytes);
    }
}

} // namespace buildscope
