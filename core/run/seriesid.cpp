#include "run/seriesid.h"

#include <string>

namespace buildscope {

namespace {
constexpr SeriesInfo kSeries[kSeriesIdCount] = {
    {SeriesId::EngineRss, "engine_rss_bytes", "bytes"},
    {SeriesId::EnginePeakRss, "engine_peak_rss_bytes", "bytes"},
    {SeriesId::HeapLive, "heap_live_bytes", "bytes"},
    {SeriesId::HeapPeakLive, "heap_peak_live_bytes", "bytes"},
    {SeriesId::HeapAllocations, "heap_allocations", "count"},
    {SeriesId::HeapFrees, "heap_frees", "count"},
    {SeriesId::HeapAllocatedBytes, "heap_allocated_bytes", "bytes"},
    {SeriesId::TreeRss, "tree_rss_bytes", "bytes"},
    {SeriesId::TreeProcesses, "tree_processes", "processes"},
};
} // namespace

const SeriesInfo& seriesInfo(SeriesId id)
{
    return kSeries[static_cast<std::size_t>(id)];
}

const char* seriesName(SeriesId id)
{
    return seriesInfo(id).name;
}

SeriesSpec seriesSpec(SeriesId id)
{
    return {seriesInfo(id).name, seriesInfo(id).unit};
}

std::optional<SeriesId> parseSeriesId(std::string_view name)
{
    for (const SeriesInfo& info : kSeries) {
        if (name == info.name)
            return info.id;
    }
    return std::nullopt;
}

std::string poolSeriesName(std::string_view pool, PoolSeries series)
{
    const char* suffix = series == PoolSeries::Acquires ? ".acquires" : series == PoolSeries::Hits ? ".hits" : ".retained_bytes";
    return std::string(pool) + suffix;
}

SeriesColumns::SeriesColumns(const std::vector<SeriesSpec>& series)
{
    m_index.fill(-1);
    for (std::size_t column = 0; column < series.size(); ++column) {
        if (const std::optional<SeriesId> id = parseSeriesId(series[column].name))
            m_index[static_cast<std::size_t>(*id)] = static_cast<int>(column);
    }
}

} // namespace buildscope
