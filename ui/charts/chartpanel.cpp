#include "charts/chartpanel.h"

#include "charts/bytesaxisticker.h"
#include "charts/charttrace.h"
#include "charts/countaxisticker.h"
#include "charts/processtimelinechart.h"
#include "charts/steptimingchart.h"
#include "charts/timechart.h"
#include "models/numberformat.h"
#include "run/seriesid.h"

#include <QEvent>
#include <QFontMetrics>
#include <QScopedValueRollback>
#include <QSplitter>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <string_view>

namespace buildscope {

namespace {
constexpr double kMinimumFollowSpan = 10; // seconds: the first samples are not stretched over the whole width
constexpr int kHistoryDebounceMs = 100;
constexpr qint64 kFollowedHistoryRefreshMs = 1000;
constexpr int kMaxHistoryTail = 2000; // raw points appended to an envelope before it is rebuilt
constexpr double kMiB = 1024.0 * 1024.0;

QString bytesRateText(double bytesPerSecond)
{
    return std::isnan(bytesPerSecond) ? QStringLiteral("n/a") : bytesText(bytesPerSecond) + QStringLiteral("/s");
}

QString countRateText(double perSecond)
{
    return std::isnan(perSecond) ? QStringLiteral("n/a")
                                 : CountAxisTicker::formatCount(perSecond, 2) + QStringLiteral("/s");
}

QString percentText(double percent)
{
    return std::isnan(percent) ? QStringLiteral("n/a") : QString::number(percent, 'f', 1) + QStringLiteral(" %");
}
} // namespace

ChartPanel::ChartPanel(QWidget* parent)
    : QWidget(parent)
{
    buildCharts();
    m_historyTimer.setSingleShot(true);
    m_historyTimer.setInterval(kHistoryDebounceMs);
    connect(&m_historyTimer, &QTimer::timeout, this, &ChartPanel::refreshHistory);
    applyPalette();
    applyFollowRange();
    alignMargins();
}

ChartPanel::~ChartPanel() = default;

void ChartPanel::buildCharts()
{
    m_memory = new TimeChart(tr("Memory"));
    m_memory->yAxis->setTicker(QSharedPointer<BytesAxisTicker>::create());
    m_memory->setDefaultValueUpper(m_memory->yAxis, 64 * kMiB);
    m_memory->addTrace(
        tr("build process tree"), ChartTrace::Kind::Value, ChartPalette::Blue, m_memory->yAxis, bytesText);
    m_memory->addTrace(tr("engine RSS"), ChartTrace::Kind::Value, ChartPalette::Vermillion, m_memory->yAxis, bytesText);
    m_memory->addTrace(
        tr("engine heap live"), ChartTrace::Kind::Value, ChartPalette::ReddishPurple, m_memory->yAxis, bytesText);

    m_allocations = new TimeChart(tr("Allocation rate"));
    m_allocations->yAxis->setTicker(QSharedPointer<CountAxisTicker>::create(QStringLiteral("/s")));
    m_allocations->yAxis2->setTicker(QSharedPointer<BytesAxisTicker>::create(QStringLiteral("/s")));
    m_allocations->yAxis2->setVisible(true);
    m_allocations->yAxis2->grid()->setVisible(false); // one grid per chart; the left axis owns it
    m_allocations->setDefaultValueUpper(m_allocations->yAxis, 1000);
    m_allocations->setDefaultValueUpper(m_allocations->yAxis2, kMiB);
    m_allocations->addTrace(tr("allocations/s (left)"), ChartTrace::Kind::Rate, ChartPalette::ReddishPurple,
        m_allocations->yAxis, countRateText);
    m_allocations->addTrace(
        tr("bytes/s (right)"), ChartTrace::Kind::Rate, ChartPalette::Orange, m_allocations->yAxis2, bytesRateText);

    m_hitRate = new TimeChart(tr("Pool hit rate"));
    m_hitRate->yAxis->setTicker(QSharedPointer<CountAxisTicker>::create(QStringLiteral(" %")));
    // A little over 100 so a pool at a steady 100 % is drawn inside the frame, not on it.
    m_hitRate->setFixedValueRange(m_hitRate->yAxis, QCPRange(0, 104));

    m_steps = new StepTimingChart;
    m_processes = new ProcessTimelineChart;
    m_timeCharts = {m_memory, m_allocations, m_hitRate};
    m_axisCharts = {m_memory, m_processes, m_allocations, m_hitRate, m_steps};

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setHandleWidth(4);
    for (TimeChart* chart : m_axisCharts)
        m_splitter->addWidget(chart);
    // Memory takes the space; the processes' lanes and step timings' rows are as tall as
    // they need (ProcessTimelineChart, setSteps); the engine's charts are short when shown.
    const int stretch[] = {4, 2, 1, 1, 2};
    const int minimum[] = {140, 90, 90, 90, 110};
    for (int i = 0; i < 5; ++i) {
        m_splitter->widget(i)->setMinimumHeight(minimum[i]);
        m_splitter->setStretchFactor(i, stretch[i]);
    }
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);

