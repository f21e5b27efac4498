#include "memory/timeseriesstore.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <mutex>
#include <stdexcept>

namespace buildscope {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Tier row layout: [begin, end, samples, then per series: min, max, mean, count, last].
constexpr std::size_t kTierHeader = 3;
constexpr std::size_t kTierFields = 5;
enum TierField : std::size_t
{
    Min,
    Max,
    Mean,
    Count,
    Last
};

std::size_t rawWidth(std::size_t series)
{
    return 1 + series;
}
std::size_t tierWidth(std::size_t series)
{
    return kTierHeader + kTierFields * series;
}
} // namespace

// A fixed-capacity block of rows. Rows below `rows` are immutable; only the writer
// appends, and it publishes each row with a release store of `rows`.
struct TimeSeriesStore::Chunk
{
    Chunk(std::size_t capacityRows, std::size_t rowWidth)
        : data(new double[capacityRows * rowWidth])
        , capacity(capacityRows)
        , width(rowWidth)
    { }
    const double* row(std::size_t index) const noexcept { return data.get() + index * width; }
    double* row(std::size_t index) noexcept { return data.get() + index * width; }

    std::unique_ptr<double[]> data;
    const std::size_t capacity;
    const std::size_t width;
    std::atomic<std::size_t> rows {0};
};

// The writer's bookkeeping for one level.
struct TimeSeriesStore::Level
{
    double bucketSeconds = 0; // 0: raw samples
    std::size_t width = 0;
    std::size_t maxRows = 0;
    std::uint64_t firstSequence = 0; // sequence (row number since start) of the first held row
    std::deque<std::shared_ptr<Chunk>> chunks;

    std::size_t rowCount() const
    {
        std::size_t total = 0;
        for (const auto& chunk : chunks)
            total += chunk->rows.load(std::memory_order_relaxed);
        return total;
    }
};

// What readers see: per level, its chunks at the last publication.
struct TimeSeriesStore::View
{
    struct LevelView
    {
        double bucketSeconds = 0;
        std::size_t width = 0;
        std::uint64_t firstSequence = 0;
        std::vector<std::shared_ptr<const Chunk>> chunks;
    };
    std::vector<LevelView> levels;
    std::shared_ptr<const std::vector<SeriesSpec>> series;
};

// The tier bucket being filled.
struct TimeSeriesStore::Accumulator
{
    explicit Accumulator(std::size_t series)
        : row(tierWidth(series))
        , sums(series)
    {
        clear();
    }
    void clear()
    {
        std::fill(row.begin(), row.end(), kNaN);
        std::fill(sums.begin(), sums.end(), 0.0);
        row[2] = 0;
        for (std::size_t s = 0; s < sums.size(); ++s)
            row[kTierHeader + s * kTierFields + Count] = 0;
        bucketIndex = -1;
    }
    void add(double seconds, std::span<const double> values)
    {
        if (row[2] == 0)
            row[0] = seconds;
        row[1] = seconds;
        row[2] += 1;
        for (std::size_t s = 0; s < values.size(); ++s) {
            const double v = values[s];
            if (std::isnan(v))
                continue;
            double* field = &row[kTierHeader + s * kTierFields];
            field[Min] = std::isnan(field[Min]) ? v : std::min(field[Min], v);
            field[Max] = std::isnan(field[Max]) ? v : std::max(field[Max], v);
            field[Count] += 1;
            field[Last] = v;
            sums[s] += v;
        }
    }
    // Finishes the means; the row is then ready to store.
    std::span<const double> finish()
    {
        for (std::size_t s = 0; s < sums.size(); ++s) {
            double* field = &row[kTierHeader + s * kTierFields];
            field[Mean] = field[Count] > 0 ? sums[s] / field[Count] : kNaN;
        }
        return row;
    }

    std::vector<double> row;
    std::vector<double> sums;
    std::int64_t bucketIndex = -1; // floor(begin / bucketSeconds) of the open bucket
};

