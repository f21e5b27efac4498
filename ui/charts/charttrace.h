#pragma once

#include "charts/qcustomplotinclude.h"
#include "memory/timeseriesstore.h"

#include <QString>
#include <cstddef>
#include <functional>
#include <limits>
#include <span>

namespace buildscope {

// One line on a time chart, fed from one or two store series.
//
// It owns two data containers and shows one of them in its QCPGraph: `live`, the most
// recent raw samples (at most a fixed number, appended every tick), and `history`, a
// min/max envelope of any time span rebuilt from the store's downsampled tiers when the
// view reaches back past the raw window or holds more raw points than pixels can show.
// Swapping shares the container, so neither copy is ever rebuilt per frame.
class ChartTrace
{
public:
    enum class Kind
    {
        Value, // the series' value (RSS, live heap)
        Rate, // Δvalue/Δt of a cumulative counter, per second
        HitRatePercent // 100 × Δhits/Δacquires; NaN (a gap) when nothing was acquired
    };
    using Formatter = std::function<QString(double)>;
    static constexpr std::size_t kNoSeries = std::numeric_limits<std::size_t>::max();

    ChartTrace(QCPGraph* graph, Kind kind, std::size_t hue, Formatter formatter);
    ChartTrace(const ChartTrace&) = delete;
    ChartTrace& operator=(const ChartTrace&) = delete;

    QCPGraph* graph() const noexcept { return m_graph; }
    Kind kind() const noexcept { return m_kind; }
    std::size_t hue() const noexcept { return m_hue; } // index into ChartPalette::seriesColors
    QString format(double value) const { return m_formatter(value); }

    // A trace the user chose to hide (the engine heap line, on demand) keeps its data but
    // is not drawn, listed in the legend, read by the crosshair nor counted for the axis.
    void setShown(bool shown);
    bool shown() const noexcept { return m_shown; }
    // Fed and shown: what the legend, the crosshair and the value axis take into account.
    bool counts() const noexcept { return m_shown && hasSource() && hadValue(); }

    // Store series indices: the value (Value, Rate) or hits (HitRatePercent), and the
    // acquires for hit rates. kNoSeries when the store lacks the series.
    void setSources(std::size_t series, std::size_t denominatorSeries = kNoSeries);
    std::size_t series() const noexcept { return m_series; }
    std::size_t denominatorSeries() const noexcept { return m_denominator; }
    bool hasSource() const noexcept;

    // Drops all data and the previous sample used for differences; shows `live`.
    void reset();
    // Appends raw samples (ascending times) of the source series; `denominators` only for
    // hit rates. Keeps at most `rawLimit` points in `live`. While the history is shown, new
    // points extend its end too, so a followed view keeps moving between rebuilds.
    void append(std::span<const double> times, std::span<const double> values, std::span<const double> denominators,
        int rawLimit);

    // Replaces the history with `range` (from TimeSeriesStore::Snapshot::range) and shows
    // it. Values: the min then the max of each bucket, so peaks survive any zoom level.
    // Rates and hit rates: the mean over each bucket, from the counters' last values.
    void showHistory(const TimeSeriesStore::Range& range);
    void showLive();
    bool showingHistory() const noexcept { return m_showingHistory; }
    int historyTailPoints() const noexcept { return m_historyTail; }

    const QSharedPointer<QCPGraphDataContainer>& live() const noexcept { return m_live; }
    // Running extremes of every value this trace produced (live and history), NaN before
    // the first; the chart's y range follows them instead of rescanning data per frame.
    double minimum() const noexcept { return m_min; }
    double maximum() const noexcept { return m_max; }
    bool hadValue() const noexcept { return !std::isnan(m_max); }

private:
    double derive(double time, double value, double denominator);
    void track(double value);

    QCPGraph* m_graph;
    Kind m_kind;
    std::size_t m_hue;
    Formatter m_formatter;
    std::size_t m_series = kNoSeries;
    std::size_t m_denominator = kNoSeries;
    QSharedPointer<QCPGraphDataContainer> m_live;
    QSharedPointer<QCPGraphDataContainer> m_history;
    bool m_showingHistory = false;
    bool m_shown = true;
    int m_historyTail = 0;
    double m_previousTime = std::numeric_limits<double>::quiet_NaN();
    double m_previousValue = std::numeric_limits<double>::quiet_NaN();
    double m_previousDenominator = std::numeric_limits<double>::quiet_NaN();
    double m_min = std::numeric_limits<double>::quiet_NaN();
    double m_max = std::numeric_limits<double>::quiet_NaN();
    QVector<QCPGraphData> m_scratch; // reused between ticks
};

} // namespace buildscope