    for (TimeChart* chart : m_axisCharts) {
        connect(chart->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            [this, chart](const QCPRange& range) { onXRangeChanged(chart, range); });
        connect(
            chart, &QCustomPlot::mouseMove, this, [this, chart](QMouseEvent* event) { onPointerMoved(chart, event); });
        connect(chart, &TimeChart::pointerLeft, this, &ChartPanel::hideCrosshairs);
        connect(chart, &QCustomPlot::mouseDoubleClick, this, [this] { setFollowLive(true); });
        // Not a tooltip: it would pop up over the crosshair label.
        chart->setWhatsThis(tr("Wheel: zoom time \u00b7 Drag: pan \u00b7 Double-click: follow the live run"));
    }
}

QCustomPlot* ChartPanel::plot(Chart chart) const
{
    switch (chart) {
    case Chart::Memory:
        return m_memory;
    case Chart::AllocationRate:
        return m_allocations;
    case Chart::PoolHitRate:
        return m_hitRate;
    case Chart::StepTimings:
        return m_steps;
    case Chart::Processes:
        return m_processes;
    }
    return nullptr;
}

double ChartPanel::lastReplotMilliseconds() const
{
    double slowest = std::max(m_steps->replotTime(false), m_processes->replotTime(false));
    for (const TimeChart* chart : m_timeCharts)
        slowest = std::max(slowest, chart->replotTime(false));
    return slowest;
}

void ChartPanel::setRawPointLimit(int points)
{
    m_rawPointLimit = std::max(1, points);
}

void ChartPanel::setMaxRawPointsPerPixel(double points)
{
    m_maxRawPointsPerPixel = points;
    scheduleHistoryRefresh();
}

void ChartPanel::clear()
{
    resetData();
    for (TimeChart* chart : m_timeCharts) {
        chart->setStepSpans({}, chart == m_memory);
        chart->updateLegend();
    }
    hideCrosshairs();
    m_steps->clearSteps();
    m_processes->clearProcesses();
    if (hasBaseline())
        alignBaseline({});
    if (m_followLive)
        applyFollowRange();
    else
        setFollowLive(true);
    alignMargins();
    queueReplot();
}

void ChartPanel::setChartShown(Chart chart, bool shown)
{
    if (chart == Chart::Memory || chart == Chart::StepTimings)
        return; // what a build shows is always there
    plot(chart)->setVisible(shown);
    alignMargins(); // a hidden chart's value labels no longer widen the others
    queueReplot();
}

bool ChartPanel::chartShown(Chart chart) const
{
    return !plot(chart)->isHidden();
}

void ChartPanel::setEngineHeapShown(bool shown)
{
    ChartTrace& heap = *m_memory->traces()[2];
    if (heap.shown() == shown)
        return;
    heap.setShown(shown);
    m_memory->updateLegend();
    m_memory->resetValueRanges(); // the axis may have grown for the hidden line
    updateValueRanges();
    queueReplot();
}

bool ChartPanel::engineHeapShown() const
{
    return m_memory->traces()[2]->shown();
}

