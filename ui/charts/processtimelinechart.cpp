#include "charts/processtimelinechart.h"

#include "models/numberformat.h"
#include "theme/colormath.h"

#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <limits>

namespace buildscope {

namespace {
constexpr double kBarHalfHeight = 0.38; // of a lane
} // namespace

ProcessTimelineChart::ProcessTimelineChart(QWidget* parent)
    : TimeChart(tr("Processes"), parent)
{
    yAxis->setTickLabels(false);
    yAxis->setTicks(false);
    yAxis->grid()->setVisible(false);
    yAxis->setRangeReversed(true); // lane 0 on top, like a Gantt chart
    setFixedValueRange(yAxis, QCPRange(-0.5, 0.5));
    setCrosshairLabelShown(false);
    m_note = new QCPItemText(this);
    m_note->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_note->position->setCoords(0.5, 0.5);
    m_note->setText(tr("No processes recorded yet"));
    connect(this, &QCustomPlot::mouseMove, this, &ProcessTimelineChart::showTooltip);
    connect(this, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        const double seconds = xAxis->pixelToCoord(event->position().x());
        const int lane = static_cast<int>(std::lround(yAxis->pixelToCoord(event->position().y())));
        if (const ProcessRecord* process = processAt(seconds, lane))
            emit processClicked(process->pid, process->startSeconds);
    });
    applyPalette(ChartPalette::fromPalette(palette()));
}

void ProcessTimelineChart::setProcesses(const std::vector<ProcessRecord>& processes)
{
    if (processes.size() == m_processes.size())
        return; // records only end: the same count is the same list
    m_processes = processes;
    rebuild();
}

void ProcessTimelineChart::clearProcesses()
{
    m_processes.clear();
    m_running.clear();
    rebuild();
}

void ProcessTimelineChart::setRunning(const std::vector<ProcessRecord>& running, double nowSeconds)
{
    const bool same = running.size() == m_running.size()
        && std::equal(running.begin(), running.end(), m_running.begin(), [](const ProcessRecord& a, const ProcessRecord& b) {
               return a.pid == b.pid && a.execCount == b.execCount && a.startSeconds == b.startSeconds;
           });
    m_now = nowSeconds;
    if (!same) {
        m_running = running;
        rebuild();
        return;
    }
    if (m_running.empty())
        return;
    for (const Bar& bar : m_bars) {
        if (bar.running)
            bar.rect->bottomRight->setCoords(std::max(m_now, recordOf(bar).startSeconds), bar.lane + kBarHalfHeight);
    }
    replot(QCustomPlot::rpQueuedReplot);
}

const ProcessRecord& ProcessTimelineChart::recordOf(const Bar& bar) const
{
    return bar.running ? m_running[bar.process] : m_processes[bar.process];
}

double ProcessTimelineChart::endOf(const Bar& bar) const
{
    return bar.running ? std::max(m_now, m_running[bar.process].startSeconds) : m_processes[bar.process].endSeconds;
}

void ProcessTimelineChart::setSelected(std::optional<std::pair<pid_t, double>> process)
{
    m_selected = process;
    styleBars();
    replot(QCustomPlot::rpQueuedReplot);
}

void ProcessTimelineChart::applyPalette(const ChartPalette& palette)
{
    m_palette = palette;
    TimeChart::applyPalette(palette);
    yAxis->setBasePen(Qt::NoPen);
    m_note->setColor(blendColors(m_palette.background, m_palette.text, 0.6));
    styleBars();
}

QColor ProcessTimelineChart::colorFor(std::uint64_t peak) const
{
    // Pale for a small process, the memory chart's own blue for the hungriest.
    const double share = m_maxPeak ? std::sqrt(static_cast<double>(peak) / static_cast<double>(m_maxPeak)) : 0.0;
    return blendColors(blendColors(m_palette.background, m_palette.text, 0.18),
        m_palette.series(ChartPalette::Blue), std::clamp(share, 0.0, 1.0));
}

