#include "trends/trendchart.h"

#include "charts/bytesaxisticker.h"
#include "charts/chartstyle.h"
#include "compare/verdictcolors.h"
#include "history/runmetrics.h"
#include "models/numberformat.h"
#include "theme/colormath.h"

#include <QDateTime>
#include <QEvent>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace buildscope {

namespace {

constexpr int kPickPixels = 6; // how near a change's line a click must be
constexpr int kMaxTickLabels = 10;

double median(std::vector<double> values)
{
    if (values.empty())
        return std::nan("");
    const std::size_t middle = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle), values.end());
    const double upper = values[middle];
    if (values.size() % 2 == 1)
        return upper;
    return (upper + *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle))) / 2;
}

// "1a2b3c4", or "1a2b3c4 +edit 9f8e7d6c" for a modified work tree of that commit (its
// own point: MetricRun::commit), so the chart never shows an edit as its commit.
QString shortCommit(const std::string& commit, std::size_t digits = 7)
{
    QString text = QString::fromStdString(commit.substr(0, digits));
    if (const std::size_t dirty = commit.find(kDirtyCommitMark); dirty != std::string::npos)
        text += QStringLiteral(" +edit ")
            + QString::fromStdString(commit.substr(dirty + std::char_traits<char>::length(kDirtyCommitMark), 8));
    return text;
}

QString percentText(double relative)
{
    if (std::isnan(relative))
        return QStringLiteral("n/a");
    return QStringLiteral("%1%2 %").arg(relative >= 0 ? QStringLiteral("+") : QString()).arg(relative * 100, 0, 'f', 1);
}

QString pText(double p)
{
    return p < 0.001 ? QStringLiteral("p<0.001") : QStringLiteral("p=%1").arg(p, 0, 'f', 3);
}

} // namespace

ChangeSides changeSides(const TrendSeries& series, std::size_t change)
{
    ChangeSides sides;
    if (change >= series.changes.size())
        return sides;
    const ChangePoint& point = series.changes[change];
    const std::size_t first = point.index - std::min(point.index, point.segmentBefore);
    const std::size_t last = std::min(series.points.size(), point.index + point.segmentAfter);
    for (std::size_t i = first; i < point.index; ++i)
        sides.before.push_back(series.points[i].runId);
    for (std::size_t i = point.index; i < last; ++i)
        sides.after.push_back(series.points[i].runId);
    return sides;
}

TrendChart::TrendChart(QWidget* parent)
    : QCustomPlot(parent)
{
    m_title = addChartHeader(*this, tr("Trend"));
    styleAxisTicks(*xAxis);
    styleAxisTicks(*yAxis);
    xAxis->setLabel(tr("runs in commit order (oldest left)"));
    // Tick labels are commit hashes: without this "b0a0e20" is typeset as b0a0·10²⁰.
    xAxis->setNumberFormat(QStringLiteral("g"));
    m_points = addGraph();
    m_points->setLineStyle(QCPGraph::lsNone);
    m_points->setName(tr("one run"));
    m_empty = new QCPItemText(this);
    m_empty->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_empty->position->setCoords(0.5, 0.5);
    m_empty->setText(tr("Pick a spec, a key and a metric with successful runs in the history"));
    setMouseTracking(true);
    connect(this, &QCustomPlot::mouseMove, this, &TrendChart::showTooltip);
    connect(this, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        if (const int change = changeAt(event->position()); change >= 0)
            emit changeClicked(change);
    });
    m_palette = ChartPalette::fromPalette(palette());
    rebuild();
}

TrendChart::~TrendChart() = default;

void TrendChart::setSeries(const TrendSeries& series)
{
    m_series = series;
    m_highlighted = -1;
    rebuild();
}

void TrendChart::clearSeries()
{
    setSeries(TrendSeries {});
}

void TrendChart::setHighlightedChange(int change)
{
    m_highlighted = change;
    restyle();
    replot(QCustomPlot::rpQueuedReplot);
}

QString TrendChart::valueText(double value) const
{
    if (m_series.unit == "bytes")
        return bytesText(value);
    if (m_series.unit == "s")
        return durationText(value);
    return QString::number(value, 'g', 4) + (m_series.unit.empty() ? QString() : QLatin1Char(' ') + QString::fromStdString(m_series.unit));
}

