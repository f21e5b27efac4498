#pragma once

#include "charts/baselinealignment.h"
#include "charts/qcustomplotinclude.h"
#include "charts/seriespoints.h"
#include "memory/timeseriesstore.h"
#include "run/processrecord.h"
#include "run/runresult.h"
#include "theme/chartpalette.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

class QSplitter;

namespace buildscope {

struct SampleTable;
class ChartTrace;
class ProcessTimelineChart;
class StepTimingChart;
class TimeChart;

// The dashboard's charts, stacked on one shared, zoomable time axis: memory, the build's
// processes (who ran when, and how hungry), the engine's allocation rate and pool hit rates
// (engine internals, shown on demand), and the step timings, whose bars sit under their
// steps' spans on the same clock and scale.
//
// Feeding: setSeries() once per run, then appendSnapshot() on every refresh tick; each
// call appends only the raw samples that arrived since the previous one. Graphs keep at
// most rawPointLimit() recent samples; views that reach further back, or would put more
// than maxRawPointsPerPixel() samples on a pixel, show a min/max envelope built from the
// store's downsampled tiers instead (rebuilt ~100 ms after the view stops changing, and
// once a second while following a zoomed-out live run).
//
// Follow-live policy: the x range is the whole run, [0, now], at least 10 s wide, so the
// newest sample is always at the right edge and the whole history stays in view (the
// envelope keeps that cheap however long the run); with a baseline that lasts longer, to
// the baseline's end, so all of it stays in view. Zooming or panning turns it off;
// double-clicking a chart turns it back on.
//
// Baseline overlay: setBaseline() draws another run's build process tree RSS under the
// live one on the memory chart, dashed and lighter, named "baseline" in the legend, moved
// step by step onto this run's clock (BaselineAlignment): each baseline step starts where
// this run's step of the same name started. Steps this run has not started yet follow the
// shift of the last step it did start, i.e. they are drawn where they would fall if this
// run kept the baseline's pace from there, so the overlay shows what is still to come.
class ChartPanel : public QWidget
{
    Q_OBJECT
public:
    enum class Chart
    {
        Memory,
        AllocationRate,
        PoolHitRate,
        StepTimings,
        Processes
    };

    explicit ChartPanel(QWidget* parent = nullptr);
    ~ChartPanel() override;

    // Forgets all data and steps, before a new run or a loaded report; turns follow-live on.
    // A baseline stays (the next run is compared with it too) and is re-aligned as that
    // run's steps start.
    void clear();
    void setSeries(const std::vector<SeriesSpec>& series);
    void appendSnapshot(const TimeSeriesStore::Snapshot& snapshot);
    void setSteps(const std::vector<StepResult>& steps, double nowSeconds);
    void setStepSpread(const std::map<std::string, std::vector<double>>& wallSecondsPerStep);
    // The ledger's processes, under the memory chart on its clock (the whole list, every
    // time it grew; see ProcessTimelineChart).
    void setProcesses(const std::vector<ProcessRecord>& processes);
    // The processes running now, drawn up to `nowSeconds` (every tick while live).
    void setRunningProcesses(const std::vector<ProcessRecord>& running, double nowSeconds);
    ProcessTimelineChart* processTimeline() const noexcept { return m_processes; }
    // Copies the baseline's tree_rss_bytes and its steps; nullptr (or a table without that
    // series) removes the overlay. The overlay is rebuilt only when a live step start changes
    // (setSteps() runs every tick), never per sample.
    void setBaseline(const SampleTable* samples, const std::vector<StepResult>& steps);
    bool hasBaseline() const noexcept { return !m_baseline.empty(); }
    // How the baseline is currently placed on this run's clock.
    const BaselineAlignment& baselineAlignment() const noexcept { return m_baselineAlignment; }
    // How often the overlay's points were rebuilt (tests: once per step start, not per tick).
    int baselineRebuilds() const noexcept { return m_baselineRebuilds; }
    double baselineEnd() const noexcept { return m_baselineEnd; }
    void setFollowLive(bool follow);
    bool followLive() const noexcept { return m_followLive; }
    // Charts other than memory and step timings can be hidden (they go on being fed).
    void setChartShown(Chart chart, bool shown);
    bool chartShown(Chart chart) const;
    // The engine's live heap on the memory chart: an engine internal, drawn on demand.
    void setEngineHeapShown(bool shown);
    bool engineHeapShown() const;
    QCustomPlot* plot(Chart chart) const;
    double lastReplotMilliseconds() const;