void ChartPanel::resetData()
{
    m_historyTimer.stop();
    for (TimeChart* chart : m_timeCharts) {
        for (const auto& trace : chart->traces())
            trace->reset();
        chart->resetValueRanges();
    }
    m_snapshot.reset();
    m_nextSequence = 0;
    m_now = 0;
    m_showingHistory = false;
}

void ChartPanel::setSeries(const std::vector<SeriesSpec>& series)
{
    const bool same = series.size() == m_series.size()
        && std::equal(series.begin(), series.end(), m_series.begin(),
            [](const SeriesSpec& a, const SeriesSpec& b) { return a.name == b.name; });
    if (same)
        return;
    m_series = series;
    resetData();
    resolveSeries();
    alignMargins();
    queueReplot();
}

void ChartPanel::resolveSeries()
{
    auto indexOf = [this](std::string_view name) {
        for (std::size_t i = 0; i < m_series.size(); ++i) {
            if (m_series[i].name == name)
                return i;
        }
        return ChartTrace::kNoSeries;
    };
    const auto& memory = m_memory->traces();
    memory[0]->setSources(indexOf(seriesName(SeriesId::TreeRss)));
    memory[1]->setSources(indexOf(seriesName(SeriesId::EngineRss)));
    memory[2]->setSources(indexOf(seriesName(SeriesId::HeapLive)));
    const auto& allocations = m_allocations->traces();
    allocations[0]->setSources(indexOf(seriesName(SeriesId::HeapAllocations)));
    allocations[1]->setSources(indexOf(seriesName(SeriesId::HeapAllocatedBytes)));

    // One hit-rate line per pool that has both counters, in the store's order.
    m_hitRate->removeTracesFrom(0);
    const std::string_view acquiresSuffix = ".acquires";
    std::size_t hue = 0;
    for (std::size_t i = 0; i < m_series.size(); ++i) {
        const std::string& name = m_series[i].name;
        if (name.size() <= acquiresSuffix.size() || !name.ends_with(acquiresSuffix))
            continue;
        const std::string pool = name.substr(0, name.size() - acquiresSuffix.size());
        const std::size_t hits = indexOf(pool + ".hits");
        if (hits == ChartTrace::kNoSeries)
            continue;
        ChartTrace& trace = m_hitRate->addTrace(
            QString::fromStdString(pool), ChartTrace::Kind::HitRatePercent, hue++, m_hitRate->yAxis, percentText);
        trace.setSources(hits, i);
        trace.graph()->setProperty("markSparsePoints", true);
    }
    m_values.assign(m_series.size(), {});
    for (TimeChart* chart : m_timeCharts)
        chart->updateLegend();
}

void ChartPanel::appendSnapshot(const TimeSeriesStore::Snapshot& snapshot)
{
    if (snapshot.seriesCount() != m_series.size())
        setSeries(snapshot.series());
    if (snapshot.sampleCount() < m_nextSequence)
        resetData(); // a different store (a new run that was not cleared): start over
    const bool firstData = m_nextSequence == 0;
    m_snapshot = snapshot;

    const std::uint64_t end = snapshot.sampleCount();
    if (end > m_nextSequence) {
        // Copy each needed series once per tick; the times once.
        std::vector<bool> needed(m_series.size(), false);
        for (const TimeChart* chart : m_timeCharts) {
            for (const auto& trace : chart->traces()) {
                if (!trace->hasSource())
                    continue;
                needed[trace->series()] = true;
                if (trace->denominatorSeries() != ChartTrace::kNoSeries)
                    needed[trace->denominatorSeries()] = true;
            }
        }
        m_times.clear();
        bool haveTimes = false;
        for (std::size_t s = 0; s < needed.size(); ++s) {
            m_values[s].clear();
            if (!needed[s])
                continue;
            m_discard.clear();
            snapshot.copyRaw(m_nextSequence, s, haveTimes ? m_discard : m_times, m_values[s]);
            haveTimes = true;
        }
        for (const TimeChart* chart : m_timeCharts) {
            for (const auto& trace : chart->traces()) {
                if (!trace->hasSource())
                    continue;
                const std::vector<double>& values = m_values[trace->series()];
                const std::size_t denominator = trace->denominatorSeries();
                trace->append(m_times, values,
                    denominator != ChartTrace::kNoSeries ? std::span<const double>(m_values[denominator])
                                                         : std::span<const double>(),
                    m_rawPointLimit);
            }
        }
        m_nextSequence = end;
    }
    const double last = snapshot.lastSeconds();
    if (!std::isnan(last))
        m_now = std::max(m_now, last);

    for (TimeChart* chart : m_timeCharts)
        chart->updateLegend();
    if (m_followLive)
        applyFollowRange();

    if (!m_historyTimer.isActive()) {
        if (m_showingHistory) {
            bool tailTooLong = false;
            for (const TimeChart* chart : m_timeCharts) {
                for (const auto& trace : chart->traces())
                    tailTooLong = tailTooLong || trace->historyTailPoints() > kMaxHistoryTail;
            }
            if (tailTooLong || (m_followLive && m_historyAge.elapsed() >= kFollowedHistoryRefreshMs))
                m_historyTimer.start();
        } else if (wantsHistory(m_memory->xAxis->range())) {
            // A loaded report (older data than the raw window on the first call) is shown
            // whole at once; a live run crossing the threshold can wait for the timer.
            if (firstData)
                refreshHistory();
            else
                m_historyTimer.start();
        }
    }
    updateValueRanges();
    queueReplot();
}