namespace {
// Merges tier row `from` into `into` (both in tier layout).
void mergeTierRow(double* into, const double* from, std::size_t series)
{
    if (from[2] == 0)
        return;
    if (into[2] == 0) {
        std::copy(from, from + tierWidth(series), into);
        return;
    }
    into[0] = std::min(into[0], from[0]);
    const bool fromIsLater = from[1] >= into[1];
    into[1] = std::max(into[1], from[1]);
    into[2] += from[2];
    for (std::size_t s = 0; s < series; ++s) {
        double* a = into + kTierHeader + s * kTierFields;
        const double* b = from + kTierHeader + s * kTierFields;
        if (b[Count] == 0)
            continue;
        if (a[Count] == 0) {
            std::copy(b, b + kTierFields, a);
            continue;
        }
        a[Min] = std::min(a[Min], b[Min]);
        a[Max] = std::max(a[Max], b[Max]);
        a[Mean] = (a[Mean] * a[Count] + b[Mean] * b[Count]) / (a[Count] + b[Count]);
        a[Count] += b[Count];
        if (fromIsLater)
            a[Last] = b[Last];
    }
}

// A raw sample as a one-sample tier row.
void rawToTierRow(const double* raw, std::size_t series, double* out)
{
    out[0] = out[1] = raw[0];
    out[2] = 1;
    for (std::size_t s = 0; s < series; ++s) {
        double* field = out + kTierHeader + s * kTierFields;
        const double v = raw[1 + s];
        const bool valid = !std::isnan(v);
        field[Min] = field[Max] = field[Mean] = field[Last] = v;
        field[Count] = valid ? 1 : 0;
    }
}
} // namespace

TimeSeriesStore::TimeSeriesStore(std::vector<SeriesSpec> series)
    : TimeSeriesStore(std::move(series), Config {})
{ }

TimeSeriesStore::TimeSeriesStore(std::vector<SeriesSpec> series, Config config)
    : m_series(std::move(series))
    , m_config(std::move(config))
{
    if (m_series.empty())
        throw std::invalid_argument("TimeSeriesStore needs at least one series");
    m_sharedSeries = std::make_shared<const std::vector<SeriesSpec>>(m_series);
    if (m_config.chunkRows == 0 || m_config.rawRows == 0)
        throw std::invalid_argument("TimeSeriesStore: rawRows and chunkRows must be positive");
    auto raw = std::make_unique<Level>();
    raw->width = rawWidth(m_series.size());
    raw->maxRows = m_config.rawRows;
    m_levels.push_back(std::move(raw));
    double previous = 0;
    for (const TierSpec& tier : m_config.tiers) {
        if (!(tier.bucketSeconds > previous) || tier.rows < 2)
            throw std::invalid_argument("TimeSeriesStore: tiers need increasing bucket durations and >= 2 rows");
        // A coarser tier's newest bucket lags by up to its width; the finer tier must reach
        // back further than that, or range() would have a gap between them.
        if (m_levels.size() > 1) {
            const Level& finer = *m_levels.back();
            if (finer.bucketSeconds * static_cast<double>(finer.maxRows) < 2 * tier.bucketSeconds)
                throw std::invalid_argument("TimeSeriesStore: a tier must cover at least two buckets of the next");
        }
        previous = tier.bucketSeconds;
        auto level = std::make_unique<Level>();
        level->bucketSeconds = tier.bucketSeconds;
        level->width = tierWidth(m_series.size());
        level->maxRows = tier.rows;
        m_levels.push_back(std::move(level));
        m_open.push_back(std::make_unique<Accumulator>(m_series.size()));
    }
    publish();
}

TimeSeriesStore::~TimeSeriesStore() = default;