void TrendChart::rebuild()
{
    for (QCPItemStraightLine* line : m_changeLines)
        removeItem(line);
    for (QCPItemText* label : m_changeLabels)
        removeItem(label);
    for (QCPItemLine* level : m_levels)
        removeItem(level);
    m_changeLines.clear();
    m_changeLabels.clear();
    m_levels.clear();
    m_levelValues.clear();

    const std::vector<TrendPoint>& points = m_series.points;
    setChartTitle(*m_title,
        points.empty() ? tr("Trend")
                       : tr("%1 · %2 · %3").arg(QString::fromStdString(m_series.spec),
                             QString::fromStdString(m_series.key), QString::fromStdString(m_series.metric)));
    QVector<double> keys;
    QVector<double> values;
    for (std::size_t i = 0; i < points.size(); ++i) {
        keys << static_cast<double>(i);
        values << points[i].value;
    }
    m_points->setData(keys, values, true);
    m_empty->setVisible(points.empty());

    // The x axis names commits, not run numbers: a label where a new commit starts, at
    // most kMaxTickLabels of them so they never overlap.
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    std::vector<std::size_t> commitStarts;
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (i == 0 || points[i].commit != points[i - 1].commit)
            commitStarts.push_back(i);
    }
    const std::size_t step = std::max<std::size_t>(1, (commitStarts.size() + kMaxTickLabels - 1) / kMaxTickLabels);
    for (std::size_t c = 0; c < commitStarts.size(); c += step) {
        const TrendPoint& point = points[commitStarts[c]];
        ticker->addTick(static_cast<double>(commitStarts[c]),
            point.commit.empty() ? QDateTime::fromSecsSinceEpoch(std::chrono::duration_cast<std::chrono::seconds>(
                                                                    point.startedAt.time_since_epoch())
                                                                    .count())
                                       .toString(QStringLiteral("MM-dd hh:mm"))
                                 : shortCommit(point.commit));
    }
    xAxis->setTicker(ticker);
    if (m_series.unit == "bytes")
        yAxis->setTicker(QSharedPointer<BytesAxisTicker>::create());
    else
        yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    yAxis->setLabel(QString::fromStdString(m_series.metric)
        + (m_series.unit.empty() ? QString() : QStringLiteral(" (%1)").arg(QString::fromStdString(m_series.unit))));

    // Segments: from one change to the next; each drawn at its median.
    std::vector<std::size_t> bounds {0};
    for (const ChangePoint& change : m_series.changes)
        bounds.push_back(change.index);
    bounds.push_back(points.size());
    for (std::size_t s = 0; s + 1 < bounds.size() && !points.empty(); ++s) {
        std::vector<double> segment;
        for (std::size_t i = bounds[s]; i < bounds[s + 1]; ++i)
            segment.push_back(points[i].value);
        const double level = median(segment);
        m_levelValues.push_back(level);
        auto* line = new QCPItemLine(this);
        line->setSelectable(false);
        line->start->setCoords(static_cast<double>(bounds[s]) - 0.4, level);
        line->end->setCoords(static_cast<double>(bounds[s + 1]) - 0.6, level);
        m_levels.push_back(line);
    }
    for (std::size_t c = 0; c < m_series.changes.size(); ++c) {
        const ChangePoint& change = m_series.changes[c];
        const double x = static_cast<double>(change.index) - 0.5;
        auto* line = new QCPItemStraightLine(this);
        line->setSelectable(false);
        line->point1->setCoords(x, 0);
        line->point2->setCoords(x, 1);
        m_changeLines.push_back(line);
        auto* label = new QCPItemText(this);
        label->setSelectable(false);
        label->setClipToAxisRect(false);
        label->position->setTypeX(QCPItemPosition::ptPlotCoords);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        // Alternate heights, so labels of nearby changes do not sit on each other.
        label->position->setCoords(x, c % 2 == 0 ? 0.02 : 0.10);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        label->setPadding(QMargins(4, 1, 4, 1));
        label->setText(changeLabel(static_cast<int>(c)));
        m_changeLabels.push_back(label);
    }

    if (points.empty()) {
        xAxis->setRange(0, 10);
        yAxis->setRange(0, 1);
    } else {
        xAxis->setRange(-0.5, static_cast<double>(points.size()) - 0.5);
        const auto [low, high] = std::minmax_element(values.begin(), values.end());
        const double span = std::max(*high - *low, std::abs(*high) * 0.05 + 1e-12);
        // Room above for the change labels.
        yAxis->setRange(std::max(0.0, *low - span * 0.15), *high + span * 0.45);
    }
    restyle();
    replot(QCustomPlot::rpQueuedReplot);
}