void ChartPanel::setSteps(const std::vector<StepResult>& steps, double nowSeconds)
{
    if (!std::isnan(nowSeconds))
        m_now = std::max(m_now, nowSeconds);
    // One readable row per step: the timings chart must not squeeze its labels together.
    const int wanted = 70 + 20 * static_cast<int>(steps.size());
    if (m_steps->minimumHeight() != std::max(110, wanted))
        m_steps->setMinimumHeight(std::max(110, wanted));
    std::vector<StepSpan> spans;
    spans.reserve(steps.size());
    for (const StepResult& step : steps) {
        if (step.status == StepStatus::Pending || step.status == StepStatus::NotRun
            || step.status == StepStatus::Skipped)
            continue;
        const double end = step.status == StepStatus::Running ? nowSeconds : step.endSeconds;
        spans.push_back(
            {QString::fromStdString(step.name), step.startSeconds, std::max(step.startSeconds, end), step.status});
    }
    for (TimeChart* chart : m_timeCharts)
        chart->setStepSpans(spans, chart == m_memory);
    if (hasBaseline() && liveStartsChanged(steps))
        alignBaseline(steps);
    m_steps->setSteps(steps, nowSeconds);
    if (m_followLive)
        applyFollowRange();
    queueReplot();
}

void ChartPanel::setStepSpread(const std::map<std::string, std::vector<double>>& wallSecondsPerStep)
{
    m_steps->setSpread(wallSecondsPerStep);
    queueReplot();
}

void ChartPanel::setProcesses(const std::vector<ProcessRecord>& processes)
{
    m_processes->setProcesses(processes);
    alignMargins();
}

void ChartPanel::setRunningProcesses(const std::vector<ProcessRecord>& running, double nowSeconds)
{
    m_processes->setRunning(running, nowSeconds);
}

void ChartPanel::setBaseline(const SampleTable* samples, const std::vector<StepResult>& steps)
{
    m_baseline = samples ? SeriesPoints::fromTable(*samples, seriesName(SeriesId::TreeRss)) : SeriesPoints();
    m_baselineSteps = hasBaseline() ? steps : std::vector<StepResult>();
    if (!hasBaseline()) {
        m_baselineAlignment = {};
        m_baselineEnd = 0;
        m_alignedTo.clear();
        m_memory->clearReference();
        m_memory->resetValueRanges(); // the axis may have grown for the baseline alone
        updateValueRanges();
        if (m_followLive)
            applyFollowRange();
        queueReplot();
        return;
    }
    alignBaseline(m_alignedTo);
}

bool ChartPanel::liveStartsChanged(const std::vector<StepResult>& steps) const
{
    // Per tick, so no allocation: walk the started steps against those last aligned to.
    std::size_t aligned = 0;
    for (const StepResult& step : steps) {
        if (!BaselineAlignment::started(step))
            continue;
        if (aligned == m_alignedTo.size() || m_alignedTo[aligned].name != step.name
            || m_alignedTo[aligned].startSeconds != step.startSeconds)
            return true;
        ++aligned;
    }
    return aligned != m_alignedTo.size();
}

