#include "memory/bufferpool.h"
#include "memory/heaptracker.h"
#include "memory/sampler.h"
#include "engine/samplesources.h"

#include <QtTest>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <thread>
#include <unistd.h>
#include <vector>

namespace buildscope {

namespace {

using namespace std::chrono_literals;

// Writes (n, -n, offset + n) on its n-th read (from 1), so every stored row tells which
// read produced it and which source's columns it landed in.
class CountingSource : public SampleSource
{
public:
    CountingSource(std::string prefix, double offset, std::shared_ptr<std::atomic<int>> reads)
        : m_prefix(std::move(prefix))
        , m_offset(offset)
        , m_reads(std::move(reads))
    { }
    std::vector<SeriesSpec> series() const override
    {
        return {{m_prefix + ".count", "count"}, {m_prefix + ".negated", "count"}, {m_prefix + ".offset", "count"}};
    }
    void read(std::span<double> out) override
    {
        if (out.size() != 3)
            m_badSpans.fetch_add(1, std::memory_order_relaxed);
        const int n = m_reads->fetch_add(1, std::memory_order_relaxed) + 1;
        out[0] = n;
        out[1] = -n;
        out[2] = m_offset + n;
    }
    static int badSpans() { return m_badSpans.load(); }

private:
    std::string m_prefix;
    double m_offset;
    std::shared_ptr<std::atomic<int>> m_reads;
    static inline std::atomic<int> m_badSpans {0};
};

std::vector<std::unique_ptr<SampleSource>> countingSources(std::shared_ptr<std::atomic<int>> reads)
{
    std::vector<std::unique_ptr<SampleSource>> sources;
    sources.push_back(std::make_unique<CountingSource>("fake", 0.0, reads));
    return sources;
}

Sampler::Options at(double hz)
{
    Sampler::Options options;
    options.hz = hz;
    return options;
}

std::vector<double> readSource(SampleSource& source)
{
    std::vector<double> values(source.series().size(), -12345.0);
    source.read(values);
    return values;
}

std::vector<std::string> namesOf(const SampleSource& source)
{
    std::vector<std::string> names;
    for (const SeriesSpec& spec : source.series())
        names.push_back(spec.name);
    return names;
}

} // namespace

class TestSampler : public QObject
{
    Q_OBJECT

private slots:
    void samplesAtTheConfiguredRate();
    void columnsFollowSourceOrder();
    void startTwiceThrows();
    void stopWithoutStartIsHarmless();
    void destructorStopsAndTakesFinalSample();
    void invalidRateThrows();
    void seriesIndexFindsNames();

