#include "charts/chartpanel.h"
#include "charts/charttrace.h"
#include "charts/elapsedtimeaxisticker.h"
#include "charts/graphlookup.h"
#include "charts/steptimingchart.h"
#include "charts/timechart.h"
#include "run/sampletable.h"
#include "run/units.h"
#include "theme/darkpalette.h"

#include <QtTest>
#include <cmath>
#include <limits>
#include <memory>
#include <random>

using namespace buildscope;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kKiB = 1024.0;
constexpr double kMiB = 1024.0 * kKiB;
constexpr double kGiB = 1024.0 * kMiB;
constexpr double kInterval = 0.05; // 20 Hz

enum Series : std::size_t
{
    EngineRss,
    EnginePeakRss,
    TreeRss,
    TreeProcesses,
    HeapLive,
    HeapPeakLive,
    HeapAllocations,
    HeapFrees,
    HeapAllocatedBytes,
    PoolAcquires,
    PoolHits,
    PoolRetained,
    SeriesCount
};

std::vector<SeriesSpec> engineSeries()
{
    return {{"engine_rss_bytes", "bytes"}, {"engine_peak_rss_bytes", "bytes"}, {"tree_rss_bytes", "bytes"},
        {"tree_processes", "processes"}, {"heap_live_bytes", "bytes"}, {"heap_peak_live_bytes", "bytes"},
        {"heap_allocations", "count"}, {"heap_frees", "count"}, {"heap_allocated_bytes", "bytes"},
        {"io.4KiB.acquires", "count"}, {"io.4KiB.hits", "count"}, {"io.4KiB.retained_bytes", "bytes"}};
}

// Known values for sample i (at i × 50 ms).
double engineRss(std::size_t i)
{
    return 100 * kMiB + static_cast<double>(i) * kKiB;
}
double treeRss(std::size_t i)
{
    return i < 10 ? kNaN : 200 * kMiB + static_cast<double>(i) * 4 * kKiB; // no process for the first 0.5 s
}
double allocatedBytes(std::size_t i)
{
    return 4096.0 * static_cast<double>(i * i);
}
bool acquiresIn(std::size_t i)
{
    return i > 0 && !(i >= 5 && i < 10); // samples 5..9: the pool is idle
}

// Feeds samples [from, to) of the known sequence.
struct Feeder
{
    TimeSeriesStore store {engineSeries()};
    double acquires = 0;
    double hits = 0;
    std::size_t next = 0;

    void feed(std::size_t count)
    {
        std::vector<double> row(SeriesCount, 0.0);
        for (std::size_t end = next + count; next < end; ++next) {
            const std::size_t i = next;
            if (acquiresIn(i)) {
                acquires += 4;
                hits += i % 2 == 0 ? 3 : 1; // 75 % or 25 %
            }
            row[EngineRss] = engineRss(i);
            row[EnginePeakRss] = engineRss(i);
            row[TreeRss] = treeRss(i);
            row[TreeProcesses] = std::isnan(treeRss(i)) ? kNaN : 3;
            row[HeapLive] = 50 * kMiB;
            row[HeapPeakLive] = 60 * kMiB;
            row[HeapAllocations] = 1000.0 * static_cast<double>(i);
            row[HeapFrees] = 900.0 * static_cast<double>(i);
            row[HeapAllocatedBytes] = allocatedBytes(i);
            row[PoolAcquires] = acquires;
            row[PoolHits] = hits;
            row[PoolRetained] = 64 * kKiB;
            store.append(static_cast<double>(i) * kInterval, row);
        }
    }
};

QVector<double> values(const QCPGraph* graph)
{
    QVector<double> result;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
        result << it->value;
    return result;
}

double maxValue(const QCPGraph* graph)
{
    double high = -std::numeric_limits<double>::infinity();
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) {
        if (!std::isnan(it->value))
            high = std::max(high, it->value);
    }
    return high;
}

StepResult step(const char* name, StepStatus status, double start, double end)
{
    StepResult result;
    result.name = name;
    result.status = status;
    result.startSeconds = start;
    result.endSeconds = end;
    return result;
}

QPalette lightPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0xf4, 0xf4, 0xf4));
    palette.setColor(QPalette::Base, Qt::white);
    palette.setColor(QPalette::Text, QColor(0x1d, 0x1d, 0x1f));
    palette.setColor(QPalette::WindowText, QColor(0x1d, 0x1d, 0x1f));
    palette.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xf0));
    return palette;
}

// A plausible 30 s build, for the screenshots: in-process steps (no tree), a compile with
// parallel compiler processes, a link, tests that time out, and a packaging step still running.
struct DemoRun
{
    std::vector<SeriesSpec> specs;
    std::unique_ptr<TimeSeriesStore> store;
    std::vector<StepResult> steps;
    double now = 30;