void TimeSeriesStore::publish()
{
    auto view = std::make_shared<View>();
    view->series = m_sharedSeries;
    view->levels.reserve(m_levels.size());
    for (const auto& level : m_levels) {
        View::LevelView& out = view->levels.emplace_back();
        out.bucketSeconds = level->bucketSeconds;
        out.width = level->width;
        out.firstSequence = level->firstSequence;
        out.chunks.assign(level->chunks.begin(), level->chunks.end());
    }
    std::shared_ptr<const View> previous = std::move(view);
    {
        std::lock_guard lock(m_viewLock);
        m_view.swap(previous);
    }
    // `previous` (the old view) is released here, outside the lock.
}

void TimeSeriesStore::appendRow(std::size_t levelIndex, std::span<const double> row)
{
    Level& level = *m_levels[levelIndex];
    bool changed = false;
    if (level.chunks.empty()
        || level.chunks.back()->rows.load(std::memory_order_relaxed) == level.chunks.back()->capacity) {
        level.chunks.push_back(std::make_shared<Chunk>(m_config.chunkRows, level.width));
        changed = true;
    }
    Chunk& chunk = *level.chunks.back();
    const std::size_t index = chunk.rows.load(std::memory_order_relaxed);
    std::copy(row.begin(), row.end(), chunk.row(index));
    chunk.rows.store(index + 1, std::memory_order_release);

    // Drop whole chunks at the front once the rest still holds maxRows. The coarsest
    // tier never drops: it is coarsened instead (see append()).
    const bool dropping = levelIndex + 1 < m_levels.size() || levelIndex == 0;
    if (dropping) {
        std::size_t total = level.rowCount();
        while (level.chunks.size() > 1 && total - level.chunks.front()->capacity >= level.maxRows) {
            total -= level.chunks.front()->capacity;
            level.firstSequence += level.chunks.front()->capacity;
            level.chunks.pop_front();
            changed = true;
        }
    }
    if (changed)
        publish();
}

void TimeSeriesStore::closeBucket(std::size_t tier)
{
    Accumulator& open = *m_open[tier];
    if (open.row[2] > 0)
        appendRow(tier + 1, open.finish());
    open.clear();
}

void TimeSeriesStore::coarsenLastTier()
{
    const std::size_t tier = m_open.size() - 1;
    Level& level = *m_levels[tier + 1];
    const std::size_t series = m_series.size();
    const double width = level.bucketSeconds * 2;

    std::vector<double> merged;
    std::vector<double> current(level.width, kNaN); // flushCurrent() below initialises it
    std::int64_t currentIndex = -1;
    auto flushCurrent = [&] {
        if (current[2] > 0)
            merged.insert(merged.end(), current.begin(), current.end());
        std::fill(current.begin(), current.end(), kNaN);
        current[2] = 0;
        for (std::size_t s = 0; s < series; ++s)
            current[kTierHeader + s * kTierFields + Count] = 0;
    };
    flushCurrent();
    for (const auto& chunk : level.chunks) {
        const std::size_t rows = chunk->rows.load(std::memory_order_relaxed);
        for (std::size_t r = 0; r < rows; ++r) {
            const double* row = chunk->row(r);
            const auto index = static_cast<std::int64_t>(std::floor(row[0] / width));
            if (index != currentIndex) {
                flushCurrent();
                currentIndex = index;
            }
            mergeTierRow(current.data(), row, series);
        }
    }
    // The open bucket may belong to the same doubled bucket as the last merged row: fold
    // that row back into the open bucket so no bucket is split.
    Accumulator& open = *m_open[tier];
    const bool openSharesBucket = open.row[2] > 0 && current[2] > 0
        && static_cast<std::int64_t>(std::floor(open.row[0] / width)) == currentIndex;
    if (openSharesBucket) {
        open.finish();
        mergeTierRow(current.data(), open.row.data(), series);
        // Re-open the accumulator from the merged row.
        std::vector<double> sums(series);
        for (std::size_t s = 0; s < series; ++s) {
            const double* field = &current[kTierHeader + s * kTierFields];
            sums[s] = field[Count] > 0 ? field[Mean] * field[Count] : 0.0;
        }
        open.row = current;
        open.sums = std::move(sums);
        open.bucketIndex = currentIndex;
    } else {
        flushCurrent();
        if (open.row[2] > 0)
            open.bucketIndex = static_cast<std::int64_t>(std::floor(open.row[0] / width));
    }

    level.bucketSeconds = width;
    level.chunks.clear();
    const std::size_t rowCount = merged.size() / level.width;
    for (std::size_t r = 0; r < rowCount; ++r) {
        if (level.chunks.empty()
            || level.chunks.back()->rows.load(std::memory_order_relaxed) == level.chunks.back()->capacity)
            level.chunks.push_back(std::make_shared<Chunk>(m_config.chunkRows, level.width));
        Chunk& chunk = *level.chunks.back();
        const std::size_t index = chunk.rows.load(std::memory_order_relaxed);
        std::copy_n(merged.data() + r * level.width, level.width, chunk.row(index));
        chunk.rows.store(index + 1, std::memory_order_relaxed);
    }
    publish();
}

