#include "charts/steptimingchart.h"

#include "charts/elapsedtimeaxisticker.h"
#include "models/numberformat.h"
#include "theme/colormath.h"

#include <QFontMetrics>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <set>

namespace buildscope {

namespace {
constexpr double kBarHalfHeight = 0.31; // of a row
constexpr int kLabelGap = 6; // pixels between a bar (or whisker) and its label

// Legend order: the common case first, then problems, then steps without a bar.
constexpr StepStatus kStatuses[] = {StepStatus::Succeeded, StepStatus::Running, StepStatus::Failed,
    StepStatus::TimedOut, StepStatus::Cancelled, StepStatus::Skipped, StepStatus::NotRun};

bool hasWallTime(StepStatus status)
{
    return status == StepStatus::Succeeded || status == StepStatus::Failed || status == StepStatus::TimedOut
        || status == StepStatus::Cancelled || status == StepStatus::Running;
}

QString runs(std::size_t count)
{
    return count == 1 ? StepTimingChart::tr("1 run") : StepTimingChart::tr("%1 runs").arg(count);
}
} // namespace

StepTimingChart::StepTimingChart(QWidget* parent)
    : TimeChart(tr("Step timings"), parent)
{
    // Rows are named beside their bars: the value axis carries no labels, so the plot area
    // starts where the memory chart's does.
    yAxis->setTickLabels(false);
    yAxis->setTicks(false);
    yAxis->grid()->setVisible(false);
    yAxis->setRangeReversed(false);
    setFixedValueRange(yAxis, QCPRange(0, 1));
    setCrosshairLabelShown(false); // the time is on the charts above; a row tells its own figures

    for (const StepStatus status : kStatuses) {
        auto* swatch = new QCPBars(xAxis, yAxis); // no data: only the status's legend entry
        swatch->setName(
            status == StepStatus::NotRun ? tr("not in this run") : QString::fromLatin1(stepStatusName(status)));
        swatch->setPen(Qt::NoPen);
        swatch->setSelectable(QCP::stNone);
        swatch->removeFromLegend();
        m_swatches.emplace_back(status, swatch);
    }
    m_medians = addGraph(xAxis, yAxis);
    m_medians->setName(tr("median of runs"));
    m_medians->setLineStyle(QCPGraph::lsNone);
    m_medians->setSelectable(QCP::stNone);
    m_medians->removeFromLegend();

    m_empty = new QCPItemText(this);
    m_empty->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_empty->position->setCoords(0.5, 0.5);
    m_empty->setText(tr("No steps yet"));

    connect(this, &QCustomPlot::beforeReplot, this, &StepTimingChart::fitLabels);
    connect(this, &QCustomPlot::mouseMove, this, &StepTimingChart::showTooltip);
    applyPalette(ChartPalette::fromPalette(palette()));
    rebuild();
}

StepTimingChart::~StepTimingChart() = default;

QCPBars* StepTimingChart::statusSwatch(StepStatus status) const
{
    for (const auto& [each, swatch] : m_swatches) {
        if (each == status)
            return swatch;
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
    for (const Row& row : m_rows)
        figures << row.label->text();
    return figures;
}

QCPItemRect* StepTimingChart::rowBar(int row) const
{
    return m_rows.at(static_cast<std::size_t>(row)).bar;
}

QCPItemLine* StepTimingChart::rowWhisker(int row) const
{
    return m_rows.at(static_cast<std::size_t>(row)).whisker;
}

QCPItemText* StepTimingChart::rowLabel(int row) const
{
    return m_rows.at(static_cast<std::size_t>(row)).label;
}

StepStatus StepTimingChart::rowStatus(int row) const
{
    return m_rows.at(static_cast<std::size_t>(row)).status;
}

double StepTimingChart::keyOf(std::size_t index) const
{
    return static_cast<double>(m_rows.size() - index); // the first step on top
}

void StepTimingChart::removeRowItems()
{
    for (Row& row : m_rows) {
        if (row.bar)
            removeItem(row.bar);
        if (row.whisker)
            removeItem(row.whisker);
        removeItem(row.label);
    }
}

void StepTimingChart::rebuild()
{
    // Runs every refresh tick while a step grows: rows keep their items while the steps stay
    // the same, so only coordinates and texts change.
    std::vector<Row> rows;
    std::set<std::string> seen;
    auto addSpread = [this](Row& row, const std::string& name) {
        const auto it = m_spread.find(name);
        if (it == m_spread.end() || it->second.size() < 2)
            return; // one run has no spread: its bar says it all
        std::vector<double> walls = it->second;
        std::sort(walls.begin(), walls.end());
        const std::size_t n = walls.size();
        row.hasSpread = true;
        row.runs = n;
        row.min = walls.front();
        row.max = walls.back();
        row.median = n % 2 == 1 ? walls[n / 2] : (walls[n / 2 - 1] + walls[n / 2]) / 2;
    };
    double reached = 0; // the end of the rows so far: where a step without a bar is labelled
    for (const StepResult& step : m_steps) {
        Row row;
        row.name = QString::fromStdString(step.name);
        row.status = step.status;
        row.ran = hasWallTime(step.status);
        if (row.ran) {
            row.start = step.startSeconds;
            row.end = std::max(row.start, step.status == StepStatus::Running ? m_now : step.endSeconds);
            reached = std::max(reached, row.end);
        }
        row.anchor = reached;
        addSpread(row, step.name);
        seen.insert(step.name);
        rows.push_back(row);
    }
    // Steps of earlier runs that this run does not have (a different spec), after the rest.
    for (const auto& [name, walls] : m_spread) {
        if (seen.count(name) > 0 || walls.size() < 2)
            continue;
        Row row;
        row.name = QString::fromStdString(name);
        row.inRun = false;
        row.anchor = reached;
        addSpread(row, name);
        rows.push_back(row);
    }

    bool sameShape = rows.size() == m_rows.size();
    for (std::size_t i = 0; sameShape && i < rows.size(); ++i)
        sameShape = rows[i].name == m_rows[i].name && rows[i].ran == (m_rows[i].bar != nullptr)
            && (rows[i].hasSpread && rows[i].ran) == (m_rows[i].whisker != nullptr);
    if (sameShape) {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            rows[i].bar = m_rows[i].bar;
            rows[i].whisker = m_rows[i].whisker;
            rows[i].label = m_rows[i].label;
        }
    } else {
        removeRowItems();
        for (Row& row : rows) {
            if (row.ran) {
                row.bar = new QCPItemRect(this);
                row.bar->setSelectable(false);
                row.bar->setPen(Qt::NoPen);
            }
            if (row.hasSpread && row.ran) { // a step yet to start has no place on the clock to hang it from
                row.whisker = new QCPItemLine(this);
                row.whisker->setSelectable(false);
                row.whisker->setHead(QCPLineEnding(QCPLineEnding::esBar, 7));
                row.whisker->setTail(QCPLineEnding(QCPLineEnding::esBar, 7));
            }
            row.label = new QCPItemText(this);
            row.label->setObjectName(QStringLiteral("stepTimingLabel"));
            row.label->setSelectable(false);
            row.label->setClipToAxisRect(true);
            row.label->position->setTypeX(QCPItemPosition::ptAbsolute);
            row.label->position->setTypeY(QCPItemPosition::ptPlotCoords);
            row.label->setPadding(QMargins(3, 1, 3, 1));
        }
    }
    m_rows = std::move(rows);

    QVector<double> medianKeys;
    QVector<double> medianValues;
    const bool anySpread
        = std::any_of(m_rows.begin(), m_rows.end(), [](const Row& row) { return row.whisker != nullptr; });
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        Row& row = m_rows[i];
        const double key = keyOf(i);
        if (row.bar) {
            row.bar->topLeft->setCoords(row.start, key + kBarHalfHeight);
            row.bar->bottomRight->setCoords(row.end, key - kBarHalfHeight);
        }
        // Whiskers and the median hang from where the step started in this run, on the
        // same time scale: where the bar's end lies among the earlier runs' ends.
        if (row.whisker) {
            row.whisker->start->setCoords(row.start + row.min, key);
            row.whisker->end->setCoords(row.start + row.max, key);
            medianKeys << row.start + row.median;
            medianValues << key;
        }
        QString text = row.name + QStringLiteral("  ");
        if (row.ran) {
            text += durationText(row.end - row.start);
            if (row.status != StepStatus::Succeeded)
                text += QStringLiteral(" \u00b7 ") + QString::fromLatin1(stepStatusName(row.status));
        } else {
            text += row.inRun ? QString::fromLatin1(stepStatusName(row.status)) : tr("not in this run");
        }
        if (row.hasSpread)
            text += tr(" \u00b7 median %1 (%2 \u2013 %3, %4)")
                        .arg(durationText(row.median), durationText(row.min), durationText(row.max), runs(row.runs));
        row.label->setText(text);
        row.label->position->setCoords(0, key);
    }
    m_medians->setData(medianKeys, medianValues); // sorts by time; drawn as markers only

