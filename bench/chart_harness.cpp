// Measures the dashboard charts' rendering path (not a Google Benchmark: it needs a
// QApplication and reports replot times the way QCustomPlot measures them).
//
//   QT_QPA_PLATFORM=offscreen ./chart_harness [--ticks N] [--points N] [--no-antialias] [--fast-polylines]
//                                             [--skip-day] [--skip-million]
//
// 1. Replot time at 1 M retained points per series: a ChartPanel with its raw-point cap
//    raised to 1 M, fed an 8-graph stream (3 memory series, 2 allocation rates, 3 pool hit
//    rates from 11 store series) at 20 Hz simulated time, then ticked at 30 Hz (store
//    append, appendSnapshot, queued replot). Reported per tick: the slowest chart's
//    QCustomPlot::replotTime(), the sum over the three time charts, and the whole tick.
//    Three views: the panel's policy (envelope when zoomed out), raw points forced at full
//    zoom-out, raw points forced on the last 10 minutes.
// 2. A 24-hour run at 20 Hz through a default TimeSeriesStore (the engine's 33 series) and
//    a default ChartPanel, fed in 10-minute batches, then the process RSS.

#include "charts/chartpanel.h"
#include "memory/timeseriesstore.h"

#include <QApplication>
#include <QElapsedTimer>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <unistd.h>
#include <vector>

using namespace buildscope;

namespace {
constexpr double kSampleHz = 20;
constexpr double kTickHz = 30;
constexpr double kMiB = 1024.0 * 1024.0;

double residentBytes()
{
    std::ifstream statm("/proc/self/statm");
    unsigned long long pages = 0;
    unsigned long long resident = 0;
    statm >> pages >> resident;
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return std::numeric_limits<double>::quiet_NaN();
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size()))) - 1;
    return values[std::min(rank, values.size() - 1)];
}

// Noisy but deterministic values: the worst case for line rendering is a line that moves
// every sample, so every series wanders.
class SyntheticSource
{
public:
    explicit SyntheticSource(std::vector<SeriesSpec> specs)
        : m_specs(std::move(specs))
        , m_row(m_specs.size(), 0.0)
    { }

    const std::vector<SeriesSpec>& specs() const { return m_specs; }

    std::span<const double> next(double t)
    {
        for (std::size_t s = 0; s < m_specs.size(); ++s) {
            const std::string& name = m_specs[s].name;
            const double wobble = noise();
            if (name == "tree_rss_bytes") {
                m_row[s] = std::fmod(t, 600) < 30 ? std::numeric_limits<double>::quiet_NaN()
                                                  : (400 + 300 * std::sin(t / 97) + 40 * wobble) * kMiB;
            } else if (name.ends_with("rss_bytes") || name.ends_with("live_bytes")) {
                m_row[s] = (80 + 20 * std::sin(t / 311 + static_cast<double>(s)) + 3 * wobble) * kMiB;
            } else if (name == "heap_allocations" || name == "heap_frees") {
                m_row[s] += std::max(0.0, 500 * (1 + wobble));
            } else if (name == "heap_allocated_bytes") {
                m_row[s] += std::max(0.0, 100000 * (1 + wobble));
            } else if (name.ends_with(".acquires")) {
                m_row[s] += std::floor(4 * (1 + wobble));
            } else if (name.ends_with(".hits")) {
                m_row[s] = std::min(m_row[s - 1], m_row[s] + std::floor(3 * (1 + wobble))); // follows its acquires
            } else {
                m_row[s] = 3 + wobble;
            }
        }
        return m_row;
    }

private:
    double noise()
    {
        m_state = m_state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(m_state >> 11) / static_cast<double>(1ULL << 53) * 2 - 1;
    }

    std::vector<SeriesSpec> m_specs;
    std::vector<double> m_row;
    unsigned long long m_state = 42;
};

std::vector<SeriesSpec> eightGraphSeries()
{
    std::vector<SeriesSpec> specs {{"engine_rss_bytes", "bytes"}, {"tree_rss_bytes", "bytes"},
        {"heap_live_bytes", "bytes"}, {"heap_allocations", "count"}, {"heap_allocated_bytes", "bytes"}};
    for (const char* pool : {"io.4KiB", "io.32KiB", "io.128KiB"}) {
        specs.push_back({std::string(pool) + ".acquires", "count"});
        specs.push_back({std::string(pool) + ".hits", "count"});
    }
    return specs;
}

std::vector<SeriesSpec> engineSeries()
{
    std::vector<SeriesSpec> specs {{"engine_rss_bytes", "bytes"}, {"engine_peak_rss_bytes", "bytes"},
        {"tree_rss_bytes", "bytes"}, {"tree_processes", "processes"}, {"heap_live_bytes", "bytes"},
        {"heap_peak_live_bytes", "bytes"}, {"heap_allocations", "count"}, {"heap_frees", "count"},
        {"heap_allocated_bytes", "bytes"}};
    for (const char* pool :
        {"io.4KiB", "io.32KiB", "io.128KiB", "hash.64KiB", "tar.64KiB", "string.256B", "string.1KiB", "string.4KiB"}) {
        specs.push_back({std::string(pool) + ".acquires", "count"});
        specs.push_back({std::string(pool) + ".hits", "count"});
        specs.push_back({std::string(pool) + ".retained_bytes", "bytes"});
    }
    return specs;
}