    void processTreeSource();
    void selfMemorySource();
    void heapSource();
    void poolSource();
    void samplerWithStandardSources();
};

void TestSampler::samplesAtTheConfiguredRate()
{
    auto reads = std::make_shared<std::atomic<int>>(0);
    Sampler sampler(countingSources(reads), at(100));
    QCOMPARE(sampler.hz(), 100.0);
    QVERIFY(!sampler.isRunning());
    QCOMPARE(reads->load(), 0); // nothing is read before start()

    sampler.start();
    QVERIFY(sampler.isRunning());
    std::this_thread::sleep_for(500ms);
    sampler.stop();
    const double elapsed = sampler.secondsSinceStart();
    QVERIFY(!sampler.isRunning());

    const std::uint64_t count = sampler.store().sampleCount();
    // The final sample at stop() makes the store hold every read.
    QCOMPARE(count, std::uint64_t(reads->load()));
    // ~51 ticks nominally; generous because the machine may be busy.
    QVERIFY2(count >= 20 && count <= 80, qPrintable(QStringLiteral("%1 samples in %2 s").arg(count).arg(elapsed)));
    // Late ticks skip ahead rather than burst: never more than one per period plus the
    // first and the final sample.
    QVERIFY2(
        double(count) <= elapsed * 100 + 3, qPrintable(QStringLiteral("%1 samples in %2 s").arg(count).arg(elapsed)));

    const TimeSeriesStore::Snapshot snapshot = sampler.store().snapshot();
    std::vector<double> times, values;
    QCOMPARE(snapshot.copyRaw(0, 0, times, values), count);
    QCOMPARE(times.size(), std::size_t(count));
    QVERIFY2(
        times.front() >= 0 && times.front() < 0.25, qPrintable(QStringLiteral("first at %1 s").arg(times.front())));
    for (std::size_t i = 0; i < values.size(); ++i) {
        QCOMPARE(values[i], double(i + 1)); // one read per row, in order
        if (i > 0)
            QVERIFY2(times[i] >= times[i - 1], qPrintable(QStringLiteral("time went back at %1").arg(i)));
    }
    // The final sample is taken at stop(), not at the last tick before it.
    QVERIFY2(times.back() >= 0.45 && times.back() <= elapsed,
        qPrintable(QStringLiteral("last at %1 s, stopped at %2 s").arg(times.back()).arg(elapsed)));

    // stop() is idempotent and reads nothing more.
    sampler.stop();
    QCOMPARE(sampler.store().sampleCount(), count);
    QCOMPARE(CountingSource::badSpans(), 0);
}

void TestSampler::columnsFollowSourceOrder()
{
    auto readsA = std::make_shared<std::atomic<int>>(0);
    auto readsB = std::make_shared<std::atomic<int>>(0);
    std::vector<std::unique_ptr<SampleSource>> sources;
    sources.push_back(std::make_unique<CountingSource>("a", 1000.0, readsA));
    sources.push_back(std::make_unique<CountingSource>("b", 2000.0, readsB));
    Sampler sampler(std::move(sources), at(200));
    QCOMPARE(sampler.store().series().size(), std::size_t(6));

    sampler.start();
    std::this_thread::sleep_for(50ms);
    sampler.stop();

    const std::uint64_t count = sampler.store().sampleCount();
    QVERIFY(count >= 2); // the first tick and the final sample at least
    QCOMPARE(std::uint64_t(readsA->load()), count);
    QCOMPARE(std::uint64_t(readsB->load()), count);
    const TimeSeriesStore::Snapshot snapshot = sampler.store().snapshot();
    // Row i holds read i + 1 of each source: value = scale * (i + 1) + base.
    const double scale[] = {1, -1, 1, 1, -1, 1};
    const double base[] = {0, 0, 1000, 0, 0, 2000};
    for (std::size_t column = 0; column < 6; ++column) {
        std::vector<double> times, values;
        snapshot.copyRaw(0, column, times, values);
        QCOMPARE(values.size(), std::size_t(count));
        for (std::size_t i = 0; i < values.size(); ++i)
            QCOMPARE(values[i], scale[column] * double(i + 1) + base[column]);
    }
    QCOMPARE(CountingSource::badSpans(), 0);
}

void TestSampler::startTwiceThrows()
{
    auto reads = std::make_shared<std::atomic<int>>(0);
    Sampler sampler(countingSources(reads), at(50));
    sampler.start();
    QVERIFY_THROWS_EXCEPTION(std::logic_error, sampler.start());
    QVERIFY(sampler.isRunning()); // the failed call leaves the running sampler alone
    sampler.stop();
    // A sampler runs once, even after it stopped.
    QVERIFY_THROWS_EXCEPTION(std::logic_error, sampler.start());
    QVERIFY(!sampler.isRunning());
    QCOMPARE(sampler.store().sampleCount(), std::uint64_t(reads->load()));
}

void TestSampler::stopWithoutStartIsHarmless()
{
    auto reads = std::make_shared<std::atomic<int>>(0);
    {
        Sampler sampler(countingSources(reads), at(50));
        sampler.stop();
        QVERIFY(!sampler.isRunning());
        QCOMPARE(sampler.store().sampleCount(), std::uint64_t(0));
    }
    QCOMPARE(reads->load(), 0);
}

void TestSampler::destructorStopsAndTakesFinalSample()
{
    auto reads = std::make_shared<std::atomic<int>>(0);
    {
        // 1 Hz: the first tick is at t = 0 and the next would be a second away.
        Sampler sampler(countingSources(reads), at(1));
        sampler.start();
        QTRY_COMPARE_WITH_TIMEOUT(sampler.store().sampleCount(), std::uint64_t(1), 5000);
    }
    // Destruction joined the thread promptly (no second tick) after the final sample.
    QCOMPARE(reads->load(), 2);
}

void TestSampler::invalidRateThrows()
{
    auto reads = std::make_shared<std::atomic<int>>(0);
    for (const double hz : {0.0, -1.0, 5000.0, 1000.5, std::numeric_limits<double>::quiet_NaN(),
             std::numeric_limits<double>::infinity()}) {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Sampler(countingSources(reads), at(hz)));
    }
    // The bounds themselves: up to 1000 Hz is accepted.
    const Sampler fastest(countingSources(reads), at(1000));
    QCOMPARE(fastest.hz(), 1000.0);
    const Sampler slow(countingSources(reads), at(0.1));
    QCOMPARE(slow.hz(), 0.1);
    const Sampler defaults(countingSources(reads));
    QCOMPARE(defaults.hz(), 20.0);
    QCOMPARE(reads->load(), 0);
}

