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

class CompareOptionsBar;
class ComparisonTableModel;
class JobTracker;
class MemoryOverlayChart;
class NumericSortProxy;
class SignificantOnlyProxy;
class StepDeltaChart;

// A comparison of two run sets, for triage: a summary (verdict counts, which runs each side
// holds, warnings in the dashboard's words, steps present on one side only), the options it
// is judged by (threshold, alpha, metrics: CompareOptionsBar), the table of every subject
// and metric (regressions first; "Significant only" hides the rest), and two charts: the
// memory curves of the median-duration run of each side, the baseline's aligned to the
// candidate's steps by name, and the change of peak RSS and wall time per step.
//
// The comparison is computed from the runs' results on a pool thread (JobTracker), again
// whenever an option changes; comparisonChanged() follows each.
class CompareView : public QWidget
{
    Q_OBJECT

public:
    explicit CompareView(QWidget* parent = nullptr);
    ~CompareView() override;

    // The runs of each side (results; samples where they are loaded: the median-duration run
    // of each side, for the overlay) and how each side is named for the summary, e.g.
    // "5 runs labelled side=base". Either side may be empty (nothing to compare).
    void setRuns(std::vector<LoadedReport> base, std::vector<LoadedReport> candidate, const QString& baseName = {},
        const QString& candidateName = {});
    void clear();
    const Comparison& comparison() const;
    bool hasComparison() const noexcept { return m_hasComparison; }

    CompareOptions options() const;
    // As if chosen in the options bar: saved, and the comparison is computed again.
    void setOptions(const CompareOptions& options);

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
    QPushButton* exportButton() const noexcept { return m_exportButton; }
    CompareOptionsBar* optionsBar() const noexcept { return m_options; }
    MemoryOverlayChart* memoryChart() const noexcept { return m_memory; }
    StepDeltaChart* deltaChart() const noexcept { return m_deltas; }

signals:
    // A comparison (re)computed from the runs and options was shown.
    void comparisonChanged();
    // The view's own "Export CSV…" button wrote a file (or failed: `error` is set).
    void exported(const QString& file, const QString& error);

protected:
    void changeEvent(QEvent* event) override;

private:
    void buildUi();
    void compare();
    void showComparison(Comparison comparison);
    void updateSummary();
    void exportWithDialog();

    ComparisonTableModel* m_model = nullptr;
    SignificantOnlyProxy* m_significant = nullptr;
    NumericSortProxy* m_sort = nullptr;
    CompareOptionsBar* m_options = nullptr;
    JobTracker* m_jobs = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_sides = nullptr;
    QLabel* m_details = nullptr;
    QTableView* m_table = nullptr;
    QCheckBox* m_significantOnly = nullptr;
    QPushButton* m_exportButton = nullptr;
    QSplitter* m_splitter = nullptr;
    MemoryOverlayChart* m_memory = nullptr;
    StepDeltaChart* m_deltas = nullptr;
    std::vector<RunResult> m_base;
    std::vector<RunResult> m_candidate;
    QString m_baseName;
    QString m_candidateName;
    bool m_hasComparison = false;
};

} // namespace buildscope