void ChartPanel::alignBaseline(const std::vector<StepResult>& liveSteps)
{
    std::vector<StepResult> started; // not built in place: liveSteps may be m_alignedTo itself
    for (const StepResult& step : liveSteps) {
        if (BaselineAlignment::started(step))
            started.push_back(step);
    }
    m_alignedTo = std::move(started);
    m_baselineAlignment = BaselineAlignment(m_baselineSteps, m_alignedTo);
    ++m_baselineRebuilds;
    QVector<QCPGraphData> points = m_baselineAlignment.align(m_baseline.times, m_baseline.values);
    m_baselineEnd = std::max(m_baselineAlignment.alignedEnd(), points.isEmpty() ? 0.0 : points.back().key);
    m_memory->setReference(tr("baseline"), ChartPalette::Blue, m_memory->yAxis, std::move(points), bytesText);
    updateValueRanges();
    if (m_followLive)
        applyFollowRange();
    queueReplot();
}

void ChartPanel::setFollowLive(bool follow)
{
    if (m_followLive == follow)
        return;
    m_followLive = follow;
    if (follow) {
        applyFollowRange();
        scheduleHistoryRefresh();
        queueReplot();
    }
    emit followLiveChanged(follow);
}

void ChartPanel::applyFollowRange()
{
    // A baseline that ran longer stays in view to its end: what is still to come is shown.
    setTimeRange(QCPRange(0, std::max({m_now, m_baselineEnd, kMinimumFollowSpan})));
}

void ChartPanel::setTimeRange(const QCPRange& range)
{
    QScopedValueRollback guard(m_settingRange, true);
    m_memory->xAxis->setRange(range); // fans out to the other charts through onXRangeChanged
}

void ChartPanel::onXRangeChanged(TimeChart* source, const QCPRange& range)
{
    if (m_syncingRange)
        return;
    QScopedValueRollback guard(m_syncingRange, true);
    QCPRange shown = range;
    if (!m_settingRange && shown.lower < 0) {
        // Panning or zooming out past the start slides the view instead: there is nothing before 0.
        shown = QCPRange(0, range.size());
        source->xAxis->setRange(shown);
    }
    for (TimeChart* chart : m_axisCharts) {
        if (chart != source)
            chart->xAxis->setRange(shown);
    }
    queueReplot();
    if (!m_settingRange) {
        setFollowLive(false);
        scheduleHistoryRefresh();
    }
}

const ChartTrace* ChartPanel::referenceTrace() const
{
    // Every trace is fed the same sample times, so any fed one tells what raw data is held.
    for (const TimeChart* chart : m_timeCharts) {
        for (const auto& trace : chart->traces()) {
            if (trace->hasSource())
                return trace.get();
        }
    }
    return nullptr;
}

int ChartPanel::plotWidthPixels() const
{
    // From the widget and the side margins alignMargins() set, rather than the axis rect,
    // whose size is only updated by the next replot (after a resize, or before the first).
    const QMargins margins = m_memory->axisRect()->margins();
    return std::max(50, m_memory->width() - margins.left() - margins.right());
}

bool ChartPanel::wantsHistory(const QCPRange& range) const
{
    if (!m_snapshot || m_snapshot->sampleCount() == 0)
        return false;
    const ChartTrace* reference = referenceTrace();
    if (!reference || reference->live()->isEmpty())
        return false;
    const QCPGraphDataContainer& live = *reference->live();
    const double oldestRaw = live.constBegin()->key;
    const double first = m_snapshot->firstSeconds();
    if (first < oldestRaw && range.lower < oldestRaw && range.upper > first)
        return true; // the view reaches back past the raw samples held
    const auto visible = live.findEnd(range.upper, false) - live.findBegin(range.lower, false);
    return static_cast<double>(visible) > m_maxRawPointsPerPixel * plotWidthPixels();
}