void TestSampler::seriesIndexFindsNames()
{
    auto reads = std::make_shared<std::atomic<int>>(0);
    std::vector<std::unique_ptr<SampleSource>> sources;
    sources.push_back(std::make_unique<CountingSource>("a", 0.0, reads));
    sources.push_back(std::make_unique<SelfMemorySource>());
    sources.push_back(std::make_unique<CountingSource>("b", 0.0, reads));
    const Sampler sampler(std::move(sources));
    QCOMPARE(sampler.seriesIndex("a.count"), 0);
    QCOMPARE(sampler.seriesIndex("a.offset"), 2);
    QCOMPARE(sampler.seriesIndex("engine_rss_bytes"), 3);
    QCOMPARE(sampler.seriesIndex("engine_peak_rss_bytes"), 4);
    QCOMPARE(sampler.seriesIndex("b.count"), 5);
    QCOMPARE(sampler.seriesIndex("b.offset"), 7);
    QCOMPARE(sampler.seriesIndex("c.count"), -1);
    QCOMPARE(sampler.seriesIndex("a.coun"), -1); // no prefix matches
    QCOMPARE(sampler.seriesIndex(""), -1);
    QCOMPARE(sampler.store().series()[7].name, std::string("b.offset"));
    QCOMPARE(sampler.store().series()[3].unit, std::string("bytes"));
}

void TestSampler::processTreeSource()
{
    ProcessTreeSource source;
    QCOMPARE(namesOf(source), (std::vector<std::string> {"tree_rss_bytes", "tree_processes"}));
    QCOMPARE(source.watched(), pid_t(0));

    std::vector<double> values = readSource(source);
    QVERIFY(std::isnan(values[0]) && std::isnan(values[1])); // a gap, not a false zero

    source.watch(getpid());
    QCOMPARE(source.watched(), getpid());
    values = readSource(source);
    QVERIFY2(values[0] > 0, qPrintable(QStringLiteral("rss %1").arg(values[0])));
    QVERIFY(values[1] >= 1);
    QCOMPARE(values[1], std::floor(values[1]));

    source.watch(0);
    values = readSource(source);
    QVERIFY(std::isnan(values[0]) && std::isnan(values[1]));
}

void TestSampler::selfMemorySource()
{
    SelfMemorySource source;
    QCOMPARE(namesOf(source), (std::vector<std::string> {"engine_rss_bytes", "engine_peak_rss_bytes"}));
    const std::vector<double> values = readSource(source);
    QVERIFY2(values[0] > 0, qPrintable(QStringLiteral("rss %1").arg(values[0])));
    QVERIFY(values[1] >= values[0]);
    // Whole pages, in bytes.
    QCOMPARE(std::fmod(values[0], double(sysconf(_SC_PAGESIZE))), 0.0);
}

void TestSampler::heapSource()
{
    QVERIFY(HeapTracker::isInstalled());
    HeapSource source;
    QCOMPARE(namesOf(source),
        (std::vector<std::string> {
            "heap_live_bytes", "heap_peak_live_bytes", "heap_allocations", "heap_frees", "heap_allocated_bytes"}));

    const std::vector<double> before = readSource(source);
    for (const double v : before)
        QVERIFY(std::isfinite(v));
    QVERIFY(before[2] > 0 && before[4] > 0);
    QVERIFY(before[1] >= before[0]);

    constexpr int kBlocks = 100;
    constexpr std::size_t kBlockBytes = 1000;
    std::vector<std::unique_ptr<char[]>> blocks;
    blocks.reserve(kBlocks);
    for (int i = 0; i < kBlocks; ++i) {
        blocks.push_back(std::make_unique<char[]>(kBlockBytes));
        blocks.back()[0] = char(i);
    }
    const std::vector<double> after = readSource(source);
    blocks.clear();
    const std::vector<double> freed = readSource(source);

    // One for the reserve, one per block; values are cumulative.
    QVERIFY2(after[2] >= before[2] + kBlocks + 1, qPrintable(QStringLiteral("%1 -> %2").arg(before[2]).arg(after[2])));
    QVERIFY(after[4] >= before[4] + double(kBlocks * kBlockBytes));
    QVERIFY(after[0] >= before[0] + double(kBlocks * kBlockBytes));
    QVERIFY(after[1] >= after[0]);
    QVERIFY(freed[3] >= after[3] + kBlocks);
    QVERIFY(freed[0] <= after[0] - double(kBlocks * kBlockBytes) / 2);
    QVERIFY(freed[1] >= after[0]); // the peak remembers
}