    DemoRun()
    {
        specs = engineSeries();
        specs.resize(9); // engine and heap series; pools follow
        for (const char* pool : {"io.4KiB", "io.32KiB", "io.128KiB", "hash.64KiB", "string.256B"}) {
            specs.push_back({std::string(pool) + ".acquires", "count"});
            specs.push_back({std::string(pool) + ".hits", "count"});
            specs.push_back({std::string(pool) + ".retained_bytes", "bytes"});
        }
        store = std::make_unique<TimeSeriesStore>(specs);
        steps = {step("checksum context", StepStatus::Succeeded, 0.0, 2.2),
            step("tar context", StepStatus::Succeeded, 2.2, 4.8), step("compile", StepStatus::Succeeded, 4.8, 19.5),
            step("link", StepStatus::Succeeded, 19.5, 23.0),
            step("integration tests", StepStatus::TimedOut, 23.0, 27.0), step("package", StepStatus::Running, 27.0, 0),
            step("publish", StepStatus::Pending, 0, 0)};
        std::mt19937 random(7);
        std::normal_distribution<double> noise(0.0, 1.0);
        std::vector<double> row(specs.size(), 0.0);
        double allocations = 0;
        double allocated = 0;
        std::vector<double> acquires(5, 0.0);
        std::vector<double> hits(5, 0.0);
        double tree = 0;
        for (int i = 0; i < 600; ++i) {
            const double t = i * kInterval;
            const bool checksum = t < 2.2;
            const bool tar = t >= 2.2 && t < 4.8;
            const bool compile = t >= 4.8 && t < 19.5;
            const bool link = t >= 19.5 && t < 23.0;
            const bool tests = t >= 23.0 && t < 27.0;
            if (compile) {
                // Parallel compiler jobs: a sawtooth on a rising base.
                const double phase = std::fmod(t - 4.8, 1.7) / 1.7;
                tree = (120 + 45 * (t - 4.8) + 260 * phase + 12 * noise(random)) * kMiB;
            } else if (link) {
                tree = (640 + 90 * (t - 19.5) + 8 * noise(random)) * kMiB;
            } else if (tests) {
                tree = (300 + 40 * std::sin(t * 3) + 10 * noise(random)) * kMiB;
            } else if (t >= 27.0) {
                tree = (150 + 5 * noise(random)) * kMiB;
            } else {
                tree = kNaN; // in-process steps: no build process
            }
            const double engine = (62 + (tar ? 38 : 0) + (checksum ? 14 : 0) + 0.6 * t + noise(random)) * kMiB;
            const double heap = (22 + (tar ? 30 : 0) + (checksum ? 9 : 0) + 0.3 * t + 0.5 * noise(random)) * kMiB;
            const double allocationRate = checksum ? 180000 : tar ? 240000 : 6000 + 1500 * noise(random);
            const double byteRate = checksum ? 24 * kMiB : tar ? 96 * kMiB : 2 * kMiB;
            allocations += std::max(0.0, allocationRate * kInterval * (1 + 0.1 * noise(random)));
            allocated += std::max(0.0, byteRate * kInterval * (1 + 0.1 * noise(random)));
            // Pools: io.4KiB busy while hashing and archiving, io.128KiB warms up during tar,
            // hash.64KiB only while hashing, string.256B steady, io.32KiB never used.
            const double use[5] = {checksum || tar ? 400.0 : (i % 7 == 0 ? 3.0 : 0.0), 0, tar ? 60.0 : 0.0,
                checksum ? 120.0 : 0.0, 20.0 + (i % 3)};
            const double hitRate[5] = {0.97 - 0.04 * std::abs(noise(random)), 0, std::min(0.96, 0.2 + 0.3 * (t - 2.2)),
                0.9 + 0.02 * noise(random), 0.82 + 0.05 * noise(random)};
            for (std::size_t p = 0; p < 5; ++p) {
                acquires[p] += use[p];
                hits[p] += std::round(use[p] * std::clamp(hitRate[p], 0.0, 1.0));
            }
            row[EngineRss] = engine;
            row[EnginePeakRss] = engine;
            row[TreeRss] = tree;
            row[TreeProcesses] = std::isnan(tree) ? kNaN : 4;
            row[HeapLive] = heap;
            row[HeapPeakLive] = heap;
            row[HeapAllocations] = allocations;
            row[HeapFrees] = allocations * 0.98;
            row[HeapAllocatedBytes] = allocated;
            for (std::size_t p = 0; p < 5; ++p) {
                row[9 + 3 * p] = acquires[p];
                row[10 + 3 * p] = hits[p];
                row[11 + 3 * p] = 256 * kKiB;
            }
            store->append(t, row);
        }
    }
};

// A baseline for the overlay: tree RSS = 1 MiB × (10 + seconds), sampled at 10 Hz over
// [0, end), with steps a [0, 2), b [2, 5), c [5, 8).
SampleTable baselineTable(double end = 8.0)
{
    SampleTable table;
    table.series = {{"engine_rss_bytes", "bytes"}, {"tree_rss_bytes", "bytes"}};
    for (int i = 0; i * 0.1 < end - 1e-9; ++i) {
        SampleTable::Row row;
        row.seconds = i * 0.1;
        row.values = {50 * kMiB, (10 + row.seconds) * kMiB};
        table.rows.push_back(row);
    }
    return table;
}

std::vector<StepResult> baselineSteps()
{
    return {step("a", StepStatus::Succeeded, 0, 2), step("b", StepStatus::Succeeded, 2, 5),
        step("c", StepStatus::Succeeded, 5, 8)};
}

// The key of the overlay point nearest to `key`.
double nearestKey(const QCPGraph* graph, double key)
{
    auto it = graph->data()->findBegin(key - 1e-6, false);
    return it == graph->data()->constEnd() ? kNaN : it->key;
}

// The demo build as it ran before a change: compile 2.5 s shorter and lighter, for the
// baseline overlay's screenshot.
struct DemoBaseline
{
    SampleTable table;
    std::vector<StepResult> steps;