void TimeSeriesStore::append(double seconds, std::span<const double> values)
{
    if (values.size() != m_series.size())
        throw std::invalid_argument("TimeSeriesStore::append: expected " + std::to_string(m_series.size())
            + " values, got " + std::to_string(values.size()));
    seconds = std::max(seconds, m_lastSeconds); // a clock never runs backwards here
    m_lastSeconds = seconds;

    for (std::size_t tier = 0; tier < m_open.size(); ++tier) {
        const Level& level = *m_levels[tier + 1];
        auto bucketOf = [&](double t) { return static_cast<std::int64_t>(std::floor(t / level.bucketSeconds)); };
        Accumulator& open = *m_open[tier];
        if (open.row[2] > 0 && bucketOf(seconds) != open.bucketIndex) {
            // Coarsen before closing, while the open bucket can still absorb a stored row
            // that falls into the same doubled bucket.
            const bool lastTier = tier + 1 == m_open.size();
            if (lastTier && level.rowCount() >= level.maxRows)
                coarsenLastTier();
            if (bucketOf(seconds) != open.bucketIndex)
                closeBucket(tier);
        }
        if (open.row[2] == 0)
            open.bucketIndex = bucketOf(seconds);
        open.add(seconds, values);
    }

    std::vector<double>& row = m_rowScratch;
    row.resize(1 + values.size());
    row[0] = seconds;
    std::copy(values.begin(), values.end(), row.begin() + 1);
    appendRow(0, row);
    m_published.fetch_add(1, std::memory_order_release);
}

TimeSeriesStore::Snapshot TimeSeriesStore::snapshot() const
{
    // Row counts are read coarsest level first and raw last: append() closes tier buckets
    // before it stores the raw sample, so every tier row counted holds only samples the
    // raw count includes. That holds only while the view is current: once the raw level
    // moved on to a new chunk, the tiers keep growing in chunks this view shares while its
    // raw chunk does not. So if a new view was published meanwhile, count again.
    auto currentView = [this] {
        std::lock_guard lock(m_viewLock);
        return m_view;
    };
    Snapshot snapshot;
    snapshot.m_view = currentView();
    for (;;) {
        const View& view = *snapshot.m_view;
        snapshot.m_lastChunkRows.assign(view.levels.size(), 0);
        for (std::size_t level = view.levels.size(); level-- > 0;) {
            const View::LevelView& levelView = view.levels[level];
            snapshot.m_lastChunkRows[level]
                = levelView.chunks.empty() ? 0 : levelView.chunks.back()->rows.load(std::memory_order_acquire);
        }
        std::shared_ptr<const View> current = currentView();
        if (current == snapshot.m_view)
            break;
        snapshot.m_view = std::move(current);
    }
    snapshot.m_samples = snapshot.m_view->levels[0].firstSequence + snapshot.levelRows(0);
    return snapshot;
}

