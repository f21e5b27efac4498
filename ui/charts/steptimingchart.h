#pragma once

#include "charts/chartpalette.h"
#include "charts/qcustomplotinclude.h"
#include "run/runresult.h"

#include <map>
#include <string>
#include <vector>

namespace buildscope {

// One horizontal bar per step (wall time), colored by status, names on the left and the
// figures in a column on the right. With a spread across repeated runs, each bar is the
// median, a whisker spans min to max and a diamond marks this run.
class StepTimingChart : public QCustomPlot
{
    Q_OBJECT
public:
    explicit StepTimingChart(QWidget* parent = nullptr);
    ~StepTimingChart() override;

    void setSteps(const std::vector<StepResult>& steps, double nowSeconds);
    void setSpread(const std::map<std::string, std::vector<double>>& wallSecondsPerStep);
    void clearSteps();
    void applyPalette(const ChartPalette& palette);

    // The bars of one status (nullptr for Pending): one QCPBars per status so each has its
    // color and legend entry. Steps that only appear in the spread use NotRun.
    QCPBars* bars(StepStatus status) const;
    QCPErrorBars* spread(StepStatus status) const;
    QCPGraph* thisRunMarkers() const noexcept { return m_thisRun; }
    // Row names top to bottom, and the figure shown beside each.
    QStringList rowNames() const;
    QStringList rowFigures() const;

private:
    struct Row
    {
        QString name;
        StepStatus status = StepStatus::NotRun;
        bool ran = false; // has a wall time in this run
        double wall = 0;
        bool hasSpread = false;
        double median = 0;
        double min = 0;
        double max = 0;
        std::size_t runs = 0;
    };
    struct StatusSeries
    {
        StepStatus status;
        QCPBars* bars = nullptr;
        QCPErrorBars* spread = nullptr;
    };

    void rebuild();
    void showTooltip(QMouseEvent* event);
    int rowAt(double key) const;

    std::vector<StepResult> m_steps;
    double m_now = 0;
    std::map<std::string, std::vector<double>> m_spread;
    std::vector<Row> m_rows;
    std::vector<StatusSeries> m_series;
    QCPGraph* m_thisRun = nullptr;
    std::vector<QCPItemText*> m_figures;
    QCPItemText* m_empty = nullptr;
    QCPTextElement* m_title = nullptr;
    QSharedPointer<QCPAxisTickerText> m_names;
    ChartPalette m_palette;
};

} // namespace buildscope