void ChartPanel::scheduleHistoryRefresh()
{
    if (m_snapshot)
        m_historyTimer.start(); // restarts: rebuild once the view has settled
}

void ChartPanel::refreshHistory()
{
    m_historyTimer.stop();
    const QCPRange range = m_memory->xAxis->range();
    if (!wantsHistory(range)) {
        if (m_showingHistory) {
            for (const TimeChart* chart : m_timeCharts) {
                for (const auto& trace : chart->traces())
                    trace->showLive();
            }
            m_showingHistory = false;
            updateValueRanges();
            queueReplot();
        }
        return;
    }
    const double lower = std::max(range.lower, m_snapshot->firstSeconds());
    const double upper = std::min(range.upper, m_snapshot->lastSeconds());
    if (!(upper >= lower))
        return; // nothing held in view: whatever is shown is as good
    // Two buckets per pixel: each becomes a min and a max point, so every pixel column
    // spans the true extremes of its time slice.
    const auto buckets = static_cast<std::size_t>(2 * plotWidthPixels());
    const TimeSeriesStore::Range history = m_snapshot->range(lower, upper, buckets);
    for (const TimeChart* chart : m_timeCharts) {
        for (const auto& trace : chart->traces())
            trace->showHistory(history);
    }
    m_showingHistory = true;
    m_historyAge.restart();
    updateValueRanges();
    queueReplot();
}

void ChartPanel::updateValueRanges()
{
    bool changed = false;
    for (TimeChart* chart : m_timeCharts)
        changed = chart->updateValueRanges() || changed;
    if (changed)
        alignMargins();
}

void ChartPanel::alignMargins()
{
    // One plot width for every chart on the time axis, so a second is as wide in each.
    int left = 0;
    int right = 0;
    for (const TimeChart* chart : m_axisCharts) {
        if (chart->isHidden())
            continue;
        left = std::max(left, chart->requiredLeftMargin());
        right = std::max(right, chart->requiredRightMargin());
    }
    // Room for half of the last time label, which is centred on the right edge.
    const QFontMetrics metrics(m_memory->xAxis->tickLabelFont());
    right = std::max(right, metrics.horizontalAdvance(QStringLiteral("00:00:00")) / 2 + 6);
    const QMargins before = m_memory->axisRect()->margins();
    for (TimeChart* chart : m_axisCharts)
        chart->setSideMargins(left, right);
    // The envelope has two buckets per pixel of the old width: rebuild it for the new one.
    if (m_showingHistory && (before.left() != left || before.right() != right))
        scheduleHistoryRefresh();
}

void ChartPanel::queueReplot()
{
    // A hidden panel (another tab) or chart is not drawn at 30 Hz; showing it catches up.
    // Exports do not depend on it: QCustomPlot lays out again when rendering to a file.
    if (!isVisible())
        return;
    for (TimeChart* chart : m_axisCharts) {
        if (chart->isVisible())
            chart->replot(QCustomPlot::rpQueuedReplot);
    }
}

void ChartPanel::applyPalette()
{
    m_palette = ChartPalette::fromPalette(palette());
    for (TimeChart* chart : m_timeCharts)
        chart->applyPalette(m_palette);
    m_steps->applyPalette(m_palette);
    m_processes->applyPalette(m_palette);
    queueReplot();
}

void ChartPanel::onPointerMoved(TimeChart* source, QMouseEvent* event)
{
    const QPointF position = event->position();
    if (!source->axisRect()->rect().contains(position.toPoint())) {
        hideCrosshairs();
        return;
    }
    const double seconds = source->xAxis->pixelToCoord(position.x());
    for (TimeChart* chart : m_axisCharts) {
        if (chart->isVisible())
            chart->showCrosshair(seconds);
    }
    emit hovered(seconds);
}

void ChartPanel::hideCrosshairs()
{
    for (TimeChart* chart : m_axisCharts)
        chart->hideCrosshair();
}

void ChartPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    else if (event->type() == QEvent::FontChange)
        alignMargins();
}

void ChartPanel::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    scheduleHistoryRefresh(); // points per pixel, and the envelope's bucket count, follow the width
}

void ChartPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    queueReplot();
}

} // namespace buildscope
