#pragma once

#include "charts/baselinealignment.h"
#include "charts/timechart.h"

#include <vector>

namespace buildscope {

struct LoadedReport;

// One candidate run's build process tree RSS (solid) with one baseline run's (dashed,
// lighter) moved onto the candidate's clock step by step (BaselineAlignment), so each step
// is compared from the same starting point. The candidate's steps are shaded and named; a
// thin strip along the bottom marks where each aligned baseline step ran, so a step that
// took longer in the baseline shows as a strip reaching past its band.
class MemoryOverlayChart : public TimeChart
{
    Q_OBJECT

public:
    explicit MemoryOverlayChart(QWidget* parent = nullptr);
    ~MemoryOverlayChart() override;

    // Either may be null (that side is not drawn). Copies what it draws.
    void setRuns(const LoadedReport* baseline, const LoadedReport* candidate);
    void clearRuns();

    const BaselineAlignment& alignment() const noexcept { return m_alignment; }
    QCPGraph* candidateGraph() const;
    QCPGraph* baselineGraph() const { return referenceGraph(); }
    const std::vector<QCPItemRect*>& baselineStepMarks() const noexcept { return m_marks; }
    // Shows all the data (double-clicking does the same).
    void fitToData();

protected:
    void changeEvent(QEvent* event) override;

private:
    void restyle();
    void clearMarks();
    QColor markColor(std::size_t index) const;

    BaselineAlignment m_alignment;
    std::vector<QCPItemRect*> m_marks;
    QCPBars* m_marksLegend = nullptr; // no data: only the strip's entry in the legend
    ChartPalette m_palette;
    double m_dataEnd = 0;
};

} // namespace buildscope
