#include "charts/charttrace.h"

#include <cmath>

namespace buildscope {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

ChartTrace::ChartTrace(QCPGraph* graph, Kind kind, std::size_t hue, Formatter formatter)
    : m_graph(graph)
    , m_kind(kind)
    , m_hue(hue)
    , m_formatter(std::move(formatter))
    , m_live(QSharedPointer<QCPGraphDataContainer>::create())
    , m_history(QSharedPointer<QCPGraphDataContainer>::create())
{
    m_graph->setData(m_live);
}

void ChartTrace::setSources(std::size_t series, std::size_t denominatorSeries)
{
    m_series = series;
    m_denominator = denominatorSeries;
}

void ChartTrace::setShown(bool shown)
{
    m_shown = shown;
    m_graph->setVisible(shown);
}

bool ChartTrace::hasSource() const noexcept
{
    return m_series != kNoSeries && (m_kind != Kind::HitRatePercent || m_denominator != kNoSeries);
}

void ChartTrace::reset()
{
    m_live->clear();
    m_live->squeeze();
    m_history->clear();
    m_history->squeeze();
    showLive();
    m_historyTail = 0;
    m_previousTime = m_previousValue = m_previousDenominator = kNaN;
    m_min = m_max = kNaN;
}

double ChartTrace::derive(double time, double value, double denominator)
{
    if (m_kind == Kind::Value)
        return value;
    const double dt = time - m_previousTime;
    const double delta = value - m_previousValue;
    const double deltaDenominator = denominator - m_previousDenominator;
    m_previousTime = time;
    m_previousValue = value;
    m_previousDenominator = denominator;
    // NaN anywhere (first sample, counter not available) propagates to a gap. A counter
    // that went down was reset (a new process); its interval has no meaningful rate.
    if (!(dt > 0) || !(delta >= 0))
        return kNaN;
    if (m_kind == Kind::Rate)
        return delta / dt;
    if (!(deltaDenominator > 0))
        return kNaN; // no acquires in the interval: hit rate is n/a, never 0 or 100 %
    return std::clamp(100.0 * delta / deltaDenominator, 0.0, 100.0);
}

void ChartTrace::track(double value)
{
    if (std::isnan(value))
        return;
    m_min = std::isnan(m_min) ? value : std::min(m_min, value);
    m_max = std::isnan(m_max) ? value : std::max(m_max, value);
}

void ChartTrace::append(
    std::span<const double> times, std::span<const double> values, std::span<const double> denominators, int rawLimit)
{
    if (times.empty())
        return;
    m_scratch.resize(0);
    m_scratch.reserve(static_cast<qsizetype>(times.size()));
    for (std::size_t i = 0; i < times.size(); ++i) {
        const double value = i < values.size() ? values[i] : kNaN;
        const double denominator = i < denominators.size() ? denominators[i] : kNaN;
        const double derived = derive(times[i], value, denominator);
        track(derived);
        m_scratch.append(QCPGraphData(times[i], derived));
    }
    // Same effect as QCPGraph::addData(keys, values, true) (which builds this vector
    // itself), but it can target the live container while the graph shows the history.
    m_live->add(m_scratch, true);
    if (rawLimit > 0 && m_live->size() > rawLimit) {
        // Removal at the front is lazy in QCPDataContainer (it grows a preallocated
        // block and squeezes now and then), so trimming every tick stays cheap.
        m_live->removeBefore((m_live->constBegin() + (m_live->size() - rawLimit))->key);
    }
    if (m_showingHistory) {
        const double lastKey
            = m_history->isEmpty() ? -std::numeric_limits<double>::infinity() : (m_history->constEnd() - 1)->key;
        auto first = std::find_if(
            m_scratch.cbegin(), m_scratch.cend(), [lastKey](const QCPGraphData& point) { return point.key > lastKey; });
        const auto added = static_cast<int>(m_scratch.cend() - first);
        if (added > 0) {
            m_history->add(QVector<QCPGraphData>(first, m_scratch.cend()), true);
            m_historyTail += added;
        }
    }
}

void ChartTrace::showHistory(const TimeSeriesStore::Range& range)
{
    if (!hasSource() || m_series >= range.seriesCount) {
        m_history->clear();
        m_graph->setData(m_history);
        m_showingHistory = true;
        m_historyTail = 0;
        return;
    }
    const std::size_t buckets = range.buckets.size();
    QVector<QCPGraphData> points;
    points.reserve(static_cast<qsizetype>(m_kind == Kind::Value ? 2 * buckets : buckets));
    double lastKey = -std::numeric_limits<double>::infinity();
    auto add = [&](double key, double value) {
        key = std::max(key, lastKey); // keys stay sorted even if buckets touch
        lastKey = key;
        points.append(QCPGraphData(key, value));
        track(value);
    };
    for (std::size_t b = 0; b < buckets; ++b) {
        const TimeSeriesStore::Bucket& bucket = range.buckets[b];
        if (m_kind == Kind::Value) {
            const double low = range.minAt(m_series, b);
            const double high = range.maxAt(m_series, b);
            if (std::isnan(low)) {
                add(bucket.begin, kNaN); // the series had no value: keep the gap
                continue;
            }
            add(bucket.begin, low);
            add(bucket.end, high);
            continue;
        }
        double value = kNaN;
        if (b > 0) {
            const double dt = bucket.end - range.buckets[b - 1].end;
            const double delta = range.lastAt(m_series, b) - range.lastAt(m_series, b - 1);
            if (m_kind == Kind::Rate) {
                if (dt > 0 && delta >= 0)
                    value = delta / dt;
            } else {
                const double acquires = range.lastAt(m_denominator, b) - range.lastAt(m_denominator, b - 1);
                if (acquires > 0 && delta >= 0)
                    value = std::clamp(100.0 * delta / acquires, 0.0, 100.0);
            }
        }
        add(bucket.end, value);
    }
    m_history->set(points, true);
    m_historyTail = 0;
    if (!m_showingHistory) {
        m_graph->setData(m_history);
        m_showingHistory = true;
    }
}

void ChartTrace::showLive()
{
    if (!m_showingHistory)
        return;
    m_graph->setData(m_live);
    m_showingHistory = false;
    m_history->clear();
    m_historyTail = 0;
}

} // namespace buildscope
