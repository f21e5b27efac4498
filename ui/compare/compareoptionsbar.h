#pragma once

#include "compare/runcomparison.h"

#include <QWidget>

class QDoubleSpinBox;
class QMenu;
class QToolButton;

namespace buildscope {

// What a comparison judges by, as the command line's compare takes it: the smallest change
// that counts (threshold, percent of the base median), the significance level (alpha) and
// the metrics compared (all, the memory ones, or any set). Remembered in QSettings.
class CompareOptionsBar : public QWidget
{
    Q_OBJECT

public:
    explicit CompareOptionsBar(QWidget* parent = nullptr);

    CompareOptions options() const;
    // Shows `options` (unknown metric names are dropped) without emitting optionsChanged.
    void setOptions(const CompareOptions& options);

    // The metrics a memory gate names: peaks, which a shared machine's load does not move.
    static std::vector<std::string> memoryMetrics();

    QDoubleSpinBox* thresholdBox() const noexcept { return m_threshold; }
    QDoubleSpinBox* alphaBox() const noexcept { return m_alpha; }
    QToolButton* metricsButton() const noexcept { return m_metricsButton; }
    QMenu* metricsMenu() const noexcept { return m_metricsMenu; }

signals:
    // The user changed an option (saved already).
    void optionsChanged(const buildscope::CompareOptions& options);

private:
    void selectMetrics(const std::vector<std::string>& metrics); // empty: all
    std::vector<std::string> checkedMetrics() const;
    void metricToggled(QAction* action);
    void updateMetricsText();
    void changed();

    QDoubleSpinBox* m_threshold;
    QDoubleSpinBox* m_alpha;
    QToolButton* m_metricsButton;
    QMenu* m_metricsMenu;
    QList<QAction*> m_metricActions; // one per comparisonMetrics(), in that order
};

} // namespace buildscope