std::size_t TimeSeriesStore::memoryBytes() const
{
    std::size_t bytes = sizeof(*this) + m_series.capacity() * sizeof(SeriesSpec);
    for (const auto& spec : m_series)
        bytes += spec.name.capacity() + spec.unit.capacity();
    for (const auto& level : m_levels) {
        bytes += sizeof(Level);
        for (const auto& chunk : level->chunks)
            bytes += sizeof(Chunk) + chunk->capacity * chunk->width * sizeof(double);
    }
    for (const auto& open : m_open)
        bytes += sizeof(Accumulator) + (open->row.capacity() + open->sums.capacity()) * sizeof(double);
    return bytes;
}

std::size_t TimeSeriesStore::memoryBudgetBytes(std::size_t seriesCount, const Config& config)
{
    auto chunksFor = [&](std::size_t rows) { return (rows + config.chunkRows - 1) / config.chunkRows + 1; };
    // Control block, and page rounding of the large blocks the allocator maps directly.
    const std::size_t chunkBytes = sizeof(Chunk) + 64 + 4096;
    std::size_t bytes
        = chunksFor(config.rawRows) * (chunkBytes + config.chunkRows * rawWidth(seriesCount) * sizeof(double));
    for (std::size_t i = 0; i < config.tiers.size(); ++i) {
        std::size_t chunks = chunksFor(config.tiers[i].rows);
        if (i + 1 == config.tiers.size())
            chunks *= 2; // coarsening briefly holds the old and the merged rows
        bytes += chunks * (chunkBytes + config.chunkRows * tierWidth(seriesCount) * sizeof(double));
    }
    // Published views: one pointer per chunk, plus fixed bookkeeping.
    return bytes + 64 * 1024;
}

std::size_t TimeSeriesStore::Snapshot::seriesCount() const noexcept
{
    return m_view->levels.empty() ? 0 : m_view->levels[0].width - 1;
}

const std::vector<SeriesSpec>& TimeSeriesStore::Snapshot::series() const noexcept
{
    return *m_view->series;
}

std::size_t TimeSeriesStore::Snapshot::levelCount() const noexcept
{
    return m_view->levels.size();
}

std::size_t TimeSeriesStore::Snapshot::levelRows(std::size_t level) const noexcept
{
    const View::LevelView& view = m_view->levels[level];
    if (view.chunks.empty())
        return 0;
    std::size_t rows = 0;
    for (std::size_t c = 0; c + 1 < view.chunks.size(); ++c)
        rows += view.chunks[c]->capacity;
    return rows + m_lastChunkRows[level];
}

double TimeSeriesStore::Snapshot::levelBucketSeconds(std::size_t level) const noexcept
{
    return m_view->levels[level].bucketSeconds;
}

std::uint64_t TimeSeriesStore::Snapshot::firstRawSequence() const noexcept
{
    return m_view->levels[0].firstSequence;
}

namespace {
// Calls fn(row) for rows [0, rows) of a level view, oldest first.
template<class LevelView, class Fn>
void forEachLevelRow(const LevelView& level, std::size_t lastChunkRows, Fn&& fn)
{
    for (std::size_t c = 0; c < level.chunks.size(); ++c) {
        const auto& chunk = *level.chunks[c];
        const std::size_t rows = c + 1 == level.chunks.size() ? lastChunkRows : chunk.capacity;
        for (std::size_t r = 0; r < rows; ++r)
            fn(chunk.row(r));
    }
}
} // namespace

double TimeSeriesStore::Snapshot::firstSeconds() const noexcept
{
    // The coarsest non-empty level reaches furthest back.
    for (std::size_t level = m_view->levels.size(); level-- > 0;) {
        if (levelRows(level) > 0)
            return m_view->levels[level].chunks.front()->row(0)[0];
    }
    return kNaN;
}

double TimeSeriesStore::Snapshot::lastSeconds() const noexcept
{
    const std::size_t rows = m_lastChunkRows[0];
    if (rows == 0)
        return kNaN;
    return m_view->levels[0].chunks.back()->row(rows - 1)[0];
}