    // Entries in status order; rebuilt only when the set changes (this runs every tick).
    QList<QCPAbstractPlottable*> wanted;
    for (const auto& [status, swatch] : m_swatches) {
        const bool present = std::any_of(m_rows.begin(), m_rows.end(), [status = status](const Row& row) {
            return row.status == status && (row.ran || row.status == StepStatus::Skipped);
        });
        if (present)
            wanted << swatch;
    }
    if (!medianKeys.isEmpty())
        wanted << m_medians;
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

    setTitle(anySpread ? tr("Step timings \u00b7 whiskers: fastest \u2013 slowest run") : tr("Step timings"));
    m_empty->setVisible(m_rows.empty());
    setFixedValueRange(yAxis, QCPRange(0.45, static_cast<double>(std::max<std::size_t>(1, m_rows.size())) + 0.55));
    styleRows();
}

void StepTimingChart::fitLabels()
{
    // Where the text fits, in this order: right of the bar (or its whisker), inside the bar
    // from its start, left of the bar, else over the plot's right end on a backing.
    const QRect area = axisRect()->rect();
    QColor backing = m_palette.background;
    backing.setAlpha(220);
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const Row& row = m_rows[i];
        QCPItemText* label = row.label;
        const QFontMetrics metrics(label->font());
        const double width = metrics.horizontalAdvance(label->text()) + 8;
        const double origin = row.ran ? row.start : row.anchor;
        double right = row.ran ? row.end : row.anchor;
        if (row.whisker)
            right = std::max(right, origin + row.max);
        const double after = xAxis->coordToPixel(right) + kLabelGap;
        const double start = std::max(xAxis->coordToPixel(origin), static_cast<double>(area.left()));
        const double barEnd
            = row.ran ? std::min(xAxis->coordToPixel(row.end), static_cast<double>(area.right())) : start;
        const double before = start - kLabelGap;
        Qt::Alignment side = Qt::AlignLeft;
        double x = after;
        bool inside = false;
        bool backed = false;
        if (after + width > area.right()) {
            if (barEnd - start >= width + kLabelGap) {
                x = start + kLabelGap / 2.0;
                inside = true;
            } else if (before - width >= area.left()) {
                side = Qt::AlignRight;
                x = before;
            } else {
                side = Qt::AlignRight;
                x = area.right() - 2.0;
                backed = true;
            }
        }
        label->setPositionAlignment(Qt::AlignVCenter | side);
        label->position->setCoords(x, keyOf(i));
        label->setColor(inside ? onBarText(row.status) : m_palette.text);
        label->setBrush(backed ? QBrush(backing) : QBrush(Qt::NoBrush));
    }
}