struct Options
{
    int ticks = 300;
    std::uint64_t points = 1000000;
    bool noAntialias = false;
    bool fastPolylines = false;
    bool skipDay = false;
    bool skipMillion = false;
};

void configure(ChartPanel& panel, const Options& options)
{
    for (auto chart : {ChartPanel::Chart::Memory, ChartPanel::Chart::AllocationRate, ChartPanel::Chart::PoolHitRate,
             ChartPanel::Chart::StepTimings}) {
        QCustomPlot* plot = panel.plot(chart);
        if (options.noAntialias)
            plot->setNotAntialiasedElements(QCP::aeAll);
        if (options.fastPolylines)
            plot->setPlottingHint(QCP::phFastPolylines, true);
    }
}

// Feeds samples [next, next + count) into the store, calling appendSnapshot every `batch`.
void feed(TimeSeriesStore& store, SyntheticSource& source, ChartPanel& panel, std::uint64_t& next, std::uint64_t count,
    std::uint64_t batch)
{
    const std::uint64_t end = next + count;
    while (next < end) {
        const std::uint64_t stop = std::min(end, next + batch);
        for (; next < stop; ++next) {
            const double t = static_cast<double>(next) / kSampleHz;
            store.append(t, source.next(t));
        }
        panel.appendSnapshot(store.snapshot());
    }
}

struct TickFigures
{
    std::vector<double> slowestChart;
    std::vector<double> timeCharts;
    std::vector<double> tick;
};

// 30 Hz ticks against 20 Hz samples: two samples every three ticks.
TickFigures runTicks(TimeSeriesStore& store, SyntheticSource& source, ChartPanel& panel, std::uint64_t& next, int ticks)
{
    TickFigures figures;
    QElapsedTimer timer;
    const std::uint64_t base = next;
    for (int tick = 0; tick < ticks; ++tick) {
        timer.start();
        const double tickTime = static_cast<double>(tick) / kTickHz;
        const std::uint64_t due = static_cast<std::uint64_t>(tickTime * kSampleHz);
        while (next < base + due + 1) {
            const double t = static_cast<double>(next) / kSampleHz;
            store.append(t, source.next(t));
            ++next;
        }
        panel.appendSnapshot(store.snapshot());
        QCoreApplication::processEvents(); // runs the queued replots (and the history timer when due)
        figures.tick.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
        double sum = 0;
        for (auto chart :
            {ChartPanel::Chart::Memory, ChartPanel::Chart::AllocationRate, ChartPanel::Chart::PoolHitRate})
            sum += panel.plot(chart)->replotTime(false);
        figures.timeCharts.push_back(sum);
        figures.slowestChart.push_back(panel.lastReplotMilliseconds());
    }
    return figures;
}

void report(const char* name, const TickFigures& figures)
{
    std::printf("%-46s replot (slowest chart) median %6.2f ms  p95 %6.2f ms | 3 time charts median %6.2f ms  "
                "p95 %6.2f ms | whole tick median %6.2f ms  p95 %6.2f ms\n",
        name, percentile(figures.slowestChart, 0.5), percentile(figures.slowestChart, 0.95),
        percentile(figures.timeCharts, 0.5), percentile(figures.timeCharts, 0.95), percentile(figures.tick, 0.5),
        percentile(figures.tick, 0.95));
    // The slowest tick includes the once-a-second envelope rebuild while following.
    std::printf("%-46s slowest tick %.2f ms\n", "", percentile(figures.tick, 1.0));
}

int pointsIn(ChartPanel& panel)
{
    return panel.plot(ChartPanel::Chart::Memory)->graph(0)->data()->size();
}
} // namespace

