#include "memory/heaptracker.h"
#include "memory/timeseriesstore.h"

#include <QtTest>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

namespace buildscope {

namespace {

using Config = TimeSeriesStore::Config;
using Range = TimeSeriesStore::Range;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kMiB = 1024 * 1024;

std::vector<SeriesSpec> makeSeries(std::size_t count)
{
    std::vector<SeriesSpec> series;
    for (std::size_t i = 0; i < count; ++i)
        series.push_back({"s" + std::to_string(i), "count"});
    return series;
}

// Small enough that a few hundred samples fill every level, drop chunks and coarsen.
Config smallConfig()
{
    Config config;
    config.rawRows = 100;
    config.chunkRows = 16;
    config.tiers = {{1.0, 50}, {10.0, 20}, {60.0, 8}};
    return config;
}

bool sameValue(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

bool closeValue(double a, double b)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

std::uint64_t totalSamples(const Range& range)
{
    std::uint64_t total = 0;
    for (const TimeSeriesStore::Bucket& bucket : range.buckets)
        total += bucket.samples;
    return total;
}

// Everything appended, kept by the test as ground truth.
struct Recorded
{
    std::size_t series = 0;
    std::vector<double> times;
    std::vector<double> values; // row-major: sample * series + s

    double value(std::size_t sample, std::size_t s) const { return values[sample * series + s]; }
};

void appendRecorded(TimeSeriesStore& store, Recorded& recorded, double seconds, const std::vector<double>& row)
{
    store.append(seconds, row);
    recorded.times.push_back(seconds);
    recorded.values.insert(recorded.values.end(), row.begin(), row.end());
}

// Deterministic, varied integers in [-504, 504]; integers keep sums exact.
double patternValue(std::size_t sample, std::size_t s)
{
    return static_cast<double>((sample * 7919 + s * 104729) % 1009) - 504.0;
}

struct Expected
{
    double begin = 0;
    double end = 0;
    std::uint64_t samples = 0;
    std::vector<double> min, max, mean, last;
};

// Statistics of the recorded samples with index in [first, last), NaN skipped.
Expected statsOf(const Recorded& recorded, std::size_t first, std::size_t last)
{
    Expected e;
    e.begin = recorded.times[first];
    e.end = recorded.times[last - 1];
    e.samples = last - first;
    e.min.assign(recorded.series, kNaN);
    e.max.assign(recorded.series, kNaN);
    e.mean.assign(recorded.series, kNaN);
    e.last.assign(recorded.series, kNaN);
    for (std::size_t s = 0; s < recorded.series; ++s) {
        double sum = 0;
        std::size_t count = 0;
        for (std::size_t i = first; i < last; ++i) {
            const double v = recorded.value(i, s);
            if (std::isnan(v))
                continue;
            e.min[s] = count == 0 ? v : std::min(e.min[s], v);
            e.max[s] = count == 0 ? v : std::max(e.max[s], v);
            e.last[s] = v;
            sum += v;
            ++count;
        }
        if (count > 0)
            e.mean[s] = sum / static_cast<double>(count);
    }
    return e;
}

// Checks every bucket of `range` against the recorded samples whose times fall in
// [bucket.begin, bucket.end]. Because buckets are built from whole stored rows that
// are contiguous in time, this holds at any resolution as long as nothing was lost,
// double-counted or mixed up between series. Returns an empty string when it holds.
QString verifyAgainstRecorded(const Range& range, const Recorded& recorded)
{
    if (range.seriesCount != recorded.series)
        return QStringLiteral("seriesCount %1, expected %2").arg(range.seriesCount).arg(recorded.series);
    const std::size_t n = range.buckets.size();
    if (range.min.size() != n * recorded.series || range.max.size() != n * recorded.series
        || range.mean.size() != n * recorded.series || range.last.size() != n * recorded.series)
        return QStringLiteral("statistic arrays do not match %1 buckets").arg(n);
    for (std::size_t b = 0; b < n; ++b) {
        const TimeSeriesStore::Bucket& bucket = range.buckets[b];
        const auto first = static_cast<std::size_t>(
            std::lower_bound(recorded.times.begin(), recorded.times.end(), bucket.begin) - recorded.times.begin());
        const auto last = static_cast<std::size_t>(
            std::upper_bound(recorded.times.begin(), recorded.times.end(), bucket.end) - recorded.times.begin());
        if (first >= last)
            return QStringLiteral("bucket %1 [%2, %3] holds no recorded sample")
                .arg(b)
                .arg(bucket.begin)
                .arg(bucket.end);
        const Expected e = statsOf(recorded, first, last);
        if (e.begin != bucket.begin || e.end != bucket.end || e.samples != bucket.samples)
            return QStringLiteral("bucket %1: [%2, %3] x%4, expected [%5, %6] x%7")
                .arg(b)
                .arg(bucket.begin)
                .arg(bucket.end)
                .arg(bucket.samples)
                .arg(e.begin)
                .arg(e.end)
                .arg(e.samples);
        for (std::size_t s = 0; s < recorded.series; ++s) {
            if (!sameValue(range.minAt(s, b), e.min[s]) || !sameValue(range.maxAt(s, b), e.max[s])
                || !sameValue(range.lastAt(s, b), e.last[s]) || !closeValue(range.meanAt(s, b), e.mean[s]))
                return QStringLiteral("bucket %1 series %2: min/max/mean/last %3/%4/%5/%6, expected %7/%8/%9/%10")
                    .arg(b)
                    .arg(s)
                    .arg(range.minAt(s, b))
                    .arg(range.maxAt(s, b))
                    .arg(range.meanAt(s, b))
                    .arg(range.lastAt(s, b))
                    .arg(e.min[s])
                    .arg(e.max[s])
                    .arg(e.mean[s])
                    .arg(e.last[s]);
        }
    }
    for (std::size_t b = 1; b < n; ++b) {
        if (!(range.buckets[b - 1].end < range.buckets[b].begin))
            return QStringLiteral("buckets %1 and %2 overlap or are out of order").arg(b - 1).arg(b);
    }
    return {};
}

} // namespace

#define VERIFY_RANGE(range, recorded)                                                                                  \
    do {                                                                                                               \
        const QString problem = verifyAgainstRecorded(range, recorded);                                                \
        QVERIFY2(problem.isEmpty(), qPrintable(problem));                                                              \
    } while (false)

class TestTimeSeriesStore : public QObject
{
    Q_OBJECT

private slots:
    void emptyStore();
    void appendAndSnapshotRaw();
    void copyRawIsIncremental();
    void snapshotIsImmutable();
    void rawRetentionDropsOldest();
    void timeNeverRunsBackwards();
    void tierBucketsAggregateExactly();
    void nanValuesAreLeftOut();
    void lastTierCoarsensWithoutLosingSamples();
    void defaultConfigKeepsLongRuns();
    void rangeKeepsExtremesAndOrder();
    void rangeEdgeCases();
    void rawOnlyStore();
    void invalidConstructionThrows();
    void appendWithWrongValueCountThrows();
    void dayFitsMemoryBudget();
    void concurrentReadersSeeConsistentSnapshots();
};

void TestTimeSeriesStore::emptyStore()
{
    const TimeSeriesStore store(makeSeries(2), smallConfig());
    QCOMPARE(store.series().size(), std::size_t(2));
    QCOMPARE(store.sampleCount(), std::uint64_t(0));

    const TimeSeriesStore::Snapshot snapshot = store.snapshot();
    QCOMPARE(snapshot.seriesCount(), std::size_t(2));
    QCOMPARE(snapshot.sampleCount(), std::uint64_t(0));
    QCOMPARE(snapshot.levelCount(), std::size_t(4));
    const double bucketSeconds[] = {0.0, 1.0, 10.0, 60.0};
    for (std::size_t level = 0; level < 4; ++level) {
        QCOMPARE(snapshot.levelRows(level), std::size_t(0));
        QCOMPARE(snapshot.levelBucketSeconds(level), bucketSeconds[level]);
    }
    QVERIFY(std::isnan(snapshot.firstSeconds()));
    QVERIFY(std::isnan(snapshot.lastSeconds()));
    QCOMPARE(snapshot.firstRawSequence(), std::uint64_t(0));

    std::vector<double> times, values;
    QCOMPARE(snapshot.copyRaw(0, 0, times, values), std::uint64_t(0));
    QVERIFY(times.empty() && values.empty());

    const Range range = snapshot.range(0, 100, 10);
    QVERIFY(range.buckets.empty());
    QCOMPARE(range.seriesCount, std::size_t(2));
}

void TestTimeSeriesStore::appendAndSnapshotRaw()
{
    TimeSeriesStore store(makeSeries(2), smallConfig());
    for (int k = 0; k < 10; ++k) {
        const double row[] = {double(k), double(-k * 3)};
        store.append(k * 0.1, row);
    }
    QCOMPARE(store.sampleCount(), std::uint64_t(10));

    const TimeSeriesStore::Snapshot snapshot = store.snapshot();
    QCOMPARE(snapshot.sampleCount(), std::uint64_t(10));
    QCOMPARE(snapshot.levelRows(0), std::size_t(10));
    QCOMPARE(snapshot.firstRawSequence(), std::uint64_t(0));
    QCOMPARE(snapshot.firstSeconds(), 0.0);
    QCOMPARE(snapshot.lastSeconds(), 9 * 0.1);
    // Nothing has left the first 1 s bucket yet.
    QCOMPARE(snapshot.levelRows(1), std::size_t(0));

    for (std::size_t series = 0; series < 2; ++series) {
        std::vector<double> times, values;
        QCOMPARE(snapshot.copyRaw(0, series, times, values), std::uint64_t(10));
        QCOMPARE(times.size(), std::size_t(10));
        QCOMPARE(values.size(), std::size_t(10));
        for (int k = 0; k < 10; ++k) {
            QCOMPARE(times[std::size_t(k)], k * 0.1);
            QCOMPARE(values[std::size_t(k)], series == 0 ? double(k) : double(-k * 3));
        }
    }

    // copyRaw appends rather than replacing, so a caller can accumulate.
    std::vector<double> times {42.0}, values {43.0};
    snapshot.copyRaw(8, 1, times, values);
    QCOMPARE(times, (std::vector<double> {42.0, 0.8, 0.9}));
    QCOMPARE(values, (std::vector<double> {43.0, -24.0, -27.0}));
}

void TestTimeSeriesStore::copyRawIsIncremental()
{
    TimeSeriesStore store(makeSeries(1), smallConfig());
    std::uint64_t next = 0;
    std::vector<double> times, values;
    // Batches that straddle the 16-row chunk boundaries.
    const int batches[] = {5, 11, 1, 16, 17, 30};
    int appended = 0;
    for (const int batch : batches) {
        for (int i = 0; i < batch; ++i, ++appended) {
            const double row[] = {double(appended)};
            store.append(appended * 0.25, row);
        }
        const TimeSeriesStore::Snapshot snapshot = store.snapshot();
        times.clear();
        values.clear();
        const std::uint64_t from = next;
        next = snapshot.copyRaw(from, 0, times, values);
        QCOMPARE(next, std::uint64_t(appended));
        QCOMPARE(values.size(), std::size_t(batch));
        for (std::size_t i = 0; i < values.size(); ++i) {
            QCOMPARE(values[i], double(from + i));
            QCOMPARE(times[i], double(from + i) * 0.25);
        }
        // Resuming at the end yields nothing new.
        std::vector<double> t2, v2;
        QCOMPARE(snapshot.copyRaw(next, 0, t2, v2), next);
        QVERIFY(t2.empty() && v2.empty());
    }

    const TimeSeriesStore::Snapshot snapshot = store.snapshot();
    std::vector<double> t2, v2;
    // Beyond the end: nothing, and the position is kept rather than moved back.
    QCOMPARE(snapshot.copyRaw(next + 50, 0, t2, v2), next + 50);
    // A series that does not exist copies nothing.
    QCOMPARE(snapshot.copyRaw(0, 1, t2, v2), next);
    QVERIFY(t2.empty() && v2.empty());
}

void TestTimeSeriesStore::snapshotIsImmutable()
{
    TimeSeriesStore store(makeSeries(1), smallConfig());
    for (int k = 0; k < 20; ++k) {
        const double row[] = {double(k)};
        store.append(k * 0.5, row);
    }
    const TimeSeriesStore::Snapshot before = store.snapshot();
    const Range rangeBefore = before.range(0, 9.5, 4);
    // Enough to fill chunks, close buckets in every tier and drop raw chunks.
    for (int k = 20; k < 2000; ++k) {
        const double row[] = {double(k)};
        store.append(k * 0.5, row);
    }
    QCOMPARE(before.sampleCount(), std::uint64_t(20));
    QCOMPARE(before.lastSeconds(), 9.5);
    QCOMPARE(before.firstRawSequence(), std::uint64_t(0));
    std::vector<double> times, values;
    QCOMPARE(before.copyRaw(0, 0, times, values), std::uint64_t(20));
    QCOMPARE(values.size(), std::size_t(20));
    QCOMPARE(values.back(), 19.0);
    const Range rangeAfter = before.range(0, 9.5, 4);
    QCOMPARE(rangeAfter.buckets.size(), rangeBefore.buckets.size());
    QCOMPARE(totalSamples(rangeAfter), std::uint64_t(20));
    QCOMPARE(rangeAfter.max, rangeBefore.max);
    QCOMPARE(rangeAfter.min, rangeBefore.min);

    QCOMPARE(store.snapshot().sampleCount(), std::uint64_t(2000));
}

void TestTimeSeriesStore::rawRetentionDropsOldest()
{
    const Config config = smallConfig();
    TimeSeriesStore store(makeSeries(1), config);
    for (int k = 0; k < 1000; ++k) {
        const double row[] = {double(k)};
        store.append(k * 0.05, row);
    }
    const TimeSeriesStore::Snapshot snapshot = store.snapshot();
    QCOMPARE(snapshot.sampleCount(), std::uint64_t(1000));
    const std::uint64_t first = snapshot.firstRawSequence();
    const std::size_t held = snapshot.levelRows(0);
    QVERIFY(first > 0);
    QVERIFY2(held >= config.rawRows, qPrintable(QStringLiteral("held %1").arg(held)));
    // Whole chunks are dropped, so at most one chunk beyond the configured rows is held.
    QVERIFY2(held < config.rawRows + config.chunkRows, qPrintable(QStringLiteral("held %1").arg(held)));
    QCOMPARE(first + held, std::uint64_t(1000));

    std::vector<double> times, values;
    QCOMPARE(snapshot.copyRaw(0, 0, times, values), std::uint64_t(1000));
    QCOMPARE(values.size(), held);
    for (std::size_t i = 0; i < values.size(); ++i) {
        QCOMPARE(values[i], double(first + i));
        QCOMPARE(times[i], double(first + i) * 0.05);
    }
    // A position inside the held window is honoured exactly.
    times.clear();
    values.clear();
    QCOMPARE(snapshot.copyRaw(first + 7, 0, times, values), std::uint64_t(1000));
    QCOMPARE(values.size(), held - 7);
    QCOMPARE(values.front(), double(first + 7));
}

void TestTimeSeriesStore::timeNeverRunsBackwards()
{
    TimeSeriesStore store(makeSeries(1), smallConfig());
    const double one[] = {1.0};
    const double two[] = {2.0};
    const double three[] = {3.0};
    store.append(5.0, one);
    store.append(4.0, two); // a clock step backwards is held at the last time
    store.append(5.5, three);
    std::vector<double> times, values;
    store.snapshot().copyRaw(0, 0, times, values);
    QCOMPARE(times, (std::vector<double> {5.0, 5.0, 5.5}));
    QCOMPARE(values, (std::vector<double> {1.0, 2.0, 3.0}));
}

void TestTimeSeriesStore::tierBucketsAggregateExactly()
{
    // 200 s at 4 Hz on exact binary times: the 10 s tier then reaches back to t = 0, the
    // 1 s tier only to ~t = 144 and raw samples to ~t = 172.
    TimeSeriesStore store(makeSeries(2), smallConfig());
    Recorded recorded;
    recorded.series = 2;
    for (std::size_t k = 0; k < 800; ++k)
        appendRecorded(store, recorded, double(k) * 0.25, {patternValue(k, 0), patternValue(k, 1)});
    const TimeSeriesStore::Snapshot snapshot = store.snapshot();
    QCOMPARE(snapshot.sampleCount(), std::uint64_t(800));
    QVERIFY(snapshot.levelRows(1) > 0 && snapshot.levelRows(2) > 0);
    QCOMPARE(snapshot.levelBucketSeconds(3), 60.0);
    QCOMPARE(snapshot.levelRows(3), std::size_t(3)); // [0,60) [60,120) [120,180); [180,240) still open

    auto checkBuckets = [&](const Range& range, double first, double bucketSeconds, std::size_t count) {
        QCOMPARE(range.buckets.size(), count);
        for (std::size_t b = 0; b < count; ++b) {
            const double begin = first + double(b) * bucketSeconds;
            const std::size_t from = std::size_t(begin * 4);
            const std::size_t to = from + std::size_t(bucketSeconds * 4);
            const Expected e = statsOf(recorded, from, to);
            QCOMPARE(range.buckets[b].begin, e.begin);
            QCOMPARE(range.buckets[b].end, e.end);
            QCOMPARE(range.buckets[b].samples, e.samples);
            for (std::size_t s = 0; s < 2; ++s) {
                QVERIFY(sameValue(range.minAt(s, b), e.min[s]));
                QVERIFY(sameValue(range.maxAt(s, b), e.max[s]));
                QVERIFY(sameValue(range.lastAt(s, b), e.last[s]));
                QVERIFY2(closeValue(range.meanAt(s, b), e.mean[s]),
                    qPrintable(QStringLiteral("bucket %1 series %2 mean %3, expected %4")
                                   .arg(b)
                                   .arg(s)
                                   .arg(range.meanAt(s, b))
                                   .arg(e.mean[s])));
            }
        }
    };

    // Twenty buckets just under 10 s wide line up with the 10 s tier; the last one is
    // stitched from 1 s rows and raw samples newer than the tier.
    const Range tenSeconds = snapshot.range(0, 199.75, 20);
    checkBuckets(tenSeconds, 0.0, 10.0, 20);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(totalSamples(tenSeconds), std::uint64_t(800));

    // A span the 1 s tier reaches but raw samples do not: one bucket per second.
    QVERIFY(snapshot.firstRawSequence() > 150 * 4);
    const Range oneSecond = snapshot.range(150, 189.75, 40);
    checkBuckets(oneSecond, 150.0, 1.0, 40);
    if (QTest::currentTestFailed())
        return;

    // A recent span is served from raw samples, one per bucket.
    const Range raw = snapshot.range(195, 199.75, 20);
    QCOMPARE(raw.buckets.size(), std::size_t(20));
    for (std::size_t b = 0; b < 20; ++b) {
        const std::size_t k = 780 + b;
        QCOMPARE(raw.buckets[b].samples, std::uint64_t(1));
        QCOMPARE(raw.buckets[b].begin, recorded.times[k]);
        QCOMPARE(raw.minAt(1, b), patternValue(k, 1));
        QCOMPARE(raw.maxAt(1, b), patternValue(k, 1));
        QCOMPARE(raw.meanAt(1, b), patternValue(k, 1));
    }

    VERIFY_RANGE(snapshot.range(0, 199.75, 1), recorded);
    VERIFY_RANGE(snapshot.range(0, 199.75, 7), recorded);
    VERIFY_RANGE(snapshot.range(0, 199.75, 1000), recorded);
}

void TestTimeSeriesStore::nanValuesAreLeftOut()
{
    // A tiny raw window so second 2 is only held by the 1 s tier, while second 9 is
    // still raw: NaN handling is exercised on both paths.
    Config config;
    config.rawRows = 8;
    config.chunkRows = 4;
    config.tiers = {{1.0, 50}, {10.0, 20}};
    TimeSeriesStore store(makeSeries(2), config);
    Recorded recorded;
    recorded.series = 2;
    for (std::size_t k = 0; k < 40; ++k) {
        const std::size_t second = k / 4;
        // Series 0: nothing during seconds 2 and 9 (no build running); series 1: every other sample.
        const double v0 = second == 2 || second == 9 ? kNaN : patternValue(k, 0);
        const double v1 = k % 2 == 1 ? kNaN : patternValue(k, 1);
        appendRecorded(store, recorded, double(k) * 0.25, {v0, v1});
    }
    const TimeSeriesStore::Snapshot snapshot = store.snapshot();
    QVERIFY(snapshot.firstRawSequence() > 2 * 4 + 3);
    QVERIFY(snapshot.firstRawSequence() <= 9 * 4);

    const Range range = snapshot.range(0, 9.75, 10);
    QCOMPARE(range.buckets.size(), std::size_t(10));
    for (std::size_t b = 0; b < 10; ++b) {
        // NaN samples still count as samples of the bucket.
        QCOMPARE(range.buckets[b].samples, std::uint64_t(4));
        const bool empty0 = b == 2 || b == 9;
        QCOMPARE(std::isnan(range.minAt(0, b)), empty0);
        QCOMPARE(std::isnan(range.maxAt(0, b)), empty0);
        QCOMPARE(std::isnan(range.meanAt(0, b)), empty0);
        QCOMPARE(std::isnan(range.lastAt(0, b)), empty0);
        // Series 1 holds samples 4b and 4b+2 only; the last valid one is 4b+2.
        const double a = patternValue(4 * b, 1);
        const double c = patternValue(4 * b + 2, 1);
        QCOMPARE(range.minAt(1, b), std::min(a, c));
        QCOMPARE(range.maxAt(1, b), std::max(a, c));
        QCOMPARE(range.meanAt(1, b), (a + c) / 2);
        QCOMPARE(range.lastAt(1, b), c);
    }
    VERIFY_RANGE(range, recorded);
    VERIFY_RANGE(snapshot.range(0, 9.75, 1), recorded);

    // Raw copies keep NaN as "no value".
    std::vector<double> times, values;
    snapshot.copyRaw(9 * 4, 0, times, values);
    QCOMPARE(values.size(), std::size_t(4));
    for (const double v : values)
        QVERIFY(std::isnan(v));
}

void TestTimeSeriesStore::lastTierCoarsensWithoutLosingSamples()
{
    // The 10 s tier keeps >= 2000 s, more than the widest bucket the 60 s tier reaches
    // (960 s), so recent time is always covered by a finer level while the coarsest
    // bucket is still open.
    Config config = smallConfig();
    config.tiers = {{1.0, 50}, {10.0, 200}, {60.0, 8}};
    TimeSeriesStore store(makeSeries(2), config);
    Recorded recorded;
    recorded.series = 2;
    const std::size_t last = config.tiers.size();
    double bucketSeconds = 60.0;
    int doublings = 0;
    constexpr std::size_t kSamples = 18000; // 9000 s at 2 Hz
    for (std::size_t k = 0; k < kSamples; ++k) {
        appendRecorded(store, recorded, double(k) * 0.5, {patternValue(k, 0), double(k)});
        const TimeSeriesStore::Snapshot snapshot = store.snapshot();
        QVERIFY2(snapshot.levelRows(last) <= config.tiers.back().rows,
            qPrintable(QStringLiteral("%1 rows at sample %2").arg(snapshot.levelRows(last)).arg(k)));
        const double now = snapshot.levelBucketSeconds(last);
        const bool doubled = now != bucketSeconds;
        if (doubled) {
            QCOMPARE(now, bucketSeconds * 2); // one doubling at a time
            bucketSeconds = now;
            ++doublings;
        }
        if (k % 97 == 0 || doubled) {
            const Range range = snapshot.range(snapshot.firstSeconds(), snapshot.lastSeconds(), 100000);
            QVERIFY2(totalSamples(range) == k + 1,
                qPrintable(
                    QStringLiteral("range holds %1 samples after %2 appended").arg(totalSamples(range)).arg(k + 1)));
        }
    }
    QVERIFY2(doublings >= 3, qPrintable(QStringLiteral("only %1 doublings").arg(doublings)));

    const TimeSeriesStore::Snapshot snapshot = store.snapshot();
    QCOMPARE(snapshot.levelBucketSeconds(last), 60.0 * std::pow(2.0, doublings));
    // The coarsest tier still reaches back to the very first sample.
    QCOMPARE(snapshot.firstSeconds(), 0.0);

    // Every bucket, at full resolution and coarser, matches the samples it claims to hold:
    // merging rows into doubled buckets keeps min, max, mean, last and counts exact.
    const Range all = snapshot.range(0, snapshot.lastSeconds(), 100000);
    QCOMPARE(totalSamples(all), std::uint64_t(kSamples));
    VERIFY_RANGE(all, recorded);
    // The oldest buckets are coarse rows of the last tier, aligned on its current width.
    QCOMPARE(all.buckets.front().begin, 0.0);
    QCOMPARE(all.buckets.front().end, bucketSeconds - 0.5);
    QCOMPARE(all.buckets.front().samples, std::uint64_t(bucketSeconds * 2));
    VERIFY_RANGE(snapshot.range(0, snapshot.lastSeconds(), 1), recorded);
    VERIFY_RANGE(snapshot.range(0, snapshot.lastSeconds(), 13), recorded);
    VERIFY_RANGE(snapshot.range(1000, 5000, 50), recorded);
}

void TestTimeSeriesStore::defaultConfigKeepsLongRuns()
{
    // Ten days at one sample per 5 s: the default 60 s tier fills (68 h) and doubles twice,
    // and every sample must still be accounted for exactly once.
    TimeSeriesStore store(makeSeries(2));
    Recorded recorded;
    recorded.series = 2;
    constexpr std::size_t kSamples = 10 * 24 * 720;
    for (std::size_t k = 0; k < kSamples; ++k) {
        appendRecorded(store, recorded, double(k) * 5.0, {patternValue(k, 0), double(k % 5000)});
        if (k % 10000 == 9999) {
            const TimeSeriesStore::Snapshot snapshot = store.snapshot();
            const Range range = snapshot.range(snapshot.firstSeconds(), snapshot.lastSeconds(), 500);
            QCOMPARE(totalSamples(range), std::uint64_t(k + 1));
        }
    }
    const TimeSeriesStore::Snapshot snapshot = store.snapshot();
    QCOMPARE(snapshot.levelBucketSeconds(3), 240.0);
    QVERIFY(snapshot.levelRows(3) <= store.config().tiers.back().rows);
    QCOMPARE(snapshot.firstSeconds(), 0.0);
    for (const std::size_t maxBuckets : {std::size_t(1), std::size_t(240), std::size_t(5000)}) {
        const Range range = snapshot.range(0, snapshot.lastSeconds(), maxBuckets);
        QCOMPARE(totalSamples(range), std::uint64_t(kSamples));
        VERIFY_RANGE(range, recorded);
    }
    // The last two days at the 10 s tier's resolution.
    VERIFY_RANGE(snapshot.range(snapshot.lastSeconds() - 2 * 86400, snapshot.lastSeconds(), 2000), recorded);
}

void TestTimeSeriesStore::rangeKeepsExtremesAndOrder()
{
    Config config = smallConfig();
    config.tiers = {{1.0, 50}, {10.0, 200}, {60.0, 8}};
    TimeSeriesStore store(makeSeries(3), config);
    Recorded recorded;
    recorded.series = 3;
    std::mt19937 random(12345);
    std::normal_distribution<double> noise(0.0, 100.0);
    constexpr std::size_t kSamples = 6000; // 1500 s at 4 Hz: every tier in use, the last one coarsened
    const std::size_t spikeHigh = 1234;
    const std::size_t spikeLow = 4321;
    double t = 0;
    for (std::size_t k = 0; k < kSamples; ++k) {
        std::vector<double> row {noise(random), noise(random) + double(k), std::sin(double(k) / 50.0)};
        if (k == spikeHigh)
            row[0] = 1e6;
        if (k == spikeLow)
            row[0] = -1e6;
        t += 0.125 + 0.25 * std::uniform_real_distribution<double>(0, 1)(random); // irregular spacing
        appendRecorded(store, recorded, t, row);
    }
    const TimeSeriesStore::Snapshot snapshot = store.snapshot();
    QVERIFY(snapshot.levelBucketSeconds(3) > 60.0);

    auto trueExtremes = [&](std::size_t s, double begin, double end) {
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        for (std::size_t k = 0; k < kSamples; ++k) {
            if (recorded.times[k] >= begin && recorded.times[k] <= end) {
                lo = std::min(lo, recorded.value(k, s));
                hi = std::max(hi, recorded.value(k, s));
            }
        }
        return std::pair {lo, hi};
    };
    auto rangeExtremes = [](const Range& range, std::size_t s) {
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        for (std::size_t b = 0; b < range.buckets.size(); ++b) {
            lo = std::min(lo, range.minAt(s, b));
            hi = std::max(hi, range.maxAt(s, b));
        }
        return std::pair {lo, hi};
    };

    const double first = snapshot.firstSeconds();
    const double lastTime = snapshot.lastSeconds();
    QCOMPARE(first, recorded.times.front());
    QCOMPARE(lastTime, recorded.times.back());
    for (const std::size_t maxBuckets :
        {std::size_t(1), std::size_t(2), std::size_t(7), std::size_t(100), std::size_t(5000)}) {
        const Range range = snapshot.range(first, lastTime, maxBuckets);
        QVERIFY(!range.buckets.empty());
        QVERIFY(range.buckets.size() <= maxBuckets);
        QCOMPARE(totalSamples(range), std::uint64_t(kSamples));
        QCOMPARE(range.buckets.front().begin, first);
        QCOMPARE(range.buckets.back().end, lastTime);
        for (std::size_t s = 0; s < 3; ++s) {
            const auto [lo, hi] = trueExtremes(s, first, lastTime);
            const auto [rangeLo, rangeHi] = rangeExtremes(range, s);
            QCOMPARE(rangeLo, lo);
            QCOMPARE(rangeHi, hi);
        }
        QCOMPARE(rangeExtremes(range, 0).second, 1e6);
        QCOMPARE(rangeExtremes(range, 0).first, -1e6);
        VERIFY_RANGE(range, recorded);
    }

    // Any span: buckets may reach past its edges (whole stored rows), so the reported
    // envelope may be wider but never narrower than the samples inside the span, and
    // a spike inside the span is reported exactly.
    std::uniform_real_distribution<double> at(first, lastTime);
    for (int i = 0; i < 200; ++i) {
        double begin = at(random);
        double end = at(random);
        if (begin > end)
            std::swap(begin, end);
        const std::size_t maxBuckets = 1 + std::size_t(i % 40);
        const Range range = snapshot.range(begin, end, maxBuckets);
        QVERIFY(range.buckets.size() <= maxBuckets);
        VERIFY_RANGE(range, recorded);
        for (std::size_t s = 0; s < 3; ++s) {
            const auto [lo, hi] = trueExtremes(s, begin, end);
            if (std::isinf(lo))
                continue; // no sample inside a very short span
            const auto [rangeLo, rangeHi] = rangeExtremes(range, s);
            QVERIFY2(rangeLo <= lo && rangeHi >= hi,
                qPrintable(QStringLiteral("span [%1, %2] series %3: range [%4, %5] misses [%6, %7]")
                               .arg(begin)
                               .arg(end)
                               .arg(s)
                               .arg(rangeLo)
                               .arg(rangeHi)
                               .arg(lo)
                               .arg(hi)));
            if (s == 0 && recorded.times[spikeHigh] >= begin && recorded.times[spikeHigh] <= end)
                QCOMPARE(rangeHi, 1e6);
            if (s == 0 && recorded.times[spikeLow] >= begin && recorded.times[spikeLow] <= end)
                QCOMPARE(rangeLo, -1e6);
        }
    }
}

void TestTimeSeriesStore::rangeEdgeCases()
{
    TimeSeriesStore store(makeSeries(1), smallConfig());
    Recorded recorded;
    recorded.series = 1;
    for (std::size_t k = 0; k < 400; ++k)
        appendRecorded(store, recorded, 10.0 + double(k) * 0.25, {double(k)});
    const TimeSeriesStore::Snapshot snapshot = store.snapshot();

    QVERIFY(snapshot.range(50, 40, 10).buckets.empty()); // end before begin
    QVERIFY(snapshot.range(10, 50, 0).buckets.empty());
    QVERIFY(snapshot.range(0, 5, 10).buckets.empty()); // before the first sample
    QVERIFY(snapshot.range(200, 300, 10).buckets.empty()); // after the last sample
    QVERIFY(snapshot.range(kNaN, 50, 10).buckets.empty());

    // A zero-length span at a raw sample returns that sample.
    const double at = recorded.times[390];
    const Range point = snapshot.range(at, at, 5);
    QCOMPARE(point.buckets.size(), std::size_t(1));
    QCOMPARE(point.buckets[0].samples, std::uint64_t(1));
    QCOMPARE(point.minAt(0, 0), 390.0);

    // A span starting before the data is served from the coarsest level.
    const Range wide = snapshot.range(0, 1000, 10);
    QCOMPARE(totalSamples(wide), std::uint64_t(400));
    VERIFY_RANGE(wide, recorded);
}

void TestTimeSeriesStore::rawOnlyStore()
{
    Config config;
    config.rawRows = 32;
    config.chunkRows = 8;
    config.tiers = {};
    TimeSeriesStore store(makeSeries(1), config);
    Recorded recorded;
    recorded.series = 1;
    for (std::size_t k = 0; k < 100; ++k)
        appendRecorded(store, recorded, double(k), {double(k) * 2});
    const TimeSeriesStore::Snapshot snapshot = store.snapshot();
    QCOMPARE(snapshot.levelCount(), std::size_t(1));
    QCOMPARE(snapshot.sampleCount(), std::uint64_t(100));
    QCOMPARE(snapshot.firstSeconds(), double(snapshot.firstRawSequence()));
    const Range range = snapshot.range(0, 99, 10);
    QCOMPARE(totalSamples(range), std::uint64_t(snapshot.levelRows(0)));
    QCOMPARE(range.buckets.back().end, 99.0);
    QCOMPARE(range.maxAt(0, range.buckets.size() - 1), 198.0);
    VERIFY_RANGE(range, recorded);
}

void TestTimeSeriesStore::invalidConstructionThrows()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TimeSeriesStore({}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TimeSeriesStore({}, smallConfig()));

