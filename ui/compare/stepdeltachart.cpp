#include "compare/stepdeltachart.h"

#include "charts/chartstyle.h"
#include "charts/countaxisticker.h"
#include "theme/colormath.h"

#include <QEvent>
#include <QFontMetrics>
#include <algorithm>
#include <cmath>

namespace buildscope {

namespace {
constexpr double kBarWidth = 0.34; // of a row; two bars and a gap
constexpr double kBarOffset = 0.19;
constexpr int kNameWidthPixels = 180;
constexpr double kMaxRowPixels = 56; // a few steps hang from the top instead of becoming slabs
constexpr Verdict kVerdicts[] = {Verdict::Regression, Verdict::Improvement, Verdict::Unknown, Verdict::NoChange};

// Steps only: a build's commands (process/...) can be hundreds; the table lists them.
bool isStep(const std::string& subject)
{
    return subject != "run" && !subject.starts_with("operation/") && !subject.starts_with("pool/")
        && !subject.starts_with("process/");
}

QString metricLabel(const QString& metric)
{
    return metric == QLatin1String(StepDeltaChart::kPeakMetric) ? StepDeltaChart::tr("peak RSS")
                                                                : StepDeltaChart::tr("wall");
}

QString percent(double value)
{
    if (std::isnan(value))
        return QStringLiteral("n/a");
    return QStringLiteral("%1%2 %").arg(value >= 0 ? QStringLiteral("+") : QString()).arg(value, 0, 'f', 1);
}
} // namespace

StepDeltaChart::StepDeltaChart(QWidget* parent)
    : QCustomPlot(parent)
    , m_names(QSharedPointer<QCPAxisTickerText>::create())
{
    m_title = addChartHeader(*this, tr("Change per step, candidate vs base"));
    yAxis->setTicker(m_names);
    yAxis->grid()->setVisible(false);
    yAxis->setTickLength(0, 0);
    yAxis->setSubTicks(false);
    xAxis->setTicker(QSharedPointer<CountAxisTicker>::create(QStringLiteral(" %")));
    for (QCPAxis* axis : {xAxis, yAxis})
        styleAxisTicks(*axis);
    yAxis->setTickLength(0, 0);
    for (const char* metric : {kPeakMetric, kWallMetric}) {
        for (const Verdict verdict : kVerdicts) {
            Series series {QString::fromLatin1(metric), verdict};
            series.bars = new QCPBars(yAxis, xAxis);
            series.bars->setWidth(kBarWidth);
            series.bars->setWidthType(QCPBars::wtPlotCoords);
            series.bars->setPen(Qt::NoPen);
            series.bars->setSelectable(QCP::stNone);
            series.bars->removeFromLegend();
            series.bars->setName(verdict == Verdict::Regression ? tr("regression")
                    : verdict == Verdict::Improvement           ? tr("improvement")
                    : verdict == Verdict::Unknown               ? tr("too few runs to tell")
                                                                : tr("no significant change"));
            m_series.push_back(series);
        }
    }
    m_empty = new QCPItemText(this);
    m_empty->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_empty->position->setCoords(0.5, 0.5);
    m_empty->setText(tr("No steps to compare"));
    // The row height follows the plot's height, known for sure only when laying out.
    connect(this, &QCustomPlot::beforeReplot, this, &StepDeltaChart::fitRows);
    restyle();
    rebuild();
}

StepDeltaChart::~StepDeltaChart() = default;

void StepDeltaChart::fitRows()
{
    const double rows = static_cast<double>(std::max<qsizetype>(1, m_steps.size()));
    const double upper = rows + 0.55;
    const double fitting = std::max(1, axisRect()->height()) / kMaxRowPixels;
    const QCPRange wanted(upper - std::max(rows + 0.1, fitting), upper);
    if (yAxis->range().lower != wanted.lower || yAxis->range().upper != wanted.upper)
        yAxis->setRange(wanted);
}

void StepDeltaChart::setComparison(const Comparison& comparison)
{
    m_bars.clear();
    m_steps.clear();
    for (const ComparisonRow& row : comparison.rows) {
        if (!isStep(row.subject) || (row.metric != kPeakMetric && row.metric != kWallMetric))
            continue;
        const QString step = QString::fromStdString(row.subject);
        if (!m_steps.contains(step))
            m_steps << step;
        m_bars.push_back({step, QString::fromStdString(row.metric), row.deltaPercent, row.verdict});
    }
    // Peak above wall within a step, whatever order the rows came in.
    std::stable_sort(m_bars.begin(), m_bars.end(), [this](const Bar& a, const Bar& b) {
        const auto stepA = m_steps.indexOf(a.step);
        const auto stepB = m_steps.indexOf(b.step);
        if (stepA != stepB)
            return stepA < stepB;
        return a.metric == QLatin1String(kPeakMetric) && b.metric != QLatin1String(kPeakMetric);
    });
    rebuild();
}

QCPBars* StepDeltaChart::bars(const QString& metric, Verdict verdict) const
{
    for (const Series& series : m_series) {
        if (series.metric == metric && series.verdict == verdict)
            return series.bars;
    }
    return nullptr;
}

QStringList StepDeltaChart::rowNames() const
{
    return m_steps;
}

QStringList StepDeltaChart::figures() const
{
    QStringList texts;
    for (const QCPItemText* figure : m_figures)
        texts << figure->text();
    return texts;
}

void StepDeltaChart::rebuild()
{
    const auto rows = static_cast<int>(m_steps.size());
    auto keyOf = [&](const Bar& bar) {
        const double row = rows - static_cast<int>(m_steps.indexOf(bar.step)); // first step on top
        return row + (bar.metric == QLatin1String(kPeakMetric) ? kBarOffset : -kBarOffset);
    };
    for (Series& series : m_series) {
        QVector<double> keys;
        QVector<double> values;
        for (const Bar& bar : m_bars) {
            if (bar.metric != series.metric || bar.verdict != series.verdict || std::isnan(bar.deltaPercent))
                continue;
            keys << keyOf(bar);
            values << bar.deltaPercent;
        }
        series.bars->setData(keys, values); // sorts by key
    }

    // One legend entry per verdict shown, from the peak bars (solid: the true hue).
    legend->clearItems();
    for (const Verdict verdict : kVerdicts) {
        const bool shown = std::any_of(m_bars.begin(), m_bars.end(),
            [verdict](const Bar& bar) { return bar.verdict == verdict && !std::isnan(bar.deltaPercent); });
        if (shown)
            bars(QString::fromLatin1(kPeakMetric), verdict)->addToLegend();
    }

    const QFontMetrics metrics(yAxis->tickLabelFont());
    m_names->clear();
    for (int i = 0; i < rows; ++i)
        m_names->addTick(rows - i, metrics.elidedText(m_steps[i], Qt::ElideMiddle, kNameWidthPixels));

    while (m_figures.size() > m_bars.size()) {
        removeItem(m_figures.back());
        m_figures.pop_back();
    }
    while (m_figures.size() < m_bars.size()) {
        auto* figure = new QCPItemText(this);
        figure->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
        figure->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        figure->setClipToAxisRect(false);
        figure->setPadding(QMargins(10, 0, 0, 0));
        figure->setSelectable(false);
        m_figures.push_back(figure);
    }
    int widest = 0;
    for (std::size_t i = 0; i < m_bars.size(); ++i) {
        const Bar& bar = m_bars[i];
        QString text = metricLabel(bar.metric) + QLatin1Char(' ') + percent(bar.deltaPercent);
        if (bar.verdict == Verdict::NoChange && !std::isnan(bar.deltaPercent))
            text += QStringLiteral(" ~");
        m_figures[i]->setText(text);
        m_figures[i]->position->setCoords(1, keyOf(bar));
        m_figures[i]->setColor(textColor(bar.verdict));
        widest = std::max(widest, metrics.horizontalAdvance(text));
    }
    axisRect()->setAutoMargins(QCP::msLeft | QCP::msTop | QCP::msBottom);
    axisRect()->setMargins(QMargins(0, 0, widest + 18, 0));

    m_empty->setVisible(m_steps.isEmpty());
    fitRows();
    // From the largest improvement to the largest regression, with 0 always in view and at
    // least ±10 %, so a few percent never fill the width and look dramatic.
    double low = 0;
    double high = 0;
    for (const Bar& bar : m_bars) {
        if (!std::isnan(bar.deltaPercent)) {
            low = std::min(low, bar.deltaPercent);
            high = std::max(high, bar.deltaPercent);
        }
    }
    xAxis->setRange(std::min(-10.0, low * 1.08), std::max(10.0, high * 1.08));
    replot(QCustomPlot::rpQueuedReplot);
}

QColor StepDeltaChart::fill(const QString& metric, Verdict verdict) const
{
    QColor color;
    switch (verdict) {
    case Verdict::Regression:
        color = m_palette.status(StepStatus::Failed);
        break;
    case Verdict::Improvement:
        color = m_palette.status(StepStatus::Succeeded);
        break;
    case Verdict::Unknown:
        color = m_palette.series(ChartPalette::Orange);
        break;
    case Verdict::NoChange:
        color = blendColors(m_palette.background, m_palette.text, 0.32);
        break;
    }
    // The wall bar: the same hue, lighter, so the pair reads as one step's two figures.
    return metric == QLatin1String(kPeakMetric) ? color : blendColors(color, m_palette.background, 0.45);
}

QColor StepDeltaChart::textColor(Verdict verdict) const
{
    switch (verdict) {
    case Verdict::Regression:
        return m_palette.series(ChartPalette::Vermillion);
    case Verdict::Improvement:
        return m_palette.series(ChartPalette::BluishGreen);
    case Verdict::Unknown:
        return m_palette.series(ChartPalette::Orange);
    case Verdict::NoChange:
        break;
    }
    return blendColors(m_palette.background, m_palette.text, 0.7);
}

void StepDeltaChart::restyle()
{
    m_palette = ChartPalette::fromPalette(palette());
    applyPaletteToPlot(*this, m_title, m_palette);
    yAxis->setBasePen(Qt::NoPen);
    yAxis->setTickPen(Qt::NoPen); // a zero-length tick still draws a dot beside each name
    xAxis->grid()->setZeroLinePen(QPen(m_palette.axis, 1)); // the line the bars grow from
    for (const Series& series : m_series)
        series.bars->setBrush(fill(series.metric, series.verdict));
    for (std::size_t i = 0; i < m_figures.size() && i < m_bars.size(); ++i)
        m_figures[i]->setColor(textColor(m_bars[i].verdict));
    m_empty->setColor(blendColors(m_palette.background, m_palette.text, 0.6));
    replot(QCustomPlot::rpQueuedReplot);
}

void StepDeltaChart::changeEvent(QEvent* event)
{
    QCustomPlot::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        restyle();
}

} // namespace buildscope
