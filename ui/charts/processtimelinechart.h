#pragma once

#include "charts/timechart.h"
#include "run/processrecord.h"

#include <optional>
#include <vector>

namespace buildscope {

// The build's processes on the run's time axis: each process a bar from its start to its
// end, in lanes (a process takes the first lane free at its start, so the number of lanes
// is how many ran at once), coloured from pale to strong by its peak memory. Under the
// memory chart, on its clock and scale: the bars under a bump in memory are who made it.
// Hovering a bar names the process and its exact peak; a selected process is outlined.
// Draws the hungriest kMaxBars processes when a build runs more (and says so).
class ProcessTimelineChart : public TimeChart
{
    Q_OBJECT

public:
    static constexpr std::size_t kMaxBars = 2000;
    static constexpr int kMaxLanes = 48;

    explicit ProcessTimelineChart(QWidget* parent = nullptr);

    // Whole list each time (records only end): rebuilt only when it grew.
    void setProcesses(const std::vector<ProcessRecord>& processes);
    // The processes running now, drawn open-ended up to `nowSeconds` (outlined, pale: their
    // peak is known only when they end). Re-laid out only when who runs changes; otherwise
    // their bars just grow.
    void setRunning(const std::vector<ProcessRecord>& running, double nowSeconds);
    std::size_t runningCount() const noexcept { return m_running.size(); }
    // Whether a record aliveAt() or processAt() gave is one of those running now.
    bool isRunning(const ProcessRecord* process) const noexcept
    {
        return process >= m_running.data() && process < m_running.data() + m_running.size();
    }
    void clearProcesses();
    // Outlines one process (its pid and start identify it); nothing: no outline.
    void setSelected(std::optional<std::pair<pid_t, double>> process);
    void applyPalette(const ChartPalette& palette);

    int laneCount() const noexcept { return m_lanes; }
    std::size_t barCount() const noexcept { return m_bars.size(); }
    // The process drawn at (seconds, lane), or nullptr.
    const ProcessRecord* processAt(double seconds, int lane) const;
    // Processes alive at `seconds`, hungriest first (those running now after the ended ones).
    std::vector<const ProcessRecord*> aliveAt(double seconds) const;

signals:
    void processClicked(pid_t pid, double startSeconds);

private:
    struct Bar
    {
        std::size_t process = 0; // index into m_processes, or into m_running when running
        bool running = false;
        int lane = 0;
        QCPItemRect* rect = nullptr;
    };
    const ProcessRecord& recordOf(const Bar& bar) const;
    double endOf(const Bar& bar) const;

    void rebuild();
    void styleBars();
    void showTooltip(QMouseEvent* event);
    QColor colorFor(std::uint64_t peak) const;

    std::vector<ProcessRecord> m_processes;
    std::vector<ProcessRecord> m_running;
    double m_now = 0;
    std::vector<Bar> m_bars;
    int m_lanes = 0;
    std::uint64_t m_maxPeak = 0;
    std::optional<std::pair<pid_t, double>> m_selected;
    QCPItemText* m_note = nullptr;
    ChartPalette m_palette;
};

} // namespace buildscope