std::uint64_t TimeSeriesStore::Snapshot::copyRaw(
    std::uint64_t from, std::size_t series, std::vector<double>& times, std::vector<double>& values) const
{
    const View::LevelView& raw = m_view->levels[0];
    std::uint64_t sequence = raw.firstSequence;
    const std::uint64_t end = m_samples;
    if (series >= seriesCount() || from >= end)
        return std::max(from, end);
    for (std::size_t c = 0; c < raw.chunks.size(); ++c) {
        const Chunk& chunk = *raw.chunks[c];
        const std::size_t rows = c + 1 == raw.chunks.size() ? m_lastChunkRows[0] : chunk.capacity;
        if (sequence + rows <= from) {
            sequence += rows;
            continue;
        }
        const std::size_t first = from > sequence ? static_cast<std::size_t>(from - sequence) : 0;
        for (std::size_t r = first; r < rows; ++r) {
            const double* row = chunk.row(r);
            times.push_back(row[0]);
            values.push_back(row[1 + series]);
        }
        sequence += rows;
    }
    return end;
}

std::uint64_t TimeSeriesStore::Snapshot::forEachRawRow(std::uint64_t from, const RawRowVisitor& visit) const
{
    const View::LevelView& raw = m_view->levels[0];
    std::uint64_t sequence = raw.firstSequence;
    const std::uint64_t end = m_samples;
    if (from >= end)
        return std::max(from, end);
    const std::size_t series = seriesCount();
    for (std::size_t c = 0; c < raw.chunks.size(); ++c) {
        const Chunk& chunk = *raw.chunks[c];
        const std::size_t rows = c + 1 == raw.chunks.size() ? m_lastChunkRows[0] : chunk.capacity;
        if (sequence + rows <= from) {
            sequence += rows;
            continue;
        }
        const std::size_t first = from > sequence ? static_cast<std::size_t>(from - sequence) : 0;
        for (std::size_t r = first; r < rows; ++r) {
            const double* row = chunk.row(r);
            visit(row[0], std::span<const double>(row + 1, series));
        }
        sequence += rows;
    }
    return end;
}

