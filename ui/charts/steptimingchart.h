#pragma once

#include "charts/timechart.h"
#include "run/runresult.h"

#include <map>
#include <string>
#include <vector>

namespace buildscope {

// The steps on the run's own time axis, one row each: a bar from the step's start to its
// end (now, while it runs), coloured by status, under the same clock, range and plot width
// as the memory chart above it, so a bar sits right under its step's span there and a
// second is as wide in both. Each row is labelled with the step's name and wall time beside
// its bar. With a spread across repeated runs, a whisker from the bar's start spans the
// fastest to the slowest run and a diamond marks their median.
class StepTimingChart : public TimeChart
{
    Q_OBJECT
public:
    explicit StepTimingChart(QWidget* parent = nullptr);
    ~StepTimingChart() override;

    void setSteps(const std::vector<StepResult>& steps, double nowSeconds);
    void setSpread(const std::map<std::string, std::vector<double>>& wallSecondsPerStep);
    void clearSteps();
    void applyPalette(const ChartPalette& palette);

    // Row names top to bottom, and the text beside each bar.
    QStringList rowNames() const;
    QStringList rowFigures() const;
    // A row's bar (nullptr when the step has no start in this run) and whisker (nullptr
    // without a spread); the figure's text item.
    QCPItemRect* rowBar(int row) const;
    QCPItemLine* rowWhisker(int row) const;
    QCPItemText* rowLabel(int row) const;
    StepStatus rowStatus(int row) const;
    QCPGraph* medianMarkers() const noexcept { return m_medians; }
    // The legend's swatch of one status (nullptr for Pending), listed while a row has it.
    QCPBars* statusSwatch(StepStatus status) const;

private:
    struct Row
    {
        QString name;
        StepStatus status = StepStatus::NotRun;
        bool inRun = true; // false: a step only earlier runs had
        bool ran = false; // has a start (and a wall time) in this run
        double start = 0;
        double end = 0;
        double anchor = 0; // where a row without a bar is labelled: the end of the rows above
        bool hasSpread = false;
        double median = 0;
        double min = 0;
        double max = 0;
        std::size_t runs = 0;
        QCPItemRect* bar = nullptr;
        QCPItemLine* whisker = nullptr;
        QCPItemText* label = nullptr;
    };

    void rebuild();
    void removeRowItems();
    void fitLabels();
    void styleRows();
    QColor onBarText(StepStatus status) const;
    void showTooltip(QMouseEvent* event);
    int rowAt(double key) const;
    double keyOf(std::size_t index) const;

    std::vector<StepResult> m_steps;
    double m_now = 0;
    std::map<std::string, std::vector<double>> m_spread;
    std::vector<Row> m_rows;
    std::vector<std::pair<StepStatus, QCPBars*>> m_swatches;
    QCPGraph* m_medians = nullptr;
    QCPItemText* m_empty = nullptr;
    ChartPalette m_palette;
};

} // namespace buildscope