    DemoBaseline()
    {
        steps = {step("checksum context", StepStatus::Succeeded, 0.0, 2.0),
            step("tar context", StepStatus::Succeeded, 2.0, 4.4), step("compile", StepStatus::Succeeded, 4.4, 16.6),
            step("link", StepStatus::Succeeded, 16.6, 19.8),
            step("integration tests", StepStatus::Succeeded, 19.8, 23.2),
            step("package", StepStatus::Succeeded, 23.2, 25.5), step("publish", StepStatus::Succeeded, 25.5, 27.0)};
        table.series = {{"tree_rss_bytes", "bytes"}};
        std::mt19937 random(11);
        std::normal_distribution<double> noise(0.0, 1.0);
        for (int i = 0; i < 540; ++i) {
            const double t = i * kInterval;
            double tree = kNaN;
            if (t >= 4.4 && t < 16.6) {
                const double phase = std::fmod(t - 4.4, 1.6) / 1.6;
                tree = (110 + 38 * (t - 4.4) + 220 * phase + 10 * noise(random)) * kMiB;
            } else if (t >= 16.6 && t < 19.8) {
                tree = (520 + 80 * (t - 16.6) + 6 * noise(random)) * kMiB;
            } else if (t >= 19.8 && t < 23.2) {
                tree = (280 + 35 * std::sin(t * 3) + 8 * noise(random)) * kMiB;
            } else if (t >= 23.2) {
                tree = (140 + 5 * noise(random)) * kMiB;
            }
            SampleTable::Row row;
            row.seconds = t;
            row.values = {tree};
            table.rows.push_back(row);
        }
    }
};

QString screenshotPath(const char* name)
{
    return QDir::tempPath() + QStringLiteral("/buildscope_chartpanel_") + QLatin1String(name) + QStringLiteral(".png");
}

// Distinct colors in the image: a blank or single-color grab has very few.
int colorCount(const QImage& image)
{
    QSet<QRgb> colors;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3)
            colors.insert(image.pixel(x, y));
    }
    return static_cast<int>(colors.size());
}
} // namespace

class TestChartPanel : public QObject
{
    Q_OBJECT
private slots:
    void appendsOnlyNewSamples()
    {
        ChartPanel panel;
        Feeder feeder;
        panel.setSeries(feeder.store.series());
        feeder.feed(40);
        panel.appendSnapshot(feeder.store.snapshot());
        QCustomPlot* memory = panel.plot(ChartPanel::Chart::Memory);
        QCOMPARE(memory->graphCount(), 3);
        for (int g = 0; g < 3; ++g)
            QCOMPARE(memory->graph(g)->data()->size(), 40);
        QCOMPARE(panel.plot(ChartPanel::Chart::AllocationRate)->graph(0)->data()->size(), 40);
        QCOMPARE(panel.plot(ChartPanel::Chart::PoolHitRate)->graphCount(), 1);
        QCOMPARE(panel.plot(ChartPanel::Chart::PoolHitRate)->graph(0)->name(), QStringLiteral("io.4KiB"));

        feeder.feed(25);
        const TimeSeriesStore::Snapshot snapshot = feeder.store.snapshot();
        panel.appendSnapshot(snapshot);
        panel.appendSnapshot(snapshot); // nothing new: nothing appended
        for (int g = 0; g < 3; ++g)
            QCOMPARE(memory->graph(g)->data()->size(), 65);
        QCOMPARE(panel.plot(ChartPanel::Chart::PoolHitRate)->graph(0)->data()->size(), 65);
        // Keys are the sample times, in order, without duplicates.
        auto data = memory->graph(1)->data();
        for (int i = 0; i < data->size(); ++i)
            QCOMPARE(data->at(i)->key, i * kInterval);
        QCOMPARE(data->at(64)->value, engineRss(64));
    }

    void treeRssGapIsNaN()
    {
        ChartPanel panel;
        Feeder feeder;
        feeder.feed(20);
        panel.appendSnapshot(feeder.store.snapshot()); // series taken from the snapshot
        const QVector<double> tree = values(panel.plot(ChartPanel::Chart::Memory)->graph(0));
        for (int i = 0; i < 10; ++i)
            QVERIFY(std::isnan(tree[i]));
        QCOMPARE(tree[10], treeRss(10));
    }

    void allocationRateIsDeltaOverTime()
    {
        ChartPanel panel;
        Feeder feeder;
        feeder.feed(30);
        panel.appendSnapshot(feeder.store.snapshot());
        feeder.feed(10); // the difference must bridge the two calls
        panel.appendSnapshot(feeder.store.snapshot());
        QCustomPlot* plot = panel.plot(ChartPanel::Chart::AllocationRate);
        const QVector<double> allocations = values(plot->graph(0));
        const QVector<double> bytes = values(plot->graph(1));
        QCOMPARE(allocations.size(), 40);
        QVERIFY(std::isnan(allocations[0])); // no previous sample
        for (std::size_t i = 1; i < 40; ++i) {
            const int index = static_cast<int>(i);
            QVERIFY2(std::abs(allocations[index] - 1000.0 / kInterval) < 1e-6, qPrintable(QString::number(i)));
            const double expected = (allocatedBytes(i) - allocatedBytes(i - 1)) / kInterval;
            QVERIFY2(std::abs(bytes[index] - expected) < 1e-6 * expected, qPrintable(QString::number(i)));
        }
        QCOMPARE(plot->graph(1)->valueAxis(), plot->yAxis2);
    }