    auto withTiers = [](std::vector<TimeSeriesStore::TierSpec> tiers) {
        Config config = smallConfig();
        config.tiers = std::move(tiers);
        return config;
    };
    const Config bad[] = {
        withTiers({{10.0, 20}, {1.0, 50}}), // decreasing durations
        withTiers({{1.0, 50}, {1.0, 50}}), // equal durations
        withTiers({{0.0, 50}}), // zero-length buckets
        withTiers({{-1.0, 50}}),
        withTiers({{kNaN, 50}}),
        withTiers({{1.0, 1}}), // a tier must hold at least two rows
        withTiers({{1.0, 0}}),
    };
    for (const Config& config : bad)
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TimeSeriesStore(makeSeries(1), config));

    Config noRaw = smallConfig();
    noRaw.rawRows = 0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TimeSeriesStore(makeSeries(1), noRaw));
    Config noChunk = smallConfig();
    noChunk.chunkRows = 0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TimeSeriesStore(makeSeries(1), noChunk));

    // The defaults and the small test configuration are valid.
    const TimeSeriesStore defaults(makeSeries(1));
    QCOMPARE(defaults.config().tiers.size(), std::size_t(3));
    const TimeSeriesStore small(makeSeries(1), smallConfig());
    QCOMPARE(small.config().rawRows, std::size_t(100));
}

