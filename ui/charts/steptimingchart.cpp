#include "charts/steptimingchart.h"

#include "charts/chartstyle.h"
#include "charts/elapsedtimeaxisticker.h"
#include "run/units.h"

#include <QFontMetrics>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace buildscope {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kBarWidth = 0.62; // of a row
constexpr int kNameWidthPixels = 220; // longer step names are elided on the axis

// Legend order: the common case first, then problems, then steps without a bar.
constexpr StepStatus kStatuses[] = {StepStatus::Succeeded, StepStatus::Running, StepStatus::Failed,
    StepStatus::TimedOut, StepStatus::Cancelled, StepStatus::Skipped, StepStatus::NotRun};

bool hasWallTime(StepStatus status)
{
    return status == StepStatus::Succeeded || status == StepStatus::Failed || status == StepStatus::TimedOut
        || status == StepStatus::Cancelled || status == StepStatus::Running;
}

QString duration(double seconds)
{
    return QString::fromStdString(formatDuration(seconds));
}

QString runs(std::size_t count)
{
    return count == 1 ? StepTimingChart::tr("1 run") : StepTimingChart::tr("%1 runs").arg(count);
}
} // namespace

StepTimingChart::StepTimingChart(QWidget* parent)
    : QCustomPlot(parent)
    , m_names(QSharedPointer<QCPAxisTickerText>::create())
{
    m_title = addChartHeader(*this, tr("Step timings"));
    yAxis->setTicker(m_names);
    yAxis->grid()->setVisible(false); // rows are labelled; lines between them only add noise
    yAxis->setRangeReversed(false);
    xAxis->setTicker(QSharedPointer<ElapsedTimeAxisTicker>::create(ElapsedTimeAxisTicker::Style::Duration));
    for (QCPAxis* axis : {xAxis, yAxis})
        styleAxisTicks(*axis);
    yAxis->setTickLength(0, 0);
    yAxis->setSubTicks(false);
    xAxis->setRange(0, 1);
    yAxis->setRange(0, 1);

    for (const StepStatus status : kStatuses) {
        StatusSeries series {status};
        // Horizontal bars: rows along the y axis (key), wall time along x (value).
        series.bars = new QCPBars(yAxis, xAxis);
        // The engine's status names, as the step table and reports spell them.
        series.bars->setName(
            status == StepStatus::NotRun ? tr("not in this run") : QString::fromLatin1(stepStatusName(status)));
        series.bars->setWidth(kBarWidth);
        series.bars->setWidthType(QCPBars::wtPlotCoords);
        series.bars->setPen(Qt::NoPen);
        series.bars->setSelectable(QCP::stNone);
        series.bars->removeFromLegend();
        series.spread = new QCPErrorBars(yAxis, xAxis);
        series.spread->setDataPlottable(series.bars);
        series.spread->setErrorType(QCPErrorBars::etValueError);
        series.spread->setWhiskerWidth(kBarWidth * 14);
        series.spread->setSelectable(QCP::stNone);
        series.spread->removeFromLegend();
        m_series.push_back(series);
    }
    m_thisRun = addGraph(yAxis, xAxis);
    m_thisRun->setName(tr("this run"));
    m_thisRun->setLineStyle(QCPGraph::lsNone);
    m_thisRun->setSelectable(QCP::stNone);
    m_thisRun->removeFromLegend();

    m_empty = new QCPItemText(this);
    m_empty->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_empty->position->setCoords(0.5, 0.5);
    m_empty->setText(tr("No steps yet"));

    connect(this, &QCustomPlot::mouseMove, this, &StepTimingChart::showTooltip);
    applyPalette(ChartPalette::fromPalette(palette()));
    rebuild();
}

StepTimingChart::~StepTimingChart() = default;

QCPBars* StepTimingChart::bars(StepStatus status) const
{
    for (const StatusSeries& series : m_series) {
        if (series.status == status)
            return series.bars;
    }
    return nullptr;
}

QCPErrorBars* StepTimingChart::spread(StepStatus status) const
{
    for (const StatusSeries& series : m_series) {
        if (series.status == status)
            return series.spread;
    }
    return nullptr;
}