    void hitRateIsNaWithoutAcquires()
    {
        ChartPanel panel;
        Feeder feeder;
        feeder.feed(30);
        panel.appendSnapshot(feeder.store.snapshot());
        const QVector<double> rate = values(panel.plot(ChartPanel::Chart::PoolHitRate)->graph(0));
        QCOMPARE(rate.size(), 30);
        QVERIFY(std::isnan(rate[0]));
        for (std::size_t i = 1; i < 30; ++i) {
            const int index = static_cast<int>(i);
            if (!acquiresIn(i))
                QVERIFY2(std::isnan(rate[index]), qPrintable(QString::number(i))); // n/a, never 0 or 100
            else
                QCOMPARE(rate[index], i % 2 == 0 ? 75.0 : 25.0);
        }
        QCOMPARE(panel.plot(ChartPanel::Chart::PoolHitRate)->yAxis->range().lower, 0.0);
        QVERIFY(panel.plot(ChartPanel::Chart::PoolHitRate)->yAxis->range().upper >= 100.0);
    }

    void poolWithoutAcquiresStaysOutOfTheLegend()
    {
        ChartPanel panel;
        std::vector<SeriesSpec> specs {{"engine_rss_bytes", "bytes"}, {"a.acquires", "count"}, {"a.hits", "count"},
            {"b.acquires", "count"}, {"b.hits", "count"}};
        TimeSeriesStore store(specs);
        for (int i = 0; i < 10; ++i) {
            const double row[] = {kMiB, 2.0 * i, 1.0 * i, 0, 0};
            store.append(i * kInterval, row);
        }
        panel.appendSnapshot(store.snapshot());
        QCustomPlot* plot = panel.plot(ChartPanel::Chart::PoolHitRate);
        QCOMPARE(plot->graphCount(), 2);
        QVERIFY(plot->legend->hasItemWithPlottable(plot->graph(0)));
        QVERIFY(!plot->legend->hasItemWithPlottable(plot->graph(1)));
        QCOMPARE(values(plot->graph(0)).back(), 50.0);
    }

    void stepSpansAndBars()
    {
        ChartPanel panel;
        Feeder feeder;
        feeder.feed(200);
        panel.appendSnapshot(feeder.store.snapshot());
        const std::vector<StepResult> steps {step("checksum", StepStatus::Succeeded, 0, 2),
            step("compile", StepStatus::Failed, 2, 6), step("test", StepStatus::Running, 6, 0),
            step("package", StepStatus::Pending, 0, 0)};
        panel.setSteps(steps, 9.5);

        auto* memory = qobject_cast<TimeChart*>(panel.plot(ChartPanel::Chart::Memory));
        QVERIFY(memory);
        QCOMPARE(memory->stepBands().size(), std::size_t(3)); // pending: no span yet
        QCOMPARE(memory->stepLabels().size(), std::size_t(3));
        QCOMPARE(memory->stepLabels()[1]->text(), QStringLiteral("compile"));
        // The running step's span reaches "now" and grows with it.
        QCOMPARE(memory->stepBands()[2]->bottomRight->coords().x(), 9.5);
        panel.setSteps(steps, 10.0);
        QCOMPARE(memory->stepBands()[2]->bottomRight->coords().x(), 10.0);
        auto* allocations = qobject_cast<TimeChart*>(panel.plot(ChartPanel::Chart::AllocationRate));
        QCOMPARE(allocations->stepBands().size(), std::size_t(3)); // shaded on every time chart
        QVERIFY(allocations->stepLabels().empty()); // named once, on the memory chart

        auto* timings = qobject_cast<StepTimingChart*>(panel.plot(ChartPanel::Chart::StepTimings));
        QVERIFY(timings);
        QCOMPARE(timings->rowNames(),
            (QStringList {QStringLiteral("checksum"), QStringLiteral("compile"), QStringLiteral("test"),
                QStringLiteral("package")}));
        // Bars on the run's clock: from a step's start to its end, where its span is above.
        const ChartPalette palette = ChartPalette::fromPalette(panel.palette());
        QCPItemRect* failed = timings->rowBar(1);
        QCOMPARE(failed->topLeft->coords().x(), 2.0);
        QCOMPARE(failed->bottomRight->coords().x(), 6.0);
        QCOMPARE(failed->brush().color(), palette.status(StepStatus::Failed));
        QCOMPARE(timings->rowBar(2)->bottomRight->coords().x(), 10.0); // running: to now
        QCOMPARE(timings->rowBar(0)->brush().color(), palette.status(StepStatus::Succeeded));
        QVERIFY(!timings->rowBar(3)); // pending: nothing to draw yet
        QVERIFY(timings->legend->hasItemWithPlottable(timings->statusSwatch(StepStatus::Failed)));
        QVERIFY(!timings->legend->hasItemWithPlottable(timings->statusSwatch(StepStatus::TimedOut)));
        QCOMPARE(timings->rowFigures().at(3), QStringLiteral("package  pending"));
        QCOMPARE(timings->rowFigures().at(1), QStringLiteral("compile  4.00 s \u00b7 failed"));
        QCOMPARE(timings->rowFigures().at(0), QStringLiteral("checksum  2.00 s"));
        QCOMPARE(timings->xAxis->range(), memory->xAxis->range()); // one time axis

        // Repeated runs: a whisker from the step's start spans the fastest to the slowest
        // run, a diamond marks their median; one run has no spread.
        panel.setStepSpread({{"checksum", {2.0, 1.0, 3.0, 2.5, 1.5}}, {"compile", {4.0, 5.0}}, {"test", {1.0}}});
        QCPItemLine* whisker = timings->rowWhisker(0);
        QVERIFY(whisker);
        QCOMPARE(whisker->start->coords().x(), 1.0);
        QCOMPARE(whisker->end->coords().x(), 3.0);
        QCOMPARE(timings->rowWhisker(1)->start->coords().x(), 6.0); // 2 + 4
        QCOMPARE(timings->rowWhisker(1)->end->coords().x(), 7.0);
        QVERIFY(!timings->rowWhisker(2));
        QCOMPARE(timings->medianMarkers()->data()->size(), 2);
        QCOMPARE(timings->medianMarkers()->data()->at(0)->key, 2.0); // checksum: 0 + median 2
        QVERIFY(timings->rowFigures().at(0).contains(QStringLiteral("5 runs")));
        QVERIFY(timings->legend->hasItemWithPlottable(timings->medianMarkers()));
    }

