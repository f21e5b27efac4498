#pragma once

#include "compare/runcomparison.h"
#include "report/reportreader.h"

#include <QString>
#include <QWidget>
#include <vector>

class QCheckBox;
class QLabel;
class QPushButton;
class QSplitter;
class QTableView;

namespace buildscope {

class ComparisonTableModel;
class MemoryOverlayChart;
class NumericSortProxy;
class SignificantOnlyProxy;
class StepDeltaChart;

// A comparison of two run sets, for triage: a summary line (verdict counts, run counts,
// alpha and threshold, then warnings and steps present on one side only), the table of
// every subject and metric (regressions first; "Significant only" hides the rest), and
// two charts: the memory curves of the median-duration run of each side, the baseline's
// aligned to the candidate's steps by name, and the change of peak RSS and wall time per
// step.
class CompareView : public QWidget
{
    Q_OBJECT

public:
    explicit CompareView(QWidget* parent = nullptr);
    ~CompareView() override;

    // `base` and `candidate`: the runs the comparison was computed from (for the charts;
    // either may be empty). Copies what it shows.
    void showComparison(const Comparison& comparison, const std::vector<LoadedReport>& base,
        const std::vector<LoadedReport>& candidate);
    void clear();
    const Comparison& comparison() const;

    // writeComparisonCsv through QSaveFile: the file is replaced whole or not at all. On
    // failure returns false and, if `error` is given, says why.
    bool exportCsv(const QString& file, QString* error) const;

    // The run whose curve is drawn for a side: the median of the durations (the lower one
    // for an even count). -1 when there are no runs.
    static int medianDurationRun(const std::vector<LoadedReport>& runs);

    // For tests and the window.
    QString summaryText() const;
    ComparisonTableModel* model() const noexcept { return m_model; }
    SignificantOnlyProxy* significantProxy() const noexcept { return m_significant; }
    NumericSortProxy* sortProxy() const noexcept { return m_sort; }
    QTableView* table() const noexcept { return m_table; }
    QCheckBox* significantOnlyBox() const noexcept { return m_significantOnly; }
    MemoryOverlayChart* memoryChart() const noexcept { return m_memory; }
    StepDeltaChart* deltaChart() const noexcept { return m_deltas; }

signals:
    // The view's own "Export CSV…" button wrote a file (or failed: `error` is set).
    void exported(const QString& file, const QString& error);

protected:
    void changeEvent(QEvent* event) override;

private:
    void buildUi();
    void updateSummary();
    void exportWithDialog();

    ComparisonTableModel* m_model = nullptr;
    SignificantOnlyProxy* m_significant = nullptr;
    NumericSortProxy* m_sort = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_details = nullptr;
    QTableView* m_table = nullptr;
    QCheckBox* m_significantOnly = nullptr;
    QPushButton* m_exportButton = nullptr;
    QSplitter* m_splitter = nullptr;
    MemoryOverlayChart* m_memory = nullptr;
    StepDeltaChart* m_deltas = nullptr;
    bool m_hasComparison = false;
};

} // namespace buildscope