void TestTimeSeriesStore::appendWithWrongValueCountThrows()
{
    TimeSeriesStore store(makeSeries(3), smallConfig());
    const double two[] = {1, 2};
    const double three[] = {1, 2, 3};
    const double four[] = {1, 2, 3, 4};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.append(0.0, two));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.append(0.0, four));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.append(0.0, std::span<const double>()));
    QCOMPARE(store.sampleCount(), std::uint64_t(0));
    store.append(0.0, three);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.append(1.0, two));
    QCOMPARE(store.sampleCount(), std::uint64_t(1));
    QCOMPARE(store.snapshot().sampleCount(), std::uint64_t(1));
}

void TestTimeSeriesStore::dayFitsMemoryBudget()
{
    QVERIFY(HeapTracker::isInstalled());
    // The engine's series (2 self-memory, 5 heap, 2 process tree, 7 pools x 3 = 30) with
    // room for one more pool: 33.
    std::vector<SeriesSpec> series {{"engine_rss_bytes", "bytes"}, {"engine_peak_rss_bytes", "bytes"},
        {"heap_live_bytes", "bytes"}, {"heap_peak_live_bytes", "bytes"}, {"heap_allocations", "count"},
        {"heap_frees", "count"}, {"heap_allocated_bytes", "bytes"}, {"tree_rss_bytes", "bytes"},
        {"tree_processes", "processes"}};
    for (int pool = 0; pool < 8; ++pool) {
        const std::string name = "pool" + std::to_string(pool) + ".64KiB";
        series.push_back({name + ".acquires", "count"});
        series.push_back({name + ".hits", "count"});
        series.push_back({name + ".retained_bytes", "bytes"});
    }
    constexpr std::size_t kSeries = 33;
    QCOMPARE(series.size(), kSeries);
    const std::size_t budget = TimeSeriesStore::memoryBudgetBytes(kSeries, Config {});
    QVERIFY2(budget <= 64 * kMiB, qPrintable(QStringLiteral("budget %1 bytes").arg(budget)));

    constexpr std::size_t kSamples = 24 * 3600 * 20;
    std::vector<double> row(kSeries);
    std::vector<double> lowest(kSeries, std::numeric_limits<double>::infinity());
    std::vector<double> highest(kSeries, -std::numeric_limits<double>::infinity());

    const std::int64_t liveBefore = HeapTracker::snapshot().liveBytes;
    auto store = std::make_unique<TimeSeriesStore>(std::move(series));
    for (std::size_t k = 0; k < kSamples; ++k) {
        for (std::size_t s = 0; s < kSeries; ++s)
            row[s] = static_cast<double>((k * (s + 3)) % (1000 + 37 * s)) * double(s + 1) + double(k / 1000);
        // No build step runs a quarter of the time: the tree series have no value then.
        if (k % 20000 < 5000)
            row[7] = row[8] = kNaN;
        for (std::size_t s = 0; s < kSeries; ++s) {
            if (!std::isnan(row[s])) {
                lowest[s] = std::min(lowest[s], row[s]);
                highest[s] = std::max(highest[s], row[s]);
            }
        }
        store->append(double(k) * 0.05, row);
    }
    const std::int64_t liveAfter = HeapTracker::snapshot().liveBytes;
    const std::int64_t footprint = liveAfter - liveBefore;
    const std::size_t accounted = store->memoryBytes();

    qInfo("24 h at 20 Hz, %zu series: heap footprint %lld bytes (%.1f MiB), memoryBytes() %zu, budget %zu bytes "
          "(%.1f MiB)",
        kSeries, static_cast<long long>(footprint), double(footprint) / double(kMiB), accounted, budget,
        double(budget) / double(kMiB));

    QVERIFY2(accounted <= budget, qPrintable(QStringLiteral("memoryBytes %1 > budget %2").arg(accounted).arg(budget)));
    QVERIFY2(footprint > 0 && std::size_t(footprint) <= budget,
        qPrintable(QStringLiteral("heap footprint %1 > budget %2").arg(footprint).arg(budget)));
    QVERIFY(std::size_t(footprint) <= 64 * kMiB);
    // memoryBytes() describes the real footprint rather than a wild over- or underestimate.
    QVERIFY2(double(footprint) >= 0.9 * double(accounted) && double(footprint) <= 1.1 * double(accounted),
        qPrintable(QStringLiteral("heap footprint %1 vs memoryBytes %2").arg(footprint).arg(accounted)));

    const TimeSeriesStore::Snapshot snapshot = store->snapshot();
    QCOMPARE(snapshot.sampleCount(), std::uint64_t(kSamples));
    QCOMPARE(snapshot.firstSeconds(), 0.0);
    const Range day = snapshot.range(0, 86400, 1440);
    QVERIFY(day.buckets.size() <= 1440);
    QCOMPARE(totalSamples(day), std::uint64_t(kSamples));
    QCOMPARE(day.buckets.front().begin, 0.0);
    QCOMPARE(day.buckets.back().end, double(kSamples - 1) * 0.05);
    for (std::size_t s = 0; s < kSeries; ++s) {
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        for (std::size_t b = 0; b < day.buckets.size(); ++b) {
            if (!std::isnan(day.minAt(s, b))) {
                lo = std::min(lo, day.minAt(s, b));
                hi = std::max(hi, day.maxAt(s, b));
            }
        }
        QCOMPARE(lo, lowest[s]);
        QCOMPARE(hi, highest[s]);
    }
}