    void stepTimingsShareTheTimeScale()
    {
        // The issue: a different format and scale below the charts. Now one clock, one range,
        // one plot width: a second is as many pixels on the step timings as on memory.
        ChartPanel panel;
        panel.resize(1000, 900);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        Feeder feeder;
        feeder.feed(300);
        panel.appendSnapshot(feeder.store.snapshot());
        panel.setSteps(
            {step("checksum", StepStatus::Succeeded, 0, 2), step("compile", StepStatus::Succeeded, 2, 14.9)}, 14.95);
        QCustomPlot* memory = panel.plot(ChartPanel::Chart::Memory);
        QCustomPlot* timings = panel.plot(ChartPanel::Chart::StepTimings);
        memory->replot();
        timings->replot();
        QCOMPARE(timings->xAxis->range(), memory->xAxis->range());
        for (const double seconds : {0.0, 2.0, 7.5, 14.9})
            QCOMPARE(timings->xAxis->coordToPixel(seconds), memory->xAxis->coordToPixel(seconds));
        QVERIFY(timings->xAxis->ticker().dynamicCast<ElapsedTimeAxisTicker>());
        // Zooming one zooms the other.
        timings->xAxis->setRange(QCPRange(1, 5));
        QCOMPARE(memory->xAxis->range(), QCPRange(1, 5));
        QVERIFY(!panel.followLive());
    }

    void engineInternalsOnDemand()
    {
        ChartPanel panel;
        panel.resize(1000, 900);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        Feeder feeder;
        feeder.feed(100);
        panel.appendSnapshot(feeder.store.snapshot());
        QCustomPlot* allocations = panel.plot(ChartPanel::Chart::AllocationRate);
        const int memoryHeight = panel.plot(ChartPanel::Chart::Memory)->height();
        panel.setChartShown(ChartPanel::Chart::AllocationRate, false);
        panel.setChartShown(ChartPanel::Chart::PoolHitRate, false);
        panel.setChartShown(ChartPanel::Chart::Memory, false); // not on demand: stays
        QVERIFY(panel.chartShown(ChartPanel::Chart::Memory));
        QVERIFY(!panel.chartShown(ChartPanel::Chart::AllocationRate));
        QTRY_VERIFY(panel.plot(ChartPanel::Chart::Memory)->height() > memoryHeight); // the space goes to memory
        // Hidden charts are still fed: shown again, they hold the run.
        feeder.feed(20);
        panel.appendSnapshot(feeder.store.snapshot());
        panel.setChartShown(ChartPanel::Chart::AllocationRate, true);
        QCOMPARE(allocations->graph(0)->data()->size(), 120);

        auto* memory = qobject_cast<TimeChart*>(panel.plot(ChartPanel::Chart::Memory));
        QVERIFY(panel.engineHeapShown());
        QVERIFY(memory->crosshairText(1.0).contains(QStringLiteral("engine heap live")));
        panel.setEngineHeapShown(false);
        QVERIFY(!memory->graph(2)->visible());
        QVERIFY(!memory->legend->hasItemWithPlottable(memory->graph(2)));
        QVERIFY(!memory->crosshairText(1.0).contains(QStringLiteral("engine heap live")));
        QVERIFY(memory->legend->hasItemWithPlottable(memory->graph(0)));
        panel.setEngineHeapShown(true);
        QVERIFY(memory->legend->hasItemWithPlottable(memory->graph(2)));
    }

    void followLiveAndManualZoom()
    {
        ChartPanel panel;
        QSignalSpy follow(&panel, &ChartPanel::followLiveChanged);
        QVERIFY(panel.followLive());
        Feeder feeder;
        feeder.feed(600); // 0 .. 29.95 s
        panel.appendSnapshot(feeder.store.snapshot());
        QCustomPlot* memory = panel.plot(ChartPanel::Chart::Memory);
        const double last = 599 * kInterval;
        QCOMPARE(memory->xAxis->range().lower, 0.0);
        QVERIFY(memory->xAxis->range().upper >= last);
        QVERIFY(memory->xAxis->range().contains(last));
        QCOMPARE(follow.count(), 0); // our own range changes are not user zooms
        // The time charts share their x range.
        QCOMPARE(panel.plot(ChartPanel::Chart::PoolHitRate)->xAxis->range(), memory->xAxis->range());
        QCOMPARE(panel.plot(ChartPanel::Chart::StepTimings)->xAxis->range(), memory->xAxis->range());

        panel.plot(ChartPanel::Chart::AllocationRate)->xAxis->setRange(5, 10); // as a zoom or pan does
        QCOMPARE(follow.count(), 1);
        QCOMPARE(follow.at(0).at(0).toBool(), false);
        QVERIFY(!panel.followLive());
        QCOMPARE(memory->xAxis->range(), QCPRange(5, 10));
        feeder.feed(100);
        panel.appendSnapshot(feeder.store.snapshot());
        QCOMPARE(memory->xAxis->range(), QCPRange(5, 10)); // not following: the view stays

        panel.setFollowLive(true);
        QCOMPARE(follow.count(), 2);
        QCOMPARE(follow.at(1).at(0).toBool(), true);
        QVERIFY(memory->xAxis->range().contains(699 * kInterval));
        QCOMPARE(memory->xAxis->range().lower, 0.0);
    }

