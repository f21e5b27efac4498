#pragma once

#include "charts/qcustomplotinclude.h"
#include "compare/runcomparison.h"
#include "theme/chartpalette.h"

#include <QString>
#include <QStringList>
#include <vector>

namespace buildscope {

// Per step of a comparison, two horizontal bars from 0: the change of the median peak RSS
// (upper, solid) and of the median wall time (lower, lighter), each red for a regression,
// green for an improvement and grey without a significant change. The figures, named,
// stand in a column right of the plot, as in the step timings chart. Steps come in the
// comparison's reading order: the step whose rows decided first, the largest change first.
class StepDeltaChart : public QCustomPlot
{
    Q_OBJECT

public:
    static constexpr const char* kPeakMetric = "peak_rss_bytes";
    static constexpr const char* kWallMetric = "wall_s";

    struct Bar
    {
        QString step;
        QString metric; // kPeakMetric or kWallMetric
        double deltaPercent = 0; // NaN: not comparable (a base median of 0); no bar
        Verdict verdict = Verdict::NoChange;
    };

    explicit StepDeltaChart(QWidget* parent = nullptr);
    ~StepDeltaChart() override;

    void setComparison(const Comparison& comparison);
    const std::vector<Bar>& shownBars() const noexcept { return m_bars; }
    QCPBars* bars(const QString& metric, Verdict verdict) const;
    QStringList rowNames() const;
    QStringList figures() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Series
    {
        QString metric;
        Verdict verdict;
        QCPBars* bars = nullptr;
    };

    void rebuild();
    void restyle();
    void fitRows();
    QColor fill(const QString& metric, Verdict verdict) const;
    QColor textColor(Verdict verdict) const;

    std::vector<Bar> m_bars;
    QStringList m_steps;
    std::vector<Series> m_series;
    std::vector<QCPItemText*> m_figures;
    QCPItemText* m_empty = nullptr;
    QCPTextElement* m_title = nullptr;
    QSharedPointer<QCPAxisTickerText> m_names;
    ChartPalette m_palette;
};

} // namespace buildscope