int main(int argc, char** argv)
{
    Options options;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--ticks") == 0 && i + 1 < argc)
            options.ticks = std::atoi(argv[++i]);
        else if (std::strcmp(argv[i], "--points") == 0 && i + 1 < argc)
            options.points = std::strtoull(argv[++i], nullptr, 10);
        else if (std::strcmp(argv[i], "--no-antialias") == 0)
            options.noAntialias = true;
        else if (std::strcmp(argv[i], "--fast-polylines") == 0)
            options.fastPolylines = true;
        else if (std::strcmp(argv[i], "--skip-day") == 0)
            options.skipDay = true;
        else if (std::strcmp(argv[i], "--skip-million") == 0)
            options.skipMillion = true; // the RSS figure of the 24 h part is then that of a fresh process
    }
    QApplication app(argc, argv);
    std::printf("platform %s, %llu points/series, %d ticks, antialiasing %s, fast polylines %s\n",
        qPrintable(QGuiApplication::platformName()), static_cast<unsigned long long>(options.points), options.ticks,
        options.noAntialias ? "off" : "on", options.fastPolylines ? "on" : "off");

    if (!options.skipMillion) {
        SyntheticSource source(eightGraphSeries());
        TimeSeriesStore store(source.specs());
        ChartPanel panel;
        configure(panel, options);
        panel.setRawPointLimit(static_cast<int>(options.points + 100000));
        panel.resize(1600, 1000);
        panel.show();
        std::uint64_t next = 0;
        QElapsedTimer timer;
        timer.start();
        feed(store, source, panel, next, options.points, 10000);
        QCoreApplication::processEvents();
        std::printf("fed %llu samples in %.1f s; graphs hold %d points each; plot area %d px wide\n",
            static_cast<unsigned long long>(next), static_cast<double>(timer.elapsed()) / 1000.0, pointsIn(panel),
            panel.plot(ChartPanel::Chart::Memory)->axisRect()->width());

        // The panel's own policy: the whole run in view, drawn from the envelope.
        QTimer::singleShot(150, [] {});
        QElapsedTimer settle;
        settle.start();
        while (settle.elapsed() < 200)
            QCoreApplication::processEvents();
        report("policy: follow whole run (envelope)", runTicks(store, source, panel, next, options.ticks));
        std::printf("  envelope shown: %s, %d points in the memory graph\n", panel.showingHistory() ? "yes" : "no",
            pointsIn(panel));

        // Raw points forced: every retained point is in view and goes through QCustomPlot.
        panel.setMaxRawPointsPerPixel(std::numeric_limits<double>::infinity());
        settle.restart();
        while (settle.elapsed() < 200)
            QCoreApplication::processEvents();
        report("raw forced: follow whole run (1 M in view)", runTicks(store, source, panel, next, options.ticks));
        std::printf("  envelope shown: %s, %d points in the memory graph\n", panel.showingHistory() ? "yes" : "no",
            pointsIn(panel));

        // Raw, zoomed to the last 10 minutes (follow off): binary search skips the rest.
        const double now = static_cast<double>(next) / kSampleHz;
        panel.plot(ChartPanel::Chart::Memory)->xAxis->setRange(now - 600, now + 60);
        settle.restart();
        while (settle.elapsed() < 200)
            QCoreApplication::processEvents();
        report("raw forced: last 10 min of 1 M", runTicks(store, source, panel, next, options.ticks));
    }

    if (options.skipDay)
        return 0;

    // A 24-hour run at 20 Hz with default settings.
    const double before = residentBytes();
    {
        SyntheticSource source(engineSeries());
        TimeSeriesStore store(source.specs());
        ChartPanel panel;
        configure(panel, options);
        panel.resize(1600, 1000);
        panel.show();
        std::uint64_t next = 0;
        const auto day = static_cast<std::uint64_t>(24 * 3600 * kSampleHz);
        QElapsedTimer timer;
        timer.start();
        // 10-minute batches (12,000 samples, under the store's 16,384 raw rows), each appended
        // and replotted as a tick would.
        const std::uint64_t batch = 12000;
        while (next < day) {
            feed(store, source, panel, next, std::min(batch, day - next), batch);
            QCoreApplication::processEvents();
        }
        const double fedSeconds = static_cast<double>(timer.elapsed()) / 1000.0;
        QElapsedTimer settle;
        settle.start();
        while (settle.elapsed() < 300)
            QCoreApplication::processEvents();
        const TickFigures figures = runTicks(store, source, panel, next, std::min(options.ticks, 150));
        std::printf("24 h at 20 Hz: %llu samples, %zu series, fed in %.1f s; store holds %.1f MiB (budget %.1f MiB); "
                    "memory graph %d points (envelope %s)\n",
            static_cast<unsigned long long>(next), source.specs().size(), fedSeconds,
            static_cast<double>(store.memoryBytes()) / kMiB,
            static_cast<double>(TimeSeriesStore::memoryBudgetBytes(source.specs().size(), store.config())) / kMiB,
            pointsIn(panel), panel.showingHistory() ? "yes" : "no");
        report("after 24 h: follow whole run", figures);
        {
            // What the once-a-second envelope rebuild costs in the store alone.
            const TimeSeriesStore::Snapshot snapshot = store.snapshot();
            const auto buckets
                = static_cast<std::size_t>(2 * panel.plot(ChartPanel::Chart::Memory)->axisRect()->width());
            std::vector<double> times;
            for (int i = 0; i < 20; ++i) {
                QElapsedTimer rangeTimer;
                rangeTimer.start();
                const TimeSeriesStore::Range range = snapshot.range(0, snapshot.lastSeconds(), buckets);
                times.push_back(static_cast<double>(rangeTimer.nsecsElapsed()) / 1e6);
            }
            std::printf("  Snapshot::range(whole day, %zu buckets): median %.2f ms\n", buckets, percentile(times, 0.5));
        }
        std::printf("process RSS after 24 h: %.1f MiB (%.1f MiB before the run, after the 1 M part)\n",
            residentBytes() / kMiB, before / kMiB);
    }
    return 0;
}