    void crosshairReadsTheNearestSample()
    {
        ChartPanel panel;
        panel.resize(1000, 900);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        Feeder feeder;
        feeder.feed(200);
        panel.appendSnapshot(feeder.store.snapshot());
        QCoreApplication::processEvents(); // queued replots lay the charts out

        QCustomPlot* memory = panel.plot(ChartPanel::Chart::Memory);
        const QCPGraphDataContainer& engine = *memory->graph(1)->data();
        QCOMPARE(graphValueAt(engine, 17 * kInterval + 0.01, 1.0), engineRss(17));
        QCOMPARE(graphValueAt(engine, 17 * kInterval - 0.02, 1.0), engineRss(17));
        QVERIFY(std::isnan(graphValueAt(engine, -50, 1.0))); // nothing within the tolerance
        QVERIFY(std::isnan(graphValueAt(*memory->graph(0)->data(), 0.2, 1.0))); // the tree RSS gap

        QSignalSpy hovered(&panel, &ChartPanel::hovered);
        const double seconds = 100 * kInterval;
        const QPointF at(memory->xAxis->coordToPixel(seconds), memory->axisRect()->center().y());
        QMouseEvent move(QEvent::MouseMove, at, memory->mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QCoreApplication::sendEvent(memory, &move);
        QCOMPARE(hovered.count(), 1);
        QVERIFY(std::abs(hovered.at(0).at(0).toDouble() - seconds) < kInterval);
        auto* chart = qobject_cast<TimeChart*>(memory);
        QVERIFY(chart->crosshairLabel()->visible());
        const QString text = chart->crosshairLabel()->text();
        QVERIFY2(text.contains(QStringLiteral("engine RSS: ") + QString::fromStdString(formatBytes(engineRss(100)))),
            qPrintable(text));
        QVERIFY2(text.startsWith(QStringLiteral("0:05.0")), qPrintable(text));
        // The line follows on every time chart.
        auto* hitRate = qobject_cast<TimeChart*>(panel.plot(ChartPanel::Chart::PoolHitRate));
        QVERIFY(hitRate->crosshairLabel()->visible());
        QVERIFY(hitRate->crosshairLabel()->text().contains(QStringLiteral("io.4KiB: ")));
        // Leaving the charts hides it.
        QEvent leave(QEvent::Leave);
        QCoreApplication::sendEvent(memory, &leave);
        QVERIFY(!chart->crosshairLabel()->visible());
    }

    void historyEnvelopeWhenZoomedOut()
    {
        ChartPanel panel;
        panel.setRawPointLimit(1000);
        panel.resize(1000, 900);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        Feeder feeder;
        feeder.feed(500);
        // A spike long before the raw window the graphs keep: the envelope must still show it.
        std::vector<double> spike(SeriesCount, 0.0);
        {
            const auto snapshot = feeder.store.snapshot();
            std::vector<double> t;
            std::vector<double> v;
            for (std::size_t s = 0; s < SeriesCount; ++s) {
                t.clear();
                v.clear();
                snapshot.copyRaw(499, s, t, v);
                spike[s] = v.back();
            }
        }
        spike[EngineRss] = 3 * kGiB;
        feeder.store.append(500 * kInterval, spike);
        feeder.next = 501;
        feeder.feed(5499); // 6000 samples, 300 s
        panel.appendSnapshot(feeder.store.snapshot());
        QCustomPlot* memory = panel.plot(ChartPanel::Chart::Memory);
        QCoreApplication::processEvents();

        // Following the whole run reaches back past the 1000 raw samples held.
        QTRY_VERIFY(panel.showingHistory());
        const int width = memory->axisRect()->width();
        QVERIFY(width > 500);
        const QCPGraph* engine = memory->graph(1);
        // Two buckets per pixel, a min and a max point each (rebuilt if the margins moved).
        QTRY_VERIFY2(engine->data()->size() <= 4 * memory->axisRect()->width() + 16,
            qPrintable(QStringLiteral("%1 points, %2 px").arg(engine->data()->size()).arg(width)));
        QVERIFY(engine->data()->size() < 6000);
        QCOMPARE(maxValue(engine), 3 * kGiB); // min/max envelope: the peak survives
        QVERIFY(memory->yAxis->range().upper >= 3 * kGiB);
        // Raw data kept for live appends stays bounded.
        auto* trace = qobject_cast<TimeChart*>(memory)->traces()[1].get();
        QCOMPARE(trace->live()->size(), 1000);
        // Rates from the envelope: allocations grow by 1000 per sample throughout.
        const QCPGraph* rate = panel.plot(ChartPanel::Chart::AllocationRate)->graph(0);
        const double someRate = graphValueAt(*rate->data(), 150, 5);
        QVERIFY2(std::abs(someRate - 1000 / kInterval) < 1e-6 * someRate, qPrintable(QString::number(someRate)));

        // Zooming into recent data goes back to raw samples once the view settles.
        memory->xAxis->setRange(290, 299);
        QTRY_VERIFY(!panel.showingHistory());
        QCOMPARE(engine->data()->size(), 1000);
    }

    void historyWhenTooManyPointsPerPixel()
    {
        ChartPanel panel;
        panel.resize(800, 900);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        Feeder feeder;
        feeder.feed(8000); // under the 20,000 raw limit, but 10 points per pixel
        panel.appendSnapshot(feeder.store.snapshot());
        QCoreApplication::processEvents();
        panel.setFollowLive(false);
        panel.setFollowLive(true);
        QTRY_VERIFY(panel.showingHistory());
        QCustomPlot* memory = panel.plot(ChartPanel::Chart::Memory);
        QTRY_VERIFY(memory->graph(1)->data()->size() <= 4 * memory->axisRect()->width() + 16);
        QCOMPARE(maxValue(memory->graph(1)), engineRss(7999));
    }

    void paletteChangeRecolors()
    {
        ChartPanel panel;
        panel.setPalette(lightPalette());
        QCustomPlot* memory = panel.plot(ChartPanel::Chart::Memory);
        const QColor light = memory->graph(1)->pen().color();
        const QColor lightBackground = memory->axisRect()->backgroundBrush().color();
        panel.setPalette(darkPalette());
        const QColor dark = memory->graph(1)->pen().color();
        QVERIFY(light != dark);
        QVERIFY(dark.lightnessF() > light.lightnessF()); // lighter lines on a dark background
        QVERIFY(memory->axisRect()->backgroundBrush().color() != lightBackground);
        QCOMPARE(memory->graph(1)->pen().widthF(), 1.0);
        auto* timings = qobject_cast<StepTimingChart*>(panel.plot(ChartPanel::Chart::StepTimings));
        QCOMPARE(timings->statusSwatch(StepStatus::Failed)->brush().color(),
            ChartPalette::fromPalette(darkPalette()).status(StepStatus::Failed));
    }

    void baselineOverlayAlignedByStep()
    {
        ChartPanel panel;
        Feeder feeder;
        feeder.feed(100);
        panel.appendSnapshot(feeder.store.snapshot());
        auto* memory = qobject_cast<TimeChart*>(panel.plot(ChartPanel::Chart::Memory));
        QVERIFY(!panel.hasBaseline());
        QVERIFY(!memory->referenceGraph());
        const int graphs = memory->graphCount();

        const SampleTable table = baselineTable();
        panel.setBaseline(&table, baselineSteps());
        QVERIFY(panel.hasBaseline());
        QCPGraph* baseline = memory->referenceGraph();
        QVERIFY(baseline);
        QCOMPARE(memory->graphCount(), graphs + 1); // after the traces: their indices stay
        QCOMPARE(baseline->name(), QStringLiteral("baseline"));
        QVERIFY(memory->legend->hasItemWithPlottable(baseline));
        QVERIFY(baseline->pen().style() != Qt::SolidLine);
        QCOMPARE(baseline->data()->size(), 80); // no live steps yet: drawn where it ran
        QCOMPARE(nearestKey(baseline, 3.0), 3.0);
        QVERIFY(memory->yAxis->range().upper >= 18 * kMiB); // the axis holds the baseline too

        // The live run's b starts 1 s later than the baseline's: b moves right by 1 s, and
        // c (not started yet) keeps b's shift; a stays.
        std::vector<StepResult> live {step("a", StepStatus::Succeeded, 0, 3), step("b", StepStatus::Running, 3, 0),
            step("c", StepStatus::Pending, 0, 0)};
        const int rebuilds = panel.baselineRebuilds();
        panel.setSteps(live, 4.0);
        QCOMPARE(panel.baselineRebuilds(), rebuilds + 1);
        const BaselineAlignment& alignment = panel.baselineAlignment();
        QCOMPARE(alignment.step("a")->shift, 0.0);
        QCOMPARE(alignment.step("b")->shift, 1.0);
        QVERIFY(alignment.step("b")->matched);
        QCOMPARE(alignment.step("c")->shift, 1.0);
        QVERIFY(!alignment.step("c")->matched);
        QCOMPARE(nearestKey(baseline, 3.5), 3.5); // baseline 2.5 s (in b), drawn at 3.5 s
        const auto shifted = baseline->data()->findBegin(3.5 - 1e-6, false);
        QVERIFY(std::abs(shifted->value - 12.5 * kMiB) < 1.0);
        // Between a's end (2 s) and b's aligned start (3 s) the line is broken, not joined.
        const auto gap = baseline->data()->findBegin(2.0, false);
        QVERIFY(std::isnan(gap->value));

        // Ticks that move only "now" do not rebuild the overlay.
        panel.setSteps(live, 4.5);
        panel.setSteps(live, 5.0);
        QCOMPARE(panel.baselineRebuilds(), rebuilds + 1);

        // c starts at 6.5 s (baseline 5 s): c moves by 1.5 s.
        live[1] = step("b", StepStatus::Succeeded, 3, 6.5);
        live[2] = step("c", StepStatus::Running, 6.5, 0);
        panel.setSteps(live, 7.0);
        QCOMPARE(panel.baselineRebuilds(), rebuilds + 2);
        QCOMPARE(panel.baselineAlignment().step("c")->shift, 1.5);
        QCOMPARE(nearestKey(baseline, 7.5), 7.5); // baseline 6 s
        double previous = -1;
        for (auto it = baseline->data()->constBegin(); it != baseline->data()->constEnd(); ++it) {
            QVERIFY(it->key > previous); // keys strictly ascending: one value per time
            previous = it->key;
        }

        // A new run keeps the baseline, unaligned until its steps start.
        panel.clear();
        QVERIFY(panel.hasBaseline());
        QCOMPARE(panel.baselineAlignment().step("b")->shift, 0.0);

        // Cleared.
        panel.setBaseline(nullptr, {});
        QVERIFY(!panel.hasBaseline());
        QVERIFY(baseline->data()->isEmpty());
        QVERIFY(!memory->legend->hasItemWithPlottable(baseline));
        QVERIFY(memory->crosshairText(1.0).indexOf(QStringLiteral("baseline")) < 0);
        // A table without the series is no baseline either.
        SampleTable empty;
        panel.setBaseline(&empty, baselineSteps());
        QVERIFY(!panel.hasBaseline());
    }

    void baselineLongerThanTheRunIsDrawnToItsEnd()
    {
        // The issue: a 33 s baseline drawn only to 13.7 s, its peak cut off, because steps
        // the live run finished sooner were moved back over the baseline's own tail.
        ChartPanel panel;
        Feeder feeder;
        feeder.feed(80); // 4 s
        panel.appendSnapshot(feeder.store.snapshot());
        const SampleTable table = baselineTable(); // a [0, 2), b [2, 5), c [5, 8): 8 s, peak 17.9 MiB
        panel.setBaseline(&table, baselineSteps());
        // Every step of the live run is quicker: it is over in 4 s.
        panel.setSteps({step("a", StepStatus::Succeeded, 0, 1), step("b", StepStatus::Succeeded, 1, 2),
                           step("c", StepStatus::Succeeded, 2, 4)},
            4.0);
        auto* memory = qobject_cast<TimeChart*>(panel.plot(ChartPanel::Chart::Memory));
        const QCPGraph* baseline = memory->referenceGraph();
        int drawn = 0;
        double previous = -1;
        for (auto it = baseline->data()->constBegin(); it != baseline->data()->constEnd(); ++it) {
            QVERIFY(it->key > previous);
            previous = it->key;
            drawn += std::isnan(it->value) ? 0 : 1;
        }
        QCOMPARE(drawn, 80); // every baseline sample, none cut
        QVERIFY(previous >= 7.9); // to its real end
        QVERIFY(std::abs(maxValue(baseline) - 17.9 * kMiB) < 1.0); // with its real peak
        QVERIFY(memory->yAxis->range().upper >= 17.9 * kMiB);
        // Steps the run finished sooner do not pull the baseline back over itself.
        const BaselineAlignment& alignment = panel.baselineAlignment();
        QCOMPARE(alignment.step("b")->shift, 0.0);
        QVERIFY(alignment.step("b")->delayed);
        // Followed, the view reaches the baseline's end: what the run is compared with shows.
        QVERIFY(panel.followLive());
        QVERIFY(panel.baselineEnd() >= 7.9);
        QVERIFY(memory->xAxis->range().upper >= previous);
        QVERIFY(panel.plot(ChartPanel::Chart::StepTimings)->xAxis->range().upper >= previous);
    }

    void baselineInTheCrosshair()
    {
        ChartPanel panel;
        Feeder feeder;
        feeder.feed(100);
        panel.appendSnapshot(feeder.store.snapshot());
        const SampleTable table = baselineTable();
        panel.setBaseline(&table, baselineSteps());
        auto* memory = qobject_cast<TimeChart*>(panel.plot(ChartPanel::Chart::Memory));
        QVERIFY(memory->crosshairText(2.0).contains(QStringLiteral("baseline: 12.0 MiB")));
    }

    void screenshots()
    {
        struct Variant
        {
            const char* name;
            QPalette palette;
            bool spread;
            bool hover;
            bool baseline = false;
        };
        const Variant variants[] = {{"light", lightPalette(), false, false}, {"dark", darkPalette(), false, true},
            {"spread", lightPalette(), true, false}, {"baseline", lightPalette(), false, true, true},
            {"baseline_dark", darkPalette(), false, false, true}};
        for (const Variant& variant : variants) {
            ChartPanel panel;
            panel.setPalette(variant.palette);
            panel.resize(1100, 960);
            panel.show();
            QVERIFY(QTest::qWaitForWindowExposed(&panel));
            DemoRun run;
            panel.setSeries(run.specs);
            const DemoBaseline baseline;
            if (variant.baseline)
                panel.setBaseline(&baseline.table, baseline.steps);
            // Fed in ticks, as the dashboard does.
            for (int i = 0; i <= 600; i += 15) {
                panel.appendSnapshot(run.store->snapshot());
                panel.setSteps(run.steps, run.now);
            }
            if (variant.spread) {
                panel.setStepSpread({{"checksum context", {2.0, 2.2, 2.4, 2.1, 2.3}},
                    {"tar context", {2.5, 2.6, 3.1, 2.4}}, {"compile", {13.8, 14.7, 16.2, 14.1, 15.0}},
                    {"link", {3.2, 3.5, 4.4}}, {"integration tests", {2.8, 3.0, 4.0}}});
            }
            QCoreApplication::processEvents();
            QCoreApplication::processEvents();
            if (variant.hover) {
                QCustomPlot* memory = panel.plot(ChartPanel::Chart::Memory);
                const QPointF at(memory->xAxis->coordToPixel(14.0), memory->axisRect()->center().y());
                QMouseEvent move(
                    QEvent::MouseMove, at, memory->mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
                QCoreApplication::sendEvent(memory, &move);
                QCoreApplication::processEvents();
            }
            const QImage image = panel.grab().toImage();
            QVERIFY(colorCount(image) > 20);
            const QString path = screenshotPath(variant.name);
            QVERIFY(image.save(path));
            qInfo("screenshot: %s (last replot %.2f ms)", qPrintable(path), panel.lastReplotMilliseconds());
        }
    }
};

QTEST_MAIN(TestChartPanel)
#include "tst_chartpanel.moc"