void TestSampler::poolSource()
{
    BufferPool pool("t.4KiB", 4096);
    PoolSource source({&pool});
    QCOMPARE(namesOf(source), (std::vector<std::string> {"t.4KiB.acquires", "t.4KiB.hits", "t.4KiB.retained_bytes"}));

    std::vector<double> values = readSource(source);
    QCOMPARE(values, (std::vector<double> {0, 0, 0}));

    {
        BufferLease a = pool.acquire();
        BufferLease b = pool.acquire();
        QVERIFY(a && b);
    }
    {
        BufferLease c = pool.acquire();
    } // served from what a and b left behind
    const PoolStatistics statistics = pool.statistics();
    QCOMPARE(statistics.acquires, std::uint64_t(3));
    QCOMPARE(statistics.hits, std::uint64_t(1));
    values = readSource(source);
    QCOMPARE(values[0], double(statistics.acquires));
    QCOMPARE(values[1], double(statistics.hits));
    QCOMPARE(values[2], double(statistics.retainedBytes));
    QCOMPARE(values[2], 2 * 4096.0);

    // Several pools fill consecutive column triples.
    BufferPool other("u.64KiB", 64 * 1024);
    {
        BufferLease d = other.acquire();
    }
    PoolSource both({&pool, &other});
    QCOMPARE(both.series().size(), std::size_t(6));
    QCOMPARE(both.series()[3].name, std::string("u.64KiB.acquires"));
    QCOMPARE(both.series()[5].unit, std::string("bytes"));
    values = readSource(both);
    QCOMPARE(values, (std::vector<double> {3, 1, 8192, 1, 0, 65536}));
}

void TestSampler::samplerWithStandardSources()
{
    // All standard sources on the sampler thread while this thread keeps using the pool
    // and the heap: what a run looks like (and what tsan checks).
    BufferPool pool("t.4KiB", 4096);
    auto tree = std::make_unique<ProcessTreeSource>();
    ProcessTreeSource* treeSource = tree.get();
    std::vector<std::unique_ptr<SampleSource>> sources;
    sources.push_back(std::make_unique<SelfMemorySource>());
    sources.push_back(std::make_unique<HeapSource>());
    sources.push_back(std::move(tree));
    sources.push_back(std::make_unique<PoolSource>(std::vector<const PoolCoreBase*> {&pool}));
    Sampler sampler(std::move(sources), at(100));
    QCOMPARE(sampler.store().series().size(), std::size_t(2 + 5 + 2 + 3));

    sampler.start();
    std::this_thread::sleep_for(50ms);
    treeSource->watch(getpid());
    for (int i = 0; i < 2000; ++i) {
        BufferLease lease = pool.acquire();
        lease.data()[0] = std::byte(i);
        auto block = std::make_unique<int[]>(64);
        block[0] = i;
        if (i % 100 == 0)
            std::this_thread::sleep_for(1ms);
    }
    std::this_thread::sleep_for(50ms);
    sampler.stop();

    const TimeSeriesStore::Snapshot snapshot = sampler.store().snapshot();
    const std::uint64_t count = snapshot.sampleCount();
    QVERIFY(count >= 3);
    auto column = [&](std::string_view name) {
        const int index = sampler.seriesIndex(name);
        std::vector<double> times, values;
        if (index >= 0)
            snapshot.copyRaw(0, std::size_t(index), times, values);
        return values;
    };
    const std::vector<double> rss = column("engine_rss_bytes");
    const std::vector<double> allocations = column("heap_allocations");
    const std::vector<double> treeRss = column("tree_rss_bytes");
    const std::vector<double> acquires = column("t.4KiB.acquires");
    QCOMPARE(rss.size(), std::size_t(count));
    for (std::size_t i = 0; i < count; ++i) {
        QVERIFY(rss[i] > 0);
        QVERIFY(i == 0 || allocations[i] >= allocations[i - 1]);
        QVERIFY(i == 0 || acquires[i] >= acquires[i - 1]);
    }
    QVERIFY(std::isnan(treeRss.front())); // not watching yet at t = 0
    QVERIFY(treeRss.back() > 0); // watching at the final sample
    QCOMPARE(acquires.back(), 2000.0); // the final sample sees every acquire
    QCOMPARE(column("t.4KiB.hits").back(), 1999.0);
}

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestSampler)
#include "tst_sampler.moc"
