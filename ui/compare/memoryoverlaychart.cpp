#include "compare/memoryoverlaychart.h"

#include "charts/bytesaxisticker.h"
#include "charts/seriespoints.h"
#include "models/numberformat.h"
#include "report/reportreader.h"
#include "run/seriesid.h"
#include "theme/colormath.h"

#include <QEvent>
#include <algorithm>
#include <cmath>

namespace buildscope {

namespace {
constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kMinimumSpan = 10; // seconds, as the live charts

std::vector<StepSpan> spansOf(const std::vector<StepResult>& steps)
{
    std::vector<StepSpan> spans;
    for (const StepResult& step : steps) {
        if (!BaselineAlignment::started(step))
            continue;
        spans.push_back({QString::fromStdString(step.name), step.startSeconds,
            std::max(step.startSeconds, step.endSeconds), step.status});
    }
    return spans;
}

QString duration(const LoadedReport& report)
{
    return durationText(report.result.durationSeconds());
}
} // namespace

MemoryOverlayChart::MemoryOverlayChart(QWidget* parent)
    : TimeChart(tr("Tree RSS, median runs"), parent)
{
    yAxis->setTicker(QSharedPointer<BytesAxisTicker>::create());
    setDefaultValueUpper(yAxis, 64 * kMiB);
    ChartTrace& candidate = addTrace(tr("candidate"), ChartTrace::Kind::Value, ChartPalette::Blue, yAxis, bytesText);
    candidate.setSources(0); // fed directly, from column 0 of nothing: it only has to count as fed
    m_marksLegend = new QCPBars(xAxis, yAxis);
    m_marksLegend->setName(tr("baseline steps"));
    m_marksLegend->setSelectable(QCP::stNone);
    m_marksLegend->setPen(Qt::NoPen);
    m_marksLegend->removeFromLegend();
    connect(this, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
        const QPointF position = event->position();
        if (axisRect()->rect().contains(position.toPoint()))
            showCrosshair(xAxis->pixelToCoord(position.x()));
        else
            hideCrosshair();
    });
    connect(this, &TimeChart::pointerLeft, this, &TimeChart::hideCrosshair);
    connect(this, &QCustomPlot::mouseDoubleClick, this, &MemoryOverlayChart::fitToData);
    setWhatsThis(tr("Wheel: zoom time \u00b7 Drag: pan \u00b7 Double-click: show everything"));
    restyle();
    fitToData();
}

MemoryOverlayChart::~MemoryOverlayChart() = default;

QCPGraph* MemoryOverlayChart::candidateGraph() const
{
    return traces().front()->graph();
}

void MemoryOverlayChart::clearMarks()
{
    for (QCPItemRect* mark : m_marks)
        removeItem(mark);
    m_marks.clear();
}

void MemoryOverlayChart::clearRuns()
{
    setRuns(nullptr, nullptr);
}

void MemoryOverlayChart::setRuns(const LoadedReport* baseline, const LoadedReport* candidate)
{
    ChartTrace& trace = *traces().front();
    trace.reset();
    resetValueRanges();
    clearMarks();
    m_dataEnd = 0;
    std::vector<StepResult> candidateSteps;
    if (candidate) {
        const SeriesPoints points = SeriesPoints::fromTable(candidate->samples, seriesName(SeriesId::TreeRss));
        trace.append(points.times, points.values, {}, 0);
        trace.graph()->setName(tr("candidate (%1)").arg(duration(*candidate)));
        candidateSteps = candidate->result.steps;
        if (!points.empty())
            m_dataEnd = std::max(m_dataEnd, points.times.back());
    }
    setStepSpans(spansOf(candidateSteps), true);

    m_alignment = {};
    if (baseline) {
        m_alignment = BaselineAlignment(baseline->result.steps, candidateSteps);
        const SeriesPoints points = SeriesPoints::fromTable(baseline->samples, seriesName(SeriesId::TreeRss));
        QVector<QCPGraphData> aligned = m_alignment.align(points.times, points.values);
        if (!aligned.isEmpty())
            m_dataEnd = std::max(m_dataEnd, aligned.back().key);
        setReference(tr("baseline (%1), aligned by step").arg(duration(*baseline)), ChartPalette::Blue, yAxis,
            std::move(aligned), bytesText);
        for (const BaselineAlignment::Step& step : m_alignment.steps()) {
            auto* mark = new QCPItemRect(this);
            mark->setObjectName(QStringLiteral("baselineStepMark"));
            mark->setSelectable(false);
            mark->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
            mark->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
            // A lane just above the time axis, clear of the axis line.
            mark->topLeft->setCoords(step.alignedStart(), 0.962);
            mark->bottomRight->setCoords(step.alignedEnd(), 0.988);
            m_marks.push_back(mark);
            m_dataEnd = std::max(m_dataEnd, step.alignedEnd());
        }
    } else {
        clearReference();
    }
    updateLegend(); // rebuilt from the traces and the reference: the strip's entry goes after
    if (!m_marks.empty())
        m_marksLegend->addToLegend();
    updateValueRanges();
    restyle();
    fitToData();
}

void MemoryOverlayChart::fitToData()
{
    xAxis->setRange(0, std::max(kMinimumSpan, m_dataEnd * 1.02));
    replot(QCustomPlot::rpQueuedReplot);
}

void MemoryOverlayChart::restyle()
{
    m_palette = ChartPalette::fromPalette(palette());
    applyPalette(m_palette);
    for (std::size_t i = 0; i < m_marks.size(); ++i) {
        m_marks[i]->setPen(Qt::NoPen);
        m_marks[i]->setBrush(markColor(i));
    }
    m_marksLegend->setBrush(markColor(0));
    replot(QCustomPlot::rpQueuedReplot);
}

QColor MemoryOverlayChart::markColor(std::size_t index) const
{
    // The baseline line's colour, alternating with a lighter one so neighbouring steps stay
    // apart where they touch.
    const QColor line = blendColors(m_palette.series(ChartPalette::Blue), m_palette.background, 0.4);
    return index % 2 == 0 ? line : blendColors(line, m_palette.background, 0.45);
}

void MemoryOverlayChart::changeEvent(QEvent* event)
{
    TimeChart::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        restyle();
}

} // namespace buildscope