QColor StepTimingChart::onBarText(StepStatus status) const
{
    // Whichever of the plot's background and text reads better on the bar's fill.
    const QColor fill = m_palette.status(status);
    return contrastRatio(m_palette.background, fill) >= contrastRatio(m_palette.text, fill) ? m_palette.background
                                                                                            : m_palette.text;
}

void StepTimingChart::styleRows()
{
    for (Row& row : m_rows) {
        if (row.bar)
            row.bar->setBrush(m_palette.status(row.status));
        if (row.whisker)
            row.whisker->setPen(QPen(m_palette.text, 1));
        row.label->setColor(m_palette.text); // fitLabels() picks the colour of a label on a bar
    }
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
    if (index < 0 || !axisRect()->rect().contains(event->position().toPoint())) {
        QToolTip::hideText();
        return;
    }
    const Row& row = m_rows[static_cast<std::size_t>(index)];
    QString text = row.name + QLatin1Char('\n') + QString::fromLatin1(stepStatusName(row.status));
    if (row.ran)
        text += tr(", %1 (from %2 to %3)")
                    .arg(durationText(row.end - row.start), ElapsedTimeAxisTicker::formatClock(row.start, 1),
                        ElapsedTimeAxisTicker::formatClock(row.end, 1));
    if (row.hasSpread) {
        text += QLatin1Char('\n')
            + tr("%1: median %2, fastest %3, slowest %4")
                  .arg(runs(row.runs), durationText(row.median), durationText(row.min), durationText(row.max));
    }
    QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void StepTimingChart::applyPalette(const ChartPalette& palette)
{
    m_palette = palette;
    TimeChart::applyPalette(palette);
    yAxis->setBasePen(Qt::NoPen);
    for (const auto& [status, swatch] : m_swatches)
        swatch->setBrush(palette.status(status));
    m_medians->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(palette.background, 1), QBrush(palette.text), 8));
    m_empty->setColor(palette.axis);
    styleRows();
}

} // namespace buildscope
