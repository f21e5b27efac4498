#pragma once

#include "memory/timeseriesstore.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace buildscope {

// The standard series a run records, by id rather than by name. Their names (the
// column names of samples.csv) and units are defined once, here; pool series are
// per pool and named by poolSeriesName().
enum class SeriesId : std::uint8_t
{
    EngineRss, // engine_rss_bytes: the engine process's resident memory
    EnginePeakRss, // engine_peak_rss_bytes: its kernel high-water mark
    HeapLive, // heap_live_bytes: the engine's live operator-new bytes
    HeapPeakLive, // heap_peak_live_bytes
    HeapAllocations, // heap_allocations: cumulative count
    HeapFrees, // heap_frees: cumulative count
    HeapAllocatedBytes, // heap_allocated_bytes: cumulative bytes
    TreeRss, // tree_rss_bytes: sampled sum of the running step's processes' RSS
    TreeProcesses, // tree_processes: how many processes that sum covered
};

inline constexpr std::size_t kSeriesIdCount = 9;

struct SeriesInfo
{
    SeriesId id;
    const char* name;
    const char* unit; // "bytes", "count", "processes"
};

const SeriesInfo& seriesInfo(SeriesId id);
const char* seriesName(SeriesId id);
SeriesSpec seriesSpec(SeriesId id);
std::optional<SeriesId> parseSeriesId(std::string_view name);

// Series whose bucket maximum gets a column of its own in samples.csv (peaks stay
// visible when a long run is stored at 1 s / 10 s / 60 s resolution).
inline constexpr SeriesId kMaxColumnSeries[] = {SeriesId::TreeRss, SeriesId::EngineRss, SeriesId::HeapLive};

enum class PoolSeries : std::uint8_t
{
    Acquires, // <pool>.acquires: cumulative
    Hits, // <pool>.hits: cumulative
    RetainedBytes, // <pool>.retained_bytes
};
std::string poolSeriesName(std::string_view pool, PoolSeries series);

// Where each standard series sits in a list of columns (a store's, or a sample table's):
// looked up once, then by id.
class SeriesColumns
{
public:
    SeriesColumns() { m_index.fill(-1); }
    explicit SeriesColumns(const std::vector<SeriesSpec>& series);

    // Column of `id`, or -1 when the list does not have it.
    int operator[](SeriesId id) const noexcept { return m_index[static_cast<std::size_t>(id)]; }
    bool has(SeriesId id) const noexcept { return (*this)[id] >= 0; }

private:
    std::array<int, kSeriesIdCount> m_index {};
};

} // namespace buildscope
