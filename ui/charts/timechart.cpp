#include "charts/timechart.h"

#include "charts/chartstyle.h"
#include "charts/elapsedtimeaxisticker.h"
#include "charts/graphlookup.h"
#include "theme/colormath.h"

#include <QFontMetrics>
#include <algorithm>
#include <cmath>

namespace buildscope {

namespace {
const QString kStepsLayer = QStringLiteral("steps");
const QString kStepLabelsLayer = QStringLiteral("stepLabels");
const QString kOverlayLayer = QStringLiteral("overlay");
const QString kReferenceLayer = QStringLiteral("reference");
constexpr double kHeadroom = 1.15; // above the maximum, so a growing series does not rescale every tick
constexpr int kLabelMinimumPixels = 28; // narrower spans get no name
} // namespace

TimeChart::TimeChart(const QString& title, QWidget* parent)
    : QCustomPlot(parent)
{
    // Step spans are drawn under the grid and the data; the crosshair lives on a buffered
    // overlay so following the mouse repaints that layer only, not the whole plot.
    addLayer(kStepsLayer, layer(QStringLiteral("grid")), QCustomPlot::limBelow);
    addLayer(kStepLabelsLayer, layer(QStringLiteral("grid")), QCustomPlot::limAbove); // names not crossed by grid lines
    layer(kOverlayLayer)->setMode(QCPLayer::lmBuffered);
    // A reference line is context: the run's own traces are drawn over it.
    addLayer(kReferenceLayer, layer(QStringLiteral("main")), QCustomPlot::limBelow);

    // The legend goes in the header, outside the data area, so it never hides the newest
    // samples (which arrive at the right edge).
    m_title = addChartHeader(*this, title);

    xAxis->setTicker(QSharedPointer<ElapsedTimeAxisTicker>::create());
    xAxis->setRange(0, 10);
    yAxis->setRange(0, 1);
    for (QCPAxis* axis : {xAxis, yAxis, yAxis2})
        styleAxisTicks(*axis);
    xAxis->setPadding(2);

    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    axisRect()->setRangeDrag(Qt::Horizontal);
    axisRect()->setRangeZoom(Qt::Horizontal);
    setNoAntialiasingOnDrag(true);

    m_crosshairLine = new QCPItemStraightLine(this);
    m_crosshairLine->setLayer(kOverlayLayer);
    m_crosshairLine->point1->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_crosshairLine->point2->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_crosshairLine->point1->setCoords(0, 0);
    m_crosshairLine->point2->setCoords(0, 1);
    m_crosshairLine->setSelectable(false);
    m_crosshairLine->setVisible(false);
    m_crosshairLabel = new QCPItemText(this);
    m_crosshairLabel->setObjectName(QStringLiteral("crosshairLabel"));
    m_crosshairLabel->setLayer(kOverlayLayer);
    m_crosshairLabel->position->setType(QCPItemPosition::ptAbsolute);
    m_crosshairLabel->setClipToAxisRect(false);
    m_crosshairLabel->setTextAlignment(Qt::AlignLeft);
    m_crosshairLabel->setPadding(QMargins(7, 5, 7, 5));
    m_crosshairLabel->setSelectable(false);
    m_crosshairLabel->setVisible(false);

    connect(this, &QCustomPlot::beforeReplot, this, &TimeChart::fitStepLabels);
    connect(this, &QCustomPlot::beforeReplot, this, &TimeChart::fitValueTicks);
    connect(this, &QCustomPlot::beforeReplot, this, &TimeChart::fitMarkers);
}

TimeChart::~TimeChart() = default;

void TimeChart::setTitle(const QString& title)
{
    setChartTitle(*m_title, title);
}

ChartTrace& TimeChart::addTrace(
    const QString& name, ChartTrace::Kind kind, std::size_t hue, QCPAxis* valueAxis, ChartTrace::Formatter format)
{
    QCPGraph* graph = addGraph(xAxis, valueAxis);
    graph->setName(name);
    graph->setLineStyle(QCPGraph::lsLine);
    graph->setAdaptiveSampling(true);
    graph->setSelectable(QCP::stNone);
    graph->setPen(seriesPen(hue));
    graph->removeFromLegend(); // until it has a value (updateLegend)
    scaleFor(valueAxis);
    m_traces.push_back(std::make_unique<ChartTrace>(graph, kind, hue, std::move(format)));
    return *m_traces.back();
}

void TimeChart::removeTracesFrom(std::size_t index)
{
    while (m_traces.size() > index) {
        removeGraph(m_traces.back()->graph());
        m_traces.pop_back();
    }
}

QPen TimeChart::seriesPen(std::size_t hue) const
{
    // Width 1 keeps QCustomPlot on its fast line path; dashes tell apart a second round of
    // hues when there are more lines than hues (many pools).
    QPen pen(m_palette.series(hue), 1);
    if (hue >= ChartPalette::HueCount)
        pen.setStyle(Qt::DashLine);
    return pen;
}

QPen TimeChart::referencePen() const
{
    // Lighter than the trace it is compared with (40 % of the way to the background) and
    // dashed, so it reads as "the other run" in grayscale prints too.
    QPen pen(blendColors(m_palette.series(m_referenceHue), m_palette.background, 0.4), 1);
    pen.setDashPattern({5, 3});
    return pen;
}

void TimeChart::setReference(const QString& name, std::size_t hue, QCPAxis* valueAxis, QVector<QCPGraphData> points,
    ChartTrace::Formatter format)
{
    if (!m_reference) {
        m_reference = addGraph(xAxis, valueAxis);
        m_reference->setLayer(kReferenceLayer);
        m_reference->setLineStyle(QCPGraph::lsLine);
        m_reference->setAdaptiveSampling(true);
        m_reference->setSelectable(QCP::stNone);
        m_reference->removeFromLegend();
    } else if (m_reference->valueAxis() != valueAxis) {
        m_reference->setValueAxis(valueAxis);
    }
    scaleFor(valueAxis);
    m_reference->setName(name);
    m_referenceHue = hue;
    m_referenceFormat = std::move(format);
    m_referenceMin = m_referenceMax = std::numeric_limits<double>::quiet_NaN();
    for (const QCPGraphData& point : points) {
        if (std::isnan(point.value))
            continue;
        m_referenceMin = std::isnan(m_referenceMin) ? point.value : std::min(m_referenceMin, point.value);
        m_referenceMax = std::isnan(m_referenceMax) ? point.value : std::max(m_referenceMax, point.value);
    }
    m_reference->data()->set(points, true);
    m_reference->setPen(referencePen());
    m_reference->setVisible(hasReference());
    updateLegend();
}

void TimeChart::clearReference()
{
    if (!m_reference)
        return;
    m_reference->data()->clear();
    m_referenceMin = m_referenceMax = std::numeric_limits<double>::quiet_NaN();
    m_reference->setVisible(false);
    updateLegend();
}

TimeChart::AxisScale& TimeChart::scaleFor(QCPAxis* axis)
{
    for (AxisScale& scale : m_scales) {
        if (scale.axis == axis)
            return scale;
    }
    m_scales.push_back({axis, false, 1});
    return m_scales.back();
}

void TimeChart::setFixedValueRange(QCPAxis* axis, const QCPRange& range)
{
    scaleFor(axis).fixed = true;
    axis->setRange(range);
}

void TimeChart::setDefaultValueUpper(QCPAxis* axis, double upper)
{
    AxisScale& scale = scaleFor(axis);
    scale.defaultUpper = upper;
    if (!scale.fixed)
        axis->setRange(0, upper);
}

void TimeChart::resetValueRanges()
{
    for (const AxisScale& scale : m_scales) {
        if (!scale.fixed)
            scale.axis->setRange(0, scale.defaultUpper);
    }
}

bool TimeChart::updateValueRanges()
{
    bool changed = false;
    for (const AxisScale& scale : m_scales) {
        if (scale.fixed)
            continue;
        double high = std::numeric_limits<double>::quiet_NaN();
        double low = std::numeric_limits<double>::quiet_NaN();
        for (const auto& trace : m_traces) {
            if (trace->graph()->valueAxis() != scale.axis || !trace->counts())
                continue;
            high = std::isnan(high) ? trace->maximum() : std::max(high, trace->maximum());
            low = std::isnan(low) ? trace->minimum() : std::min(low, trace->minimum());
        }
        if (hasReference() && m_reference->valueAxis() == scale.axis) {
            high = std::isnan(high) ? m_referenceMax : std::max(high, m_referenceMax);
            low = std::isnan(low) ? m_referenceMin : std::min(low, m_referenceMin);
        }
        if (std::isnan(high))
            continue;
        const QCPRange current = scale.axis->range();
        // Grow with headroom when the data reaches the top; shrink only when most of the
        // axis is empty (a cleared run), so the scale stays put while watching.
        double upper = current.upper;
        if (high > current.upper || high * kHeadroom < current.upper * 0.4)
            upper = std::max(high * kHeadroom, scale.defaultUpper);
        const double lower = low < 0 ? low * kHeadroom : 0.0;
        if (upper != current.upper || lower != current.lower) {
            scale.axis->setRange(lower, upper);
            changed = true;
        }
    }
    return changed;
}

void TimeChart::updateLegend()
{
    bool matches = true;
    int shown = 0;
    for (const auto& trace : m_traces) {
        const bool wanted = trace->counts();
        if (wanted != legend->hasItemWithPlottable(trace->graph()))
            matches = false;
        shown += wanted ? 1 : 0;
    }
    if (m_reference) {
        if (hasReference() != legend->hasItemWithPlottable(m_reference))
            matches = false;
        shown += hasReference() ? 1 : 0;
    }
    if (matches && shown == legend->itemCount())
        return;
    // Rebuilt in trace order (rarely: when a series first has a value), so entries never reorder.
    legend->clearItems();
    for (const auto& trace : m_traces) {
        if (trace->counts())
            trace->graph()->addToLegend();
    }
    if (hasReference())
        m_reference->addToLegend();
}

void TimeChart::styleBand(QCPItemRect* band, std::size_t index, StepStatus status) const
{
    const bool problem = status == StepStatus::Failed || status == StepStatus::TimedOut;
    if (problem)
        band->setBrush(m_palette.failedBand);
    else if (status == StepStatus::Running)
        band->setBrush(m_palette.runningBand);
    else
        band->setBrush(m_palette.bands[index % 2]);
    band->setPen(Qt::NoPen);
}

void TimeChart::setStepSpans(const std::vector<StepSpan>& spans, bool labelled)
{
    // Items are reused while the steps stay the same (setSteps runs every tick while a step grows).
    bool sameNames = spans.size() == m_spans.size() && labelled == m_labelled && m_bands.size() == spans.size();
    for (std::size_t i = 0; sameNames && i < spans.size(); ++i)
        sameNames = spans[i].name == m_spans[i].name;
    if (!sameNames) {
        for (QCPItemRect* band : m_bands)
            removeItem(band);
        for (QCPItemText* label : m_labels)
            removeItem(label);
        m_bands.clear();
        m_labels.clear();
        QFont labelFont = font();
        labelFont.setPointSizeF(labelFont.pointSizeF() * 0.9);
        for (std::size_t i = 0; i < spans.size(); ++i) {
            auto* band = new QCPItemRect(this);
            band->setLayer(kStepsLayer);
            band->setSelectable(false);
            band->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
            band->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
            m_bands.push_back(band);
            if (!labelled)
                continue;
            auto* label = new QCPItemText(this);
            label->setObjectName(QStringLiteral("stepLabel"));
            label->setLayer(kStepLabelsLayer);
            label->setSelectable(false);
            label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
            label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
            label->setPadding(QMargins(4, 3, 4, 2));
            label->setFont(labelFont);
            label->setText(spans[i].name);
            m_labels.push_back(label);
        }
    }
    m_spans = spans;
    m_labelled = labelled;
    for (std::size_t i = 0; i < spans.size(); ++i) {
        m_bands[i]->topLeft->setCoords(spans[i].start, 0);
        m_bands[i]->bottomRight->setCoords(std::max(spans[i].start, spans[i].end), 1);
        styleBand(m_bands[i], i, spans[i].status);
        if (i < m_labels.size()) {
            m_labels[i]->position->setCoords(spans[i].start, 0);
            m_labels[i]->setColor(blendColors(m_palette.background, m_palette.text, 0.7));
        }
    }
}

void TimeChart::fitMarkers()
{
    // Pools are busy in bursts (a checksum, a tar): a burst shorter than one sample
    // interval is a single point, which a line alone would not draw. Markers help only
    // where points are sparse; on dense data they cost far more than the line.
    const double pixels = std::max(1, axisRect()->width());
    for (int i = 0; i < graphCount(); ++i) {
        QCPGraph* g = graph(i);
        if (!g->property("markSparsePoints").toBool())
            continue;
        const auto points = g->data();
        const auto begin = points->findBegin(xAxis->range().lower);
        const auto end = points->findEnd(xAxis->range().upper);
        const bool sparse = static_cast<double>(end - begin) < pixels / 6.0;
        const auto wanted = sparse ? QCPScatterStyle::ssDisc : QCPScatterStyle::ssNone;
        if (g->scatterStyle().shape() != wanted)
            g->setScatterStyle(QCPScatterStyle(wanted, 4));
    }
}

void TimeChart::fitValueTicks()
{
    // About one tick label per 32 px of height: a short chart keeps readable labels
    // instead of stacking six on top of each other.
    const int ticks = std::clamp(axisRect()->height() / 32, 2, 6);
    for (QCPAxis* axis : {yAxis, yAxis2}) {
        if (axis->ticker()->tickCount() != ticks)
            axis->ticker()->setTickCount(ticks);
    }
}

void TimeChart::fitStepLabels()
{
    if (m_labels.empty())
        return;
    const QFontMetrics metrics(m_labels.front()->font());
    const QCPRange visible = xAxis->range();
    for (std::size_t i = 0; i < m_labels.size() && i < m_spans.size(); ++i) {
        QCPItemText* label = m_labels[i];
        // Pin the name to the left edge when the span starts off-screen, and elide it to
        // the span's width so neighbouring names never overlap.
        const double start = std::max(m_spans[i].start, visible.lower);
        const double end = std::min(std::max(m_spans[i].end, m_spans[i].start), visible.upper);
        const double pixels = xAxis->coordToPixel(end) - xAxis->coordToPixel(start);
        const int available = static_cast<int>(pixels) - 8;
        QString text;
        if (end > start && available >= kLabelMinimumPixels)
            text = metrics.elidedText(m_spans[i].name, Qt::ElideRight, available);
        label->setVisible(!text.isEmpty() && text != QStringLiteral("\u2026"));
        label->setText(text);
        label->position->setCoords(start, 0);
    }
}

void TimeChart::applyPalette(const ChartPalette& palette)
{
    m_palette = palette;
    applyPaletteToPlot(*this, m_title, palette);
    for (const auto& trace : m_traces)
        trace->graph()->setPen(seriesPen(trace->hue()));
    if (m_reference)
        m_reference->setPen(referencePen());
    for (std::size_t i = 0; i < m_bands.size() && i < m_spans.size(); ++i)
        styleBand(m_bands[i], i, m_spans[i].status);
    for (QCPItemText* label : m_labels)
        label->setColor(blendColors(palette.background, palette.text, 0.7));
    m_crosshairLine->setPen(QPen(palette.crosshair, 1, Qt::DashLine));
    m_crosshairLabel->setColor(palette.text);
    m_crosshairLabel->setBrush(palette.tooltipBackground);
    m_crosshairLabel->setPen(QPen(palette.tooltipBorder, 1));
}

QString TimeChart::crosshairText(double seconds) const
{
    const QCPRange visible = xAxis->range();
    const int width = std::max(1, axisRect()->width());
    // Nearest point within 8 px, but at least a second: raw samples are 50 ms apart and a
    // zoomed-in cursor between two of them should still read a value.
    const double tolerance = std::max(1.0, 8.0 * visible.size() / width);
    QStringList lines;
    lines << ElapsedTimeAxisTicker::formatClock(seconds, visible.size() < 120 ? 1 : 0, visible.upper >= 3600);
    for (const auto& trace : m_traces) {
        if (!trace->counts())
            continue;
        const double value = graphValueAt(*trace->graph()->data(), seconds, tolerance);
        lines << trace->graph()->name() + QStringLiteral(": ") + trace->format(value);
    }
    if (hasReference()) {
        const double value = graphValueAt(*m_reference->data(), seconds, tolerance);
        const QString text = m_referenceFormat ? m_referenceFormat(value) : QString::number(value);
        lines << m_reference->name() + QStringLiteral(": ") + text;
    }
    return lines.join(QLatin1Char('\n'));
}

void TimeChart::showCrosshair(double seconds)
{
    m_crosshairLine->point1->setCoords(seconds, 0);
    m_crosshairLine->point2->setCoords(seconds, 1);
    m_crosshairLine->setVisible(true);
    if (!m_crosshairLabelShown) {
        layer(kOverlayLayer)->replot();
        return;
    }
    const QString text = crosshairText(seconds);
    m_crosshairLabel->setText(text);
    const QFontMetrics metrics(m_crosshairLabel->font());
    const int labelWidth = metrics.boundingRect(QRect(), Qt::AlignLeft, text).width() + 14;
    const QRect area = axisRect()->rect();
    const double x = xAxis->coordToPixel(seconds);
    // Beside the line, on whichever side has room, so the label never covers the point read.
    if (x + 10 + labelWidth <= area.right()) {
        m_crosshairLabel->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        m_crosshairLabel->position->setPixelPosition(QPointF(x + 10, area.top() + 6));
    } else {
        m_crosshairLabel->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
        m_crosshairLabel->position->setPixelPosition(QPointF(x - 10, area.top() + 6));
    }
    m_crosshairLabel->setVisible(true);
    layer(kOverlayLayer)->replot();
}

void TimeChart::hideCrosshair()
{
    if (!m_crosshairLine->visible())
        return;
    m_crosshairLine->setVisible(false);
    m_crosshairLabel->setVisible(false);
    layer(kOverlayLayer)->replot();
}

int TimeChart::axisMargin(QCPAxis* axis) const
{
    if (!axis->tickLabels())
        return axis->offset() + 6;
    QVector<double> ticks;
    QVector<QString> labels;
    const QString format = axis->numberFormat();
    axis->ticker()->generate(axis->range(), locale(), format.isEmpty() ? QLatin1Char('g') : format.at(0),
        axis->numberPrecision(), ticks, nullptr, &labels);
    const QFontMetrics metrics(axis->tickLabelFont());
    int widest = 0;
    for (const QString& label : labels)
        widest = std::max(widest, metrics.horizontalAdvance(label));
    int margin = widest + axis->tickLabelPadding() + std::max(0, axis->tickLengthOut()) + axis->offset() + 6;
    if (!axis->label().isEmpty())
        margin += axis->labelPadding() + QFontMetrics(axis->labelFont()).height();
    return margin;
}

int TimeChart::requiredLeftMargin() const
{
    return axisMargin(yAxis);
}

int TimeChart::requiredRightMargin() const
{
    return yAxis2->visible() ? axisMargin(yAxis2) : 0;
}

void TimeChart::setSideMargins(int left, int right)
{
    axisRect()->setAutoMargins(QCP::msTop | QCP::msBottom);
    axisRect()->setMargins(QMargins(left, 0, right, 0));
}

void TimeChart::leaveEvent(QEvent* event)
{
    emit pointerLeft();
    QCustomPlot::leaveEvent(event);
}

} // namespace buildscope
