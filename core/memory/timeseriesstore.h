#pragma once

#include "memory/spinlock.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace buildscope {

struct SeriesSpec
{
    std::string name; // e.g. "tree_rss_bytes"
    std::string unit; // e.g. "bytes", "count", "processes"
};

// Bounded store of a fixed set of numeric series sampled over time.
//
// Level 0 keeps the most recent `rawRows` samples at full resolution. Each further
// tier keeps `rows` buckets of fixed duration with min/max/mean per series; the
// coarsest tier doubles its bucket duration when full, so memory is fixed however
// long a run lasts (docs/METRICS.md gives the budget). NaN values mean "no value"
// (e.g. no build process running) and are left out of min/max/mean.
//
// One writer thread appends; any number of readers take snapshots without waiting on
// the writer's work (the only lock they share guards a pointer copy): rows are written
// once before they are published, chunks are immutable once published and shared with
// readers by reference count.
class TimeSeriesStore
{
public:
    struct TierSpec
    {
        double bucketSeconds;
        std::size_t rows;
    };
    struct Config
    {
        std::size_t rawRows = 16384; // ~13.6 minutes at 20 Hz
        // 1 s buckets for 2 h, 10 s buckets for 24 h, then 60 s buckets (doubling when full: 68 h, 136 h, ...).
        std::vector<TierSpec> tiers {{1.0, 7200}, {10.0, 8640}, {60.0, 4096}};
        std::size_t chunkRows = 1024;
    };

    // A downsampled row: time range (first and last sample in it) and number of samples.
    struct Bucket
    {
        double begin = 0;
        double end = 0;
        std::uint64_t samples = 0;
    };

    struct Range
    {
        std::vector<Bucket> buckets;
        // Per series, per bucket (index series * buckets.size() + bucket); NaN where the
        // bucket held no value for that series.
        std::vector<double> min;
        std::vector<double> max;
        std::vector<double> mean;
        std::vector<double> last; // the latest value in the bucket (for cumulative counters)
        std::size_t seriesCount = 0;

        double minAt(std::size_t series, std::size_t bucket) const { return min[series * buckets.size() + bucket]; }
        double maxAt(std::size_t series, std::size_t bucket) const { return max[series * buckets.size() + bucket]; }
        double meanAt(std::size_t series, std::size_t bucket) const { return mean[series * buckets.size() + bucket]; }
        double lastAt(std::size_t series, std::size_t bucket) const { return last[series * buckets.size() + bucket]; }
    };

    class Snapshot;

    explicit TimeSeriesStore(std::vector<SeriesSpec> series);
    TimeSeriesStore(std::vector<SeriesSpec> series, Config config);
    ~TimeSeriesStore();
    TimeSeriesStore(const TimeSeriesStore&) = delete;
    TimeSeriesStore& operator=(const TimeSeriesStore&) = delete;

    const std::vector<SeriesSpec>& series() const noexcept { return m_series; }
    const Config& config() const noexcept { return m_config; }

    // Writer only. `seconds` must not decrease; values.size() == series().size().
    void append(double seconds, std::span<const double> values);

    // Safe from any thread, concurrently with append().
    Snapshot snapshot() const;

    // Samples appended so far (also the sequence number the next sample will get).
    std::uint64_t sampleCount() const noexcept { return m_published.load(std::memory_order_acquire); }

    // Bytes the store holds (chunks and bookkeeping), for the memory budget.
    std::size_t memoryBytes() const;
    // The most the store will ever hold with this series count and configuration.
    static std::size_t memoryBudgetBytes(std::size_t seriesCount, const Config& config);

    struct Chunk;
    struct Level;
    struct View;

private:
    struct Accumulator;

    void publish();
    void closeBucket(std::size_t tier);
    void appendRow(std::size_t level, std::span<const double> row);
    void coarsenLastTier();

    std::vector<SeriesSpec> m_series;
    std::shared_ptr<const std::vector<SeriesSpec>> m_sharedSeries; // handed to snapshots
    Config m_config;
    std::vector<std::unique_ptr<Level>> m_levels; // writer's copy: [0] raw, [1..] tiers
    std::vector<std::unique_ptr<Accumulator>> m_open; // per tier, the bucket being filled
    // Not std::atomic<std::shared_ptr>: libstdc++ 12's load() drops its internal lock
    // with a relaxed store, so its read of the pointer races with the next store (and
    // ThreadSanitizer reports it). The spin lock is held only to copy or swap the pointer.
    mutable SpinLock m_viewLock;
    std::shared_ptr<const View> m_view;
    std::atomic<std::uint64_t> m_published {0};
    double m_lastSeconds = 0;
    std::vector<double> m_rowScratch;
};

// An immutable, consistent view of the store at one moment.
class TimeSeriesStore::Snapshot
{
public:
    std::size_t seriesCount() const noexcept;
    const std::vector<SeriesSpec>& series() const noexcept;
    std::uint64_t sampleCount() const noexcept { return m_samples; } // samples appended when taken
    // Sequence number of the oldest sample still held at full resolution.
    std::uint64_t firstRawSequence() const noexcept;
    double firstSeconds() const noexcept; // NaN when empty
    double lastSeconds() const noexcept; // NaN when empty

    // Full-resolution samples with sequence >= from (clamped to the oldest held), for
    // one series: appends to times/values and returns the sequence after the last one.
    std::uint64_t copyRaw(
        std::uint64_t from, std::size_t series, std::vector<double>& times, std::vector<double>& values) const;

    // The same for every series at once: visit(time, values) per full-resolution sample
    // with sequence >= from; returns the sequence after the last one.
    using RawRowVisitor = std::function<void(double seconds, std::span<const double> values)>;
    std::uint64_t forEachRawRow(std::uint64_t from, const RawRowVisitor& visit) const;

    // [begin, end] in at most maxBuckets equal-width buckets, built from the finest
    // level that reaches back to `begin`, stitched with finer levels for recent time.
    Range range(double begin, double end, std::size_t maxBuckets) const;

    // Every held row at the best resolution available for its time, oldest first: tier
    // rows for times before the finer levels begin, then raw samples (as one-sample
    // buckets). Each row is passed with per-series mean, min and max (NaN: no value).
    using RowVisitor = std::function<void(
        const Bucket& bucket, std::span<const double> mean, std::span<const double> min, std::span<const double> max)>;
    void forEachRow(const RowVisitor& visit) const;

    // Level 0 is raw; its rows count samples. Tier rows count buckets.
    std::size_t levelCount() const noexcept;
    std::size_t levelRows(std::size_t level) const noexcept;
    double levelBucketSeconds(std::size_t level) const noexcept; // 0 for raw

private:
    friend class TimeSeriesStore;
    std::shared_ptr<const View> m_view;
    std::vector<std::size_t> m_lastChunkRows; // per level, rows of its last chunk when taken
    std::uint64_t m_samples = 0;
};

} // namespace buildscope