void TrendChart::restyle()
{
    applyPaletteToPlot(*this, m_title, m_palette);
    m_points->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, m_palette.series(ChartPalette::Blue), 5));
    m_empty->setColor(blendColors(m_palette.background, m_palette.text, 0.6));
    const QColor level = blendColors(m_palette.background, m_palette.text, 0.55);
    for (QCPItemLine* line : m_levels)
        line->setPen(QPen(level, 2));
    for (std::size_t c = 0; c < m_changeLines.size(); ++c) {
        const ChangePoint& change = m_series.changes[c];
        const Verdict direction = change.afterMedian > change.beforeMedian ? Verdict::Regression : Verdict::Improvement;
        const QColor color = VerdictColors::forVerdict(palette(), direction).text;
        const bool highlighted = static_cast<int>(c) == m_highlighted;
        m_changeLines[c]->setPen(QPen(color, highlighted ? 3 : 1.5, Qt::DashLine));
        m_changeLabels[c]->setColor(color);
        m_changeLabels[c]->setBrush(QBrush(m_palette.background));
        m_changeLabels[c]->setPen(highlighted ? QPen(color) : QPen(Qt::NoPen));
        QFont font = m_changeLabels[c]->font();
        font.setBold(highlighted);
        m_changeLabels[c]->setFont(font);
    }
}

int TrendChart::changeAt(const QPointF& pixel) const
{
    int nearest = -1;
    double best = kPickPixels + 1;
    for (std::size_t c = 0; c < m_series.changes.size(); ++c) {
        const double x = xAxis->coordToPixel(static_cast<double>(m_series.changes[c].index) - 0.5);
        double distance = std::abs(x - pixel.x());
        // The label counts too: it is what the eye goes to.
        if (m_changeLabels[c]->selectTest(pixel, false) >= 0 && m_changeLabels[c]->selectTest(pixel, false) < 1)
            distance = 0;
        if (distance <= kPickPixels && distance < best) {
            best = distance;
            nearest = static_cast<int>(c);
        }
    }
    return nearest;
}

int TrendChart::pointAt(const QPointF& pixel) const
{
    const std::vector<TrendPoint>& points = m_series.points;
    if (points.empty())
        return -1;
    const long index = std::lround(xAxis->pixelToCoord(pixel.x()));
    if (index < 0 || static_cast<std::size_t>(index) >= points.size())
        return -1;
    const double y = yAxis->coordToPixel(points[static_cast<std::size_t>(index)].value);
    return std::abs(y - pixel.y()) <= 2 * kPickPixels ? static_cast<int>(index) : -1;
}

QString TrendChart::changeLabel(int change) const
{
    if (change < 0 || static_cast<std::size_t>(change) >= m_series.changes.size())
        return {};
    const ChangePoint& point = m_series.changes[static_cast<std::size_t>(change)];
    return tr("%1 · %2").arg(percentText(point.relativeChange), pText(point.p));
}

std::vector<double> TrendChart::segmentLevels() const
{
    return m_levelValues;
}

QString TrendChart::pointText(int point) const
{
    if (point < 0 || static_cast<std::size_t>(point) >= m_series.points.size())
        return {};
    const TrendPoint& p = m_series.points[static_cast<std::size_t>(point)];
    const auto started = QDateTime::fromSecsSinceEpoch(
        std::chrono::duration_cast<std::chrono::seconds>(p.startedAt.time_since_epoch()).count());
    return tr("run %1 · %2 · %3 · %4")
        .arg(p.runId)
        .arg(p.commit.empty() ? tr("no commit") : shortCommit(p.commit, 12))
        .arg(started.toString(QStringLiteral("yyyy-MM-dd hh:mm")), valueText(p.value));
}

void TrendChart::showTooltip(QMouseEvent* event)
{
    if (const int change = changeAt(event->position()); change >= 0) {
        const ChangePoint& point = m_series.changes[static_cast<std::size_t>(change)];
        const TrendPoint& before = m_series.points[point.index - 1];
        const TrendPoint& after = m_series.points[point.index];
        QToolTip::showText(event->globalPosition().toPoint(),
            tr("%1: median %2 → %3 (%4)\nlast before: %5 · first after: %6\nClick to compare the two segments")
                .arg(changeLabel(change), valueText(point.beforeMedian), valueText(point.afterMedian),
                    tr("shift %1, CI %2 … %3")
                        .arg(valueText(point.shift.shift), valueText(point.shift.low), valueText(point.shift.high)),
                    before.commit.empty() ? tr("run %1").arg(before.runId) : shortCommit(before.commit, 12),
                    after.commit.empty() ? tr("run %1").arg(after.runId) : shortCommit(after.commit, 12)),
            this);
        setCursor(Qt::PointingHandCursor);
        return;
    }
    unsetCursor();
    if (const int point = pointAt(event->position()); point >= 0)
        QToolTip::showText(event->globalPosition().toPoint(), pointText(point), this);
    else
        QToolTip::hideText();
}

void TrendChart::changeEvent(QEvent* event)
{
    QCustomPlot::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        m_palette = ChartPalette::fromPalette(palette());
        restyle();
        replot(QCustomPlot::rpQueuedReplot);
    }
}

} // namespace buildscope