void StepTimingChart::setSteps(const std::vector<StepResult>& steps, double nowSeconds)
{
    m_steps = steps;
    m_now = nowSeconds;
    rebuild();
}

void StepTimingChart::setSpread(const std::map<std::string, std::vector<double>>& wallSecondsPerStep)
{
    m_spread = wallSecondsPerStep;
    rebuild();
}

void StepTimingChart::clearSteps()
{
    m_steps.clear();
    m_spread.clear();
    m_now = 0;
    rebuild();
}

QStringList StepTimingChart::rowNames() const
{
    QStringList names;
    for (const Row& row : m_rows)
        names << row.name;
    return names;
}

QStringList StepTimingChart::rowFigures() const
{
    QStringList figures;
    for (const QCPItemText* figure : m_figures)
        figures << figure->text();
    return figures;
}

void StepTimingChart::rebuild()
{
    m_rows.clear();
    std::set<std::string> seen;
    auto addSpread = [this](Row& row, const std::string& name) {
        const auto it = m_spread.find(name);
        if (it == m_spread.end() || it->second.empty())
            return;
        std::vector<double> walls = it->second;
        std::sort(walls.begin(), walls.end());
        const std::size_t n = walls.size();
        row.hasSpread = true;
        row.runs = n;
        row.min = walls.front();
        row.max = walls.back();
        row.median = n % 2 == 1 ? walls[n / 2] : (walls[n / 2 - 1] + walls[n / 2]) / 2;
    };
    for (const StepResult& step : m_steps) {
        Row row;
        row.name = QString::fromStdString(step.name);
        row.status = step.status;
        row.ran = hasWallTime(step.status);
        const double end = step.status == StepStatus::Running ? m_now : step.endSeconds;
        row.wall = row.ran ? std::max(0.0, end - step.startSeconds) : 0.0;
        addSpread(row, step.name);
        seen.insert(step.name);
        m_rows.push_back(row);
    }
    // Steps of earlier runs that this run does not have (a different spec), after the rest.
    for (const auto& [name, walls] : m_spread) {
        if (seen.count(name) > 0 || walls.empty())
            continue;
        Row row;
        row.name = QString::fromStdString(name);
        addSpread(row, name);
        m_rows.push_back(row);
    }

    const auto rows = static_cast<int>(m_rows.size());
    auto keyOf = [rows](std::size_t index) { return static_cast<double>(rows - static_cast<int>(index)); };
    const bool anySpread = std::any_of(m_rows.begin(), m_rows.end(), [](const Row& row) { return row.hasSpread; });

    double longest = 0;
    for (StatusSeries& series : m_series) {
        QVector<double> keys;
        QVector<double> values;
        QVector<double> below;
        QVector<double> above;
        for (std::size_t i = m_rows.size(); i-- > 0;) { // ascending keys
            const Row& row = m_rows[i];
            const bool drawn = row.hasSpread || row.ran || row.status == StepStatus::Skipped;
            if (row.status != series.status || !drawn)
                continue;
            const double value = row.hasSpread ? row.median : row.wall;
            keys << keyOf(i);
            values << value;
            below << (row.hasSpread ? row.median - row.min : kNaN);
            above << (row.hasSpread ? row.max - row.median : kNaN);
            longest = std::max({longest, value, row.hasSpread ? row.max : 0.0, row.wall});
        }
        series.bars->setData(keys, values, true);
        series.spread->setData(below, above);
        series.spread->setVisible(anySpread);
    }
    QVector<double> markerKeys;
    QVector<double> markerValues;
    for (std::size_t i = m_rows.size(); i-- > 0;) {
        if (m_rows[i].hasSpread && m_rows[i].ran) {
            markerKeys << keyOf(i);
            markerValues << m_rows[i].wall;
        }
    }
    m_thisRun->setData(markerKeys, markerValues, true);

    // Entries in status order, whatever order they were added in; rebuilt only when the
    // set changes (this runs every tick while a step is running).
    QList<QCPAbstractPlottable*> wanted;
    for (const StatusSeries& series : m_series) {
        if (!series.bars->data()->isEmpty())
            wanted << series.bars;
    }
    if (!markerKeys.isEmpty())
        wanted << m_thisRun;
    bool same = wanted.size() == legend->itemCount();
    for (int i = 0; same && i < wanted.size(); ++i) {
        auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i));
        same = item && item->plottable() == wanted[i];
    }
    if (!same) {
        legend->clearItems();
        for (QCPAbstractPlottable* plottable : wanted)
            plottable->addToLegend();
    }

    const QFontMetrics metrics(yAxis->tickLabelFont());
    m_names->clear();
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        m_names->addTick(keyOf(i), metrics.elidedText(m_rows[i].name, Qt::ElideMiddle, kNameWidthPixels));

    // The figures: a column right of the plot area, like a table, so they never collide
    // with a long bar.
    while (m_figures.size() > m_rows.size()) {
        removeItem(m_figures.back());
        m_figures.pop_back();
    }
    while (m_figures.size() < m_rows.size()) {
        auto* figure = new QCPItemText(this);
        figure->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
        figure->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        figure->setClipToAxisRect(false);
        figure->setPadding(QMargins(10, 0, 0, 0));
        figure->setSelectable(false);
        figure->setColor(m_palette.text);
        m_figures.push_back(figure);
    }
    int widest = 0;
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const Row& row = m_rows[i];
        QString text;
        if (row.hasSpread) {
            text = tr("%1 (%2 – %3, %4)")
                       .arg(duration(row.median), duration(row.min), duration(row.max), runs(row.runs));
        } else if (row.ran) {
            text = duration(row.wall);
            if (row.status != StepStatus::Succeeded)
                text += QStringLiteral(" \u00b7 ") + QString::fromLatin1(stepStatusName(row.status));
        } else {
            text = QString::fromLatin1(stepStatusName(row.status));
        }
        m_figures[i]->setText(text);
        m_figures[i]->position->setCoords(1, keyOf(i));
        widest = std::max(widest, metrics.horizontalAdvance(text));
    }
    axisRect()->setAutoMargins(QCP::msLeft | QCP::msTop | QCP::msBottom);
    axisRect()->setMargins(QMargins(0, 0, widest + 18, 0));

    m_title->setText(
        anySpread ? tr("Step timings \u00b7 bars: median of runs, whiskers: min \u2013 max") : tr("Step timings"));
    m_empty->setVisible(m_rows.empty());
    yAxis->setRange(0.45, std::max(1, rows) + 0.55);
    xAxis->setRange(0, longest > 0 ? longest * 1.04 : 1.0);
}