TimeSeriesStore::Range TimeSeriesStore::Snapshot::range(double begin, double end, std::size_t maxBuckets) const
{
    Range result;
    const std::size_t series = seriesCount();
    result.seriesCount = series;
    if (maxBuckets == 0 || !(end >= begin) || m_samples == 0)
        return result;

    // Finest level whose oldest row reaches back to `begin`; else the coarsest non-empty one.
    const std::size_t levels = m_view->levels.size();
    std::size_t start = levels;
    for (std::size_t level = 0; level < levels; ++level) {
        if (levelRows(level) > 0 && m_view->levels[level].chunks.front()->row(0)[0] <= begin) {
            start = level;
            break;
        }
    }
    if (start == levels) {
        for (std::size_t level = levels; level-- > 0;) {
            if (levelRows(level) > 0) {
                start = level;
                break;
            }
        }
    }

    const double span = end - begin;
    const double bucketWidth = span > 0 ? span / static_cast<double>(maxBuckets) : 1.0;
    const std::size_t width = tierWidth(series);
    std::vector<double> accumulators(maxBuckets * width, kNaN);
    for (std::size_t b = 0; b < maxBuckets; ++b) {
        double* row = &accumulators[b * width];
        row[2] = 0;
        for (std::size_t s = 0; s < series; ++s)
            row[kTierHeader + s * kTierFields + Count] = 0;
    }
    std::vector<double> converted(width);
    auto place = [&](const double* tierRow) {
        const double middle = (tierRow[0] + tierRow[1]) / 2;
        if (tierRow[1] < begin || tierRow[0] > end)
            return;
        const double clamped = std::clamp(middle, begin, end);
        const auto bucket = std::min(maxBuckets - 1, static_cast<std::size_t>((clamped - begin) / bucketWidth));
        mergeTierRow(&accumulators[bucket * width], tierRow, series);
    };

    // Coarse rows from the start level, then rows of each finer level that are newer
    // than everything already placed (coarser tiers lag by up to one bucket).
    double covered = -std::numeric_limits<double>::infinity();
    for (std::size_t level = start + 1; level-- > 0;) {
        const View::LevelView& view = m_view->levels[level];
        double newest = covered;
        forEachLevelRow(view, m_lastChunkRows[level], [&](const double* row) {
            if (level == 0) {
                if (row[0] <= covered || row[0] < begin || row[0] > end)
                    return;
                rawToTierRow(row, series, converted.data());
                place(converted.data());
                newest = std::max(newest, row[0]);
            } else {
                if (row[0] <= covered)
                    return;
                place(row);
                newest = std::max(newest, row[1]);
            }
        });
        covered = newest;
    }

    for (std::size_t b = 0; b < maxBuckets; ++b) {
        const double* row = &accumulators[b * width];
        if (row[2] == 0)
            continue;
        result.buckets.push_back({row[0], row[1], static_cast<std::uint64_t>(row[2])});
    }
    const std::size_t used = result.buckets.size();
    result.min.assign(series * used, kNaN);
    result.max.assign(series * used, kNaN);
    result.mean.assign(series * used, kNaN);
    result.last.assign(series * used, kNaN);
    std::size_t out = 0;
    for (std::size_t b = 0; b < maxBuckets; ++b) {
        const double* row = &accumulators[b * width];
        if (row[2] == 0)
            continue;
        for (std::size_t s = 0; s < series; ++s) {
            const double* field = row + kTierHeader + s * kTierFields;
            if (field[Count] == 0)
                continue;
            result.min[s * used + out] = field[Min];
            result.max[s * used + out] = field[Max];
            result.mean[s * used + out] = field[Mean];
            result.last[s * used + out] = field[Last];
        }
        ++out;
    }
    return result;
}

void TimeSeriesStore::Snapshot::forEachRow(const RowVisitor& visit) const
{
    const std::size_t series = seriesCount();
    const std::size_t levels = m_view->levels.size();
    std::vector<double> mean(series);
    std::vector<double> min(series);
    std::vector<double> max(series);

    // A level's rows are used up to where the next finer non-empty level begins; the row
    // that straddles that point is kept and the finer rows it covers are skipped, so no
    // time is lost and no sample counted twice.
    std::vector<double> firstTime(levels, std::numeric_limits<double>::infinity());
    for (std::size_t level = 0; level < levels; ++level) {
        if (levelRows(level) > 0)
            firstTime[level] = m_view->levels[level].chunks.front()->row(0)[0];
    }
    double covered = -std::numeric_limits<double>::infinity();
    for (std::size_t level = levels; level-- > 0;) {
        double finerBegins = std::numeric_limits<double>::infinity();
        for (std::size_t finer = 0; finer < level; ++finer)
            finerBegins = std::min(finerBegins, firstTime[finer]);
        double newest = covered;
        forEachLevelRow(m_view->levels[level], m_lastChunkRows[level], [&](const double* row) {
            if (row[0] <= covered || row[0] >= finerBegins)
                return;
            Bucket bucket;
            if (level == 0) {
                bucket = {row[0], row[0], 1};
                for (std::size_t s = 0; s < series; ++s)
                    mean[s] = min[s] = max[s] = row[1 + s];
            } else {
                bucket = {row[0], row[1], static_cast<std::uint64_t>(row[2])};
                for (std::size_t s = 0; s < series; ++s) {
                    const double* field = row + kTierHeader + s * kTierFields;
                    const bool empty = field[Count] == 0;
                    mean[s] = empty ? kNaN : field[Mean];
                    min[s] = empty ? kNaN : field[Min];
                    max[s] = empty ? kNaN : field[Max];
                }
            }
            visit(bucket, mean, min, max);
            newest = std::max(newest, bucket.end);
        });
        covered = newest;
    }
}

} // namespace buildscope