    // Tuning, for tests and bench/chart_harness: raw samples each graph keeps (default
    // 20,000, about 17 minutes at 20 Hz), and raw samples per pixel above which the
    // envelope is drawn instead (default 4).
    void setRawPointLimit(int points);
    int rawPointLimit() const noexcept { return m_rawPointLimit; }
    void setMaxRawPointsPerPixel(double points);
    double maxRawPointsPerPixel() const noexcept { return m_maxRawPointsPerPixel; }
    // True while the time charts show the downsampled envelope rather than raw samples.
    bool showingHistory() const noexcept { return m_showingHistory; }

signals:
    void followLiveChanged(bool follow);
    void hovered(double seconds);

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void buildCharts();
    void resolveSeries();
    void resetData();
    void applyPalette();
    void alignMargins();
    void queueReplot();
    void onXRangeChanged(TimeChart* source, const QCPRange& range);
    void setTimeRange(const QCPRange& range);
    void applyFollowRange();
    bool wantsHistory(const QCPRange& range) const;
    void scheduleHistoryRefresh();
    void refreshHistory();
    void updateValueRanges();
    void onPointerMoved(TimeChart* source, QMouseEvent* event);
    void hideCrosshairs();
    int plotWidthPixels() const;
    const ChartTrace* referenceTrace() const;
    bool liveStartsChanged(const std::vector<StepResult>& steps) const;
    void alignBaseline(const std::vector<StepResult>& liveSteps);

    QSplitter* m_splitter = nullptr;
    TimeChart* m_memory = nullptr;
    TimeChart* m_allocations = nullptr;
    TimeChart* m_hitRate = nullptr;
    StepTimingChart* m_steps = nullptr;
    ProcessTimelineChart* m_processes = nullptr;
    std::array<TimeChart*, 3> m_timeCharts {}; // fed with samples
    std::array<TimeChart*, 5> m_axisCharts {}; // on the shared time axis: the time charts, processes, step timings
    ChartPalette m_palette;

    std::vector<SeriesSpec> m_series;
    std::optional<TimeSeriesStore::Snapshot> m_snapshot; // the latest, for history queries
    std::uint64_t m_nextSequence = 0; // first raw sample not yet appended
    double m_now = 0; // the run's clock: latest sample or step time seen

    bool m_followLive = true;
    bool m_settingRange = false; // our own x range changes are not user zoom/pan
    bool m_syncingRange = false; // guards the rangeChanged fan-out between charts
    bool m_showingHistory = false;
    int m_rawPointLimit = 20000;
    double m_maxRawPointsPerPixel = 4;
    QTimer m_historyTimer; // debounce: rebuild once the view has settled
    QElapsedTimer m_historyAge; // since the envelope was last built

    // Per tick scratch, reused: raw times and the values of each series needed.
    std::vector<double> m_times;
    std::vector<std::vector<double>> m_values;
    std::vector<double> m_discard;

    // Baseline overlay: its tree RSS, its steps, and the started live steps it is aligned to.
    SeriesPoints m_baseline;
    std::vector<StepResult> m_baselineSteps;
    std::vector<StepResult> m_alignedTo;
    BaselineAlignment m_baselineAlignment;
    double m_baselineEnd = 0; // aligned: where the drawn baseline ends
    int m_baselineRebuilds = 0;
};

} // namespace buildscope