int StepTimingChart::rowAt(double key) const
{
    const auto rows = static_cast<int>(m_rows.size());
    const int index = rows - static_cast<int>(std::lround(key));
    if (index < 0 || index >= rows || std::abs(key - std::round(key)) > 0.5)
        return -1;
    return index;
}

void StepTimingChart::showTooltip(QMouseEvent* event)
{
    const int index = rowAt(yAxis->pixelToCoord(event->position().y()));
    if (index < 0 || !axisRect()->rect().adjusted(-400, 0, 400, 0).contains(event->position().toPoint())) {
        QToolTip::hideText();
        return;
    }
    const Row& row = m_rows[static_cast<std::size_t>(index)];
    QString text = row.name + QLatin1Char('\n') + QString::fromLatin1(stepStatusName(row.status));
    if (row.ran)
        text += QStringLiteral(", ") + duration(row.wall);
    if (row.hasSpread) {
        text += QLatin1Char('\n')
            + tr("%1: median %2, min %3, max %4")
                  .arg(runs(row.runs), duration(row.median), duration(row.min), duration(row.max));
    }
    QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void StepTimingChart::applyPalette(const ChartPalette& palette)
{
    m_palette = palette;
    applyPaletteToPlot(*this, m_title, palette);
    yAxis->setBasePen(Qt::NoPen);
    for (const StatusSeries& series : m_series) {
        series.bars->setBrush(palette.status(series.status));
        series.spread->setPen(QPen(palette.text, 1));
    }
    m_thisRun->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(palette.background, 1), QBrush(palette.text), 8));
    for (QCPItemText* figure : m_figures)
        figure->setColor(palette.text);
    m_empty->setColor(palette.axis);
}

} // namespace buildscope