void TestTimeSeriesStore::concurrentReadersSeeConsistentSnapshots()
{
    // Every value of row k is k and its time k * 0.05, so any torn row, lost or repeated
    // sample, or mix of levels from different moments shows up as a mismatch.
    Config config = smallConfig();
    config.tiers = {{1.0, 50}, {10.0, 300}, {60.0, 8}};
    constexpr std::size_t kSeries = 3;
    constexpr std::uint64_t kSamples = 200000;
    TimeSeriesStore store(makeSeries(kSeries), config);

    std::atomic<bool> done {false};
    std::atomic<std::uint64_t> helperFailures {0};
    std::atomic<std::uint64_t> helperChecks {0};
    QString helperProblem;

    // Checks a range over everything against the row-k-is-k rule; returns a problem or empty.
    auto checkRange = [](const TimeSeriesStore::Snapshot& snapshot, std::size_t maxBuckets) -> QString {
        const std::uint64_t n = snapshot.sampleCount();
        const Range range = snapshot.range(snapshot.firstSeconds(), snapshot.lastSeconds(), maxBuckets);
        if (n == 0)
            return range.buckets.empty() ? QString() : QStringLiteral("buckets in an empty snapshot");
        if (range.buckets.empty() || range.buckets.size() > maxBuckets)
            return QStringLiteral("%1 buckets for %2 samples").arg(range.buckets.size()).arg(n);
        double expectedFirst = 0;
        for (std::size_t b = 0; b < range.buckets.size(); ++b) {
            const TimeSeriesStore::Bucket& bucket = range.buckets[b];
            for (std::size_t s = 0; s < kSeries; ++s) {
                const double lo = range.minAt(s, b);
                const double hi = range.maxAt(s, b);
                if (lo != expectedFirst || hi - lo + 1 != double(bucket.samples) || range.lastAt(s, b) != hi
                    || !closeValue(range.meanAt(s, b), (lo + hi) / 2) || bucket.begin != lo * 0.05
                    || bucket.end != hi * 0.05)
                    return QStringLiteral("bucket %1/%2 series %3: [%4, %5] x%6 min %7 max %8, expected min %9 (n %10)")
                        .arg(b)
                        .arg(range.buckets.size())
                        .arg(s)
                        .arg(bucket.begin)
                        .arg(bucket.end)
                        .arg(bucket.samples)
                        .arg(lo)
                        .arg(hi)
                        .arg(expectedFirst)
                        .arg(n);
            }
            expectedFirst = range.maxAt(0, b) + 1;
        }
        if (expectedFirst != double(n))
            return QStringLiteral("range ends at sample %1, snapshot holds %2").arg(expectedFirst).arg(n);
        return {};
    };

    std::thread writer([&] {
        std::vector<double> row(kSeries);
        for (std::uint64_t k = 0; k < kSamples; ++k) {
            std::fill(row.begin(), row.end(), double(k));
            store.append(double(k) * 0.05, row);
        }
        done.store(true, std::memory_order_release);
    });
    // A second reader: QTest macros belong to the main thread, so it only counts problems.
    std::thread helper([&] {
        std::uint64_t previous = 0;
        while (!done.load(std::memory_order_acquire)) {
            const TimeSeriesStore::Snapshot snapshot = store.snapshot();
            QString problem = checkRange(snapshot, 1 + previous % 17);
            if (snapshot.sampleCount() < previous)
                problem = QStringLiteral("sample count went from %1 to %2").arg(previous).arg(snapshot.sampleCount());
            if (!problem.isEmpty() && helperFailures.fetch_add(1, std::memory_order_relaxed) == 0)
                helperProblem = problem; // read by the main thread only after join()
            previous = snapshot.sampleCount();
            helperChecks.fetch_add(1, std::memory_order_relaxed);
        }
    });
    // Joined however the test returns (a failed QVERIFY returns early). std::jthread would do
    // it, but libc++ has it only from LLVM 20.
    struct JoinBoth
    {
        std::thread& first;
        std::thread& second;
        ~JoinBoth()
        {
            if (first.joinable())
                first.join();
            if (second.joinable())
                second.join();
        }
    } joinBoth {writer, helper};

    std::uint64_t previous = 0;
    std::uint64_t next = 0;
    std::uint64_t snapshots = 0;
    std::vector<double> times, values, times2, values2;
    for (bool last = false; !last;) {
        last = done.load(std::memory_order_acquire);
        const std::uint64_t published = store.sampleCount();
        const TimeSeriesStore::Snapshot snapshot = store.snapshot();
        ++snapshots;
        const std::uint64_t n = snapshot.sampleCount();
        QVERIFY2(n >= previous, qPrintable(QStringLiteral("sample count went from %1 to %2").arg(previous).arg(n)));
        QVERIFY2(n >= published, qPrintable(QStringLiteral("snapshot %1 behind sampleCount %2").arg(n).arg(published)));
        previous = n;

        times.clear();
        values.clear();
        times2.clear();
        values2.clear();
        const std::uint64_t from = next;
        next = snapshot.copyRaw(from, 0, times, values);
        QCOMPARE(snapshot.copyRaw(from, kSeries - 1, times2, values2), next);
        QCOMPARE(next, n);
        QCOMPARE(values2, values);
        if (!values.empty()) {
            const double expectedFirst = double(std::max(from, snapshot.firstRawSequence()));
            QCOMPARE(values.front(), expectedFirst);
            QCOMPARE(values.back(), double(n - 1));
            QCOMPARE(double(values.size()), double(n) - expectedFirst);
            for (std::size_t i = 0; i < values.size(); ++i) {
                QVERIFY2(times[i] == values[i] * 0.05,
                    qPrintable(QStringLiteral("torn row: time %1 value %2").arg(times[i]).arg(values[i])));
                QVERIFY(i == 0 || (times[i] > times[i - 1] && values[i] == values[i - 1] + 1));
            }
        }
        const QString problem = checkRange(snapshot, 1 + snapshots % 64);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        if (!last)
            std::this_thread::yield();
    }
    writer.join();
    helper.join();
    QVERIFY2(helperFailures.load() == 0,
        qPrintable(QStringLiteral("%1 failures in the second reader, first: %2")
                       .arg(helperFailures.load())
                       .arg(helperProblem)));
    QVERIFY(helperChecks.load() > 0);
    QCOMPARE(store.sampleCount(), kSamples);
    QCOMPARE(previous, kSamples);
    const QString final = checkRange(store.snapshot(), 1000);
    QVERIFY2(final.isEmpty(), qPrintable(final));
    qInfo("%llu snapshots checked while writing (%llu by the second reader)",
        static_cast<unsigned long long>(snapshots), static_cast<unsigned long long>(helperChecks.load()));
}

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestTimeSeriesStore)
#include "tst_timeseriesstore.moc"
