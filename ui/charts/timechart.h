#pragma once

#include "charts/charttrace.h"
#include "charts/qcustomplotinclude.h"
#include "run/runresult.h"
#include "theme/chartpalette.h"

#include <QString>
#include <cmath>
#include <limits>
#include <memory>
#include <vector>

namespace buildscope {

// A step's time span as the time charts shade it.
struct StepSpan
{
    QString name;
    double start = 0;
    double end = 0;
    StepStatus status = StepStatus::Succeeded;
};

// One chart over the run's time axis: a title and legend row, traces, step spans shaded
// behind the data, and a crosshair. The x axis is driven by ChartPanel (shared by all time
// charts); each value axis follows the running maximum of its traces.
class TimeChart : public QCustomPlot
{
    Q_OBJECT
public:
    TimeChart(const QString& title, QWidget* parent = nullptr);
    ~TimeChart() override;

    void setTitle(const QString& title);
    // Off: the crosshair is a line only (a chart whose rows say their own figures).
    void setCrosshairLabelShown(bool shown) { m_crosshairLabelShown = shown; }

    ChartTrace& addTrace(
        const QString& name, ChartTrace::Kind kind, std::size_t hue, QCPAxis* valueAxis, ChartTrace::Formatter format);
    void removeTracesFrom(std::size_t index);
    const std::vector<std::unique_ptr<ChartTrace>>& traces() const noexcept { return m_traces; }

    // Value axes not fixed here start at 0 and grow with their traces' maximum (plus headroom).
    void setFixedValueRange(QCPAxis* axis, const QCPRange& range);
    void setDefaultValueUpper(QCPAxis* axis, double upper);
    // Applies the traces' running extremes to the automatic value axes; true if a range changed.
    bool updateValueRanges();
    void resetValueRanges();
    // Shows traces in the legend once they have a value (a pool never acquired from stays out).
    void updateLegend();

    // A reference line under the traces (a baseline run's curve): dashed and lighter than a
    // trace of the same hue, set whole rather than appended (`points` sorted by key, NaN
    // for gaps). While it has points it counts for the value axis, the legend (after the
    // traces) and the crosshair. An empty `points` removes it from all three.
    void setReference(const QString& name, std::size_t hue, QCPAxis* valueAxis, QVector<QCPGraphData> points,
        ChartTrace::Formatter format);
    void clearReference();
    // nullptr until the first setReference().
    QCPGraph* referenceGraph() const noexcept { return m_reference; }
    bool hasReference() const noexcept { return m_reference && !std::isnan(m_referenceMax); }

    void setStepSpans(const std::vector<StepSpan>& spans, bool labelled);
    const std::vector<QCPItemRect*>& stepBands() const noexcept { return m_bands; }
    const std::vector<QCPItemText*>& stepLabels() const noexcept { return m_labels; }

    void applyPalette(const ChartPalette& palette);

    void showCrosshair(double seconds);
    void hideCrosshair();
    // The crosshair label: time, then each trace's value nearest to `seconds`.
    QString crosshairText(double seconds) const;
    QCPItemText* crosshairLabel() const noexcept { return m_crosshairLabel; }

    // Width the value axes need on each side for their current tick labels, so the
    // panel can give every time chart the same plot area and the x axes line up.
    int requiredLeftMargin() const;
    int requiredRightMargin() const;
    void setSideMargins(int left, int right);

signals:
    void pointerLeft();

protected:
    void leaveEvent(QEvent* event) override;

private:
    struct AxisScale
    {
        QCPAxis* axis = nullptr;
        bool fixed = false;
        double defaultUpper = 1;
    };
    AxisScale& scaleFor(QCPAxis* axis);
    QPen seriesPen(std::size_t hue) const;
    QPen referencePen() const;
    int axisMargin(QCPAxis* axis) const;
    void fitStepLabels();
    void fitValueTicks();
    void fitMarkers();
    void styleBand(QCPItemRect* band, std::size_t index, StepStatus status) const;

    QCPTextElement* m_title = nullptr;
    std::vector<std::unique_ptr<ChartTrace>> m_traces;
    std::vector<AxisScale> m_scales;
    std::vector<QCPItemRect*> m_bands;
    std::vector<QCPItemText*> m_labels;
    std::vector<StepSpan> m_spans;
    bool m_labelled = false;
    QCPItemStraightLine* m_crosshairLine = nullptr;
    QCPItemText* m_crosshairLabel = nullptr;
    bool m_crosshairLabelShown = true;
    ChartPalette m_palette;
    QCPGraph* m_reference = nullptr;
    std::size_t m_referenceHue = 0;
    ChartTrace::Formatter m_referenceFormat;
    double m_referenceMin = std::numeric_limits<double>::quiet_NaN();
    double m_referenceMax = std::numeric_limits<double>::quiet_NaN();
};

} // namespace buildscope