void ProcessTimelineChart::rebuild()
{
    for (const Bar& bar : m_bars)
        removeItem(bar.rect);
    m_bars.clear();
    m_maxPeak = 0;
    // The hungriest kMaxBars when there are more: they are what the chart is for.
    std::vector<std::size_t> shown(m_processes.size());
    for (std::size_t i = 0; i < shown.size(); ++i)
        shown[i] = i;
    if (shown.size() > kMaxBars) {
        std::partial_sort(shown.begin(), shown.begin() + static_cast<std::ptrdiff_t>(kMaxBars), shown.end(),
            [&](std::size_t a, std::size_t b) { return m_processes[a].peakRssBytes > m_processes[b].peakRssBytes; });
        shown.resize(kMaxBars);
    }
    std::sort(shown.begin(), shown.end(),
        [&](std::size_t a, std::size_t b) { return m_processes[a].startSeconds < m_processes[b].startSeconds; });
    // Interval partitioning: each process takes the first lane free at its start, and holds
    // it to its end (a running process: for good).
    std::vector<double> laneEnds;
    auto placeBar = [&](std::size_t index, bool running) {
        const ProcessRecord& process = running ? m_running[index] : m_processes[index];
        int lane = -1;
        for (std::size_t l = 0; l < laneEnds.size(); ++l) {
            if (laneEnds[l] <= process.startSeconds) {
                lane = static_cast<int>(l);
                break;
            }
        }
        if (lane < 0) {
            if (laneEnds.size() < static_cast<std::size_t>(kMaxLanes)) {
                laneEnds.push_back(0);
                lane = static_cast<int>(laneEnds.size()) - 1;
            } else {
                lane = kMaxLanes - 1; // overlapping in the last lane beats not drawing it
            }
        }
        double& laneEnd = laneEnds[static_cast<std::size_t>(lane)];
        laneEnd = running ? std::numeric_limits<double>::infinity() : std::max(laneEnd, process.endSeconds);
        const double end = running ? m_now : process.endSeconds;
        auto* rect = new QCPItemRect(this);
        rect->setSelectable(false);
        rect->topLeft->setCoords(process.startSeconds, lane - kBarHalfHeight);
        rect->bottomRight->setCoords(std::max(end, process.startSeconds), lane + kBarHalfHeight);
        m_bars.push_back({index, running, lane, rect});
    };
    for (const std::size_t index : shown) {
        m_maxPeak = std::max(m_maxPeak, m_processes[index].peakRssBytes);
        placeBar(index, false);
    }
    for (std::size_t index = 0; index < m_running.size(); ++index) // who runs now, after the ended
        placeBar(index, true);
    m_lanes = static_cast<int>(laneEnds.size());
    setFixedValueRange(yAxis, QCPRange(-0.5, std::max(1, m_lanes) - 0.5));
    setMinimumHeight(std::clamp(40 + 14 * m_lanes, 90, 360));
    if (m_processes.empty() && m_running.empty())
        m_note->setText(tr("No processes recorded yet"));
    else if (m_processes.size() > kMaxBars)
        m_note->setText(tr("the %1 hungriest of %2 processes").arg(kMaxBars).arg(m_processes.size()));
    else
        m_note->setText(QString());
    m_note->position->setCoords(m_processes.size() > kMaxBars ? 0.85 : 0.5, m_processes.size() > kMaxBars ? 0.1 : 0.5);
    styleBars();
    replot(QCustomPlot::rpQueuedReplot);
}

void ProcessTimelineChart::styleBars()
{
    for (const Bar& bar : m_bars) {
        const ProcessRecord& process = recordOf(bar);
        if (bar.running) {
            // Its peak is not known until it ends: outlined, not coloured by a peak.
            const QColor blue = m_palette.series(ChartPalette::Blue);
            bar.rect->setBrush(blendColors(m_palette.background, blue, 0.25));
            bar.rect->setPen(QPen(blue, 1.5));
            continue;
        }
        const QColor fill = colorFor(process.peakRssBytes);
        bar.rect->setBrush(fill);
        const bool selected
            = m_selected && m_selected->first == process.pid && m_selected->second == process.startSeconds;
        // A hairline of the background between bars, so one lane's back-to-back processes
        // read as several, not one long one.
        bar.rect->setPen(selected ? QPen(m_palette.text, 2) : QPen(m_palette.background, 1));
    }
}

const ProcessRecord* ProcessTimelineChart::processAt(double seconds, int lane) const
{
    for (const Bar& bar : m_bars) {
        const ProcessRecord& process = recordOf(bar);
        if (bar.lane == lane && seconds >= process.startSeconds && seconds <= endOf(bar))
            return &process;
    }
    return nullptr;
}

std::vector<const ProcessRecord*> ProcessTimelineChart::aliveAt(double seconds) const
{
    std::vector<const ProcessRecord*> alive;
    for (const ProcessRecord& process : m_processes) {
        if (seconds >= process.startSeconds && seconds <= process.endSeconds)
            alive.push_back(&process);
    }
    std::sort(alive.begin(), alive.end(),
        [](const ProcessRecord* a, const ProcessRecord* b) { return a->peakRssBytes > b->peakRssBytes; });
    for (const ProcessRecord& process : m_running) {
        if (seconds >= process.startSeconds && seconds <= std::max(m_now, process.startSeconds))
            alive.push_back(&process);
    }
    return alive;
}

void ProcessTimelineChart::showTooltip(QMouseEvent* event)
{
    const double seconds = xAxis->pixelToCoord(event->position().x());
    const int lane = static_cast<int>(std::lround(yAxis->pixelToCoord(event->position().y())));
    const ProcessRecord* process = processAt(seconds, lane);
    if (!process) {
        QToolTip::hideText();
        return;
    }
    if (isRunning(process)) {
        QToolTip::showText(event->globalPosition().toPoint(),
            tr("%1\nrunning for %2 · pid %3 (step %4)\nits exact peak is read when it ends")
                .arg(QString::fromStdString(process->key), durationText(std::max(0.0, m_now - process->startSeconds)))
                .arg(process->pid)
                .arg(QString::fromStdString(process->step)),
            this);
        return;
    }
    QToolTip::showText(event->globalPosition().toPoint(),
        tr("%1\npeak %2%3 · %4 · pid %5 (step %6)")
            .arg(QString::fromStdString(process->key), bytesText(static_cast<double>(process->peakRssBytes)),
                process->peakExact ? QString() : tr(" (last read, not exact)"), durationText(process->wallSeconds()))
            .arg(process->pid)
            .arg(QString::fromStdString(process->step)),
        this);
}

} // namespace buildscope
