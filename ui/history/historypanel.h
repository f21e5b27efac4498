#pragma once

#include "history/runrecord.h"
#include "models/jobtracker.h"

#include <QFileSystemWatcher>
#include <QTimer>

#include <QString>
#include <QWidget>
#include <cstdint>
#include <functional>
#include <vector>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QTableView;
class QToolButton;

namespace buildscope {

class FilterDebouncer;
class HistoryTableModel;
class RunFilterProxy;
class RunHistory;

// The run history browser: the runs of a RunHistory, filtered by spec, labels and status,
// from which the user picks a baseline and a candidate (each one run or a set of runs) to
// compare, opens a run (double-click) or deletes runs.
//
// Store errors (HistoryError, and anything else the store throws) are shown on the panel's
// message line; no slot lets an exception out.
class HistoryPanel : public QWidget
{
    Q_OBJECT

public:
    // Asked before deleting; true deletes. The default asks with a QMessageBox.
    using ConfirmFunction = std::function<bool(QWidget* parent, const QString& question, const QString& detail)>;

    explicit HistoryPanel(QWidget* parent = nullptr);
    ~HistoryPanel() override;

    // Room for about ten runs: the dock starts tall enough to pick a baseline from.
    QSize sizeHint() const override;

    // Not owned; must outlive the panel or be replaced first. Lists its runs at once.
    // nullptr disables the panel and says why (setHistoryUnavailable() gives the reason).
    void setHistory(RunHistory* history);
    // No history, with the reason shown (e.g. the HistoryError that kept the store closed).
    void setHistoryUnavailable(const QString& reason);
    RunHistory* history() const noexcept { return m_history; }

    std::vector<std::int64_t> baselineRuns() const { return m_baseline; }
    std::vector<std::int64_t> candidateRuns() const { return m_candidate; }
    // Run ids selected in the table, in the table's order.
    std::vector<std::int64_t> selectedRuns() const;
    // The same as selecting the runs and pressing the buttons (ids not listed are dropped).
    void setBaselineRuns(std::vector<std::int64_t> ids);
    void setCandidateRuns(std::vector<std::int64_t> ids);
    // Every listed run with the label, as the command line's label:KEY=VALUE picks them
    // (the "By Label" menus).
    void setBaselineToLabel(const std::string& key, const std::string& value);
    void setCandidateToLabel(const std::string& key, const std::string& value);
    // Labels of the listed runs that pick some but not all of them, with how many runs
    // carry each: user labels first, then git.branch, git.commit and host.
    std::vector<std::pair<std::pair<std::string, std::string>, std::size_t>> pickableLabels() const;

    void setConfirmFunction(ConfirmFunction confirm);
    // The message line: the last store error, or a note such as "Deleted 2 runs".
    QString message() const;

    // For tests and the window: the parts a user acts on.
    HistoryTableModel* model() const noexcept { return m_model; }
    RunFilterProxy* proxy() const noexcept { return m_proxy; }
    QTableView* table() const noexcept { return m_table; }
    QLineEdit* labelFilterEdit() const noexcept { return m_labelEdit; }
    FilterDebouncer* labelDebouncer() const noexcept { return m_debouncer; }
    QComboBox* specCombo() const noexcept { return m_specCombo; }
    QComboBox* statusCombo() const noexcept { return m_statusCombo; }
    QPushButton* baselineButton() const noexcept { return m_baselineButton; }
    QPushButton* candidateButton() const noexcept { return m_candidateButton; }
    QPushButton* compareButton() const noexcept { return m_compareButton; }
    QAction* deleteAction() const noexcept { return m_deleteAction; }
    // Lists the store again (F5): the window puts it in its View menu.
    QAction* refreshAction() const noexcept { return m_refreshAction; }
    QToolButton* baselineLabelButton() const noexcept { return m_baselineLabelButton; }
    QToolButton* candidateLabelButton() const noexcept { return m_candidateLabelButton; }
    QLabel* baselineLabel() const noexcept { return m_baselineLabel; }
    QLabel* candidateLabel() const noexcept { return m_candidateLabel; }

public slots:
    // Reads the store's listing again (after a run finished or was imported).
    void refresh();
    void useSelectionAsBaseline();
    void useSelectionAsCandidate();
    void clearBaseline();
    void clearCandidate();
    // Asks (ConfirmFunction), then deletes the selected runs and refreshes.
    void deleteSelected();
    // Emits compareRequested when both sides are chosen.
    void requestCompare();

signals:
    // A listing of the store arrived (or failed, with the message shown).
    void listed();
    void compareRequested(std::vector<std::int64_t> base, std::vector<std::int64_t> candidate);
    void openRunRequested(std::int64_t id);
    // Whenever the baseline set changes (empty: none); the window overlays it on the live run.
    void baselineChanged(std::vector<std::int64_t> base);

protected:
    void changeEvent(QEvent* event) override;

private:
    void buildUi();
    void showListing(std::vector<RunRecord> runs, const std::string& error);
    void watchStore();
    void showMessage(const QString& text, bool error);
    void updateSpecs();
    void updateSets();
    void updateActions();
    void updateCount();
    void applyPalette();
    void pruneSets();
    void setBaseline(std::vector<std::int64_t> ids);
    void setCandidate(std::vector<std::int64_t> ids);
    std::vector<std::int64_t> runsWithLabel(const std::string& key, const std::string& value) const;
    void fillLabelMenu(QMenu* menu, bool baseline);
    void showContextMenu(const QPoint& position);

    RunHistory* m_history = nullptr;
    std::vector<std::int64_t> m_baseline;
    std::vector<std::int64_t> m_candidate;
    ConfirmFunction m_confirm;
    bool m_messageIsError = false;

    HistoryTableModel* m_model = nullptr;
    RunFilterProxy* m_proxy = nullptr;
    FilterDebouncer* m_debouncer = nullptr;
    QWidget* m_controls = nullptr; // everything but the message line: disabled without a store
    QComboBox* m_specCombo = nullptr;
    QLineEdit* m_labelEdit = nullptr;
    QComboBox* m_statusCombo = nullptr;
    QLabel* m_countLabel = nullptr;
    QLabel* m_messageLabel = nullptr;
    QTableView* m_table = nullptr;
    QPushButton* m_baselineButton = nullptr;
    QPushButton* m_candidateButton = nullptr;
    QToolButton* m_clearBaselineButton = nullptr;
    QToolButton* m_clearCandidateButton = nullptr;
    QToolButton* m_baselineLabelButton = nullptr;
    QToolButton* m_candidateLabelButton = nullptr;
    QLabel* m_baselineLabel = nullptr;
    QLabel* m_candidateLabel = nullptr;
    QPushButton* m_deleteButton = nullptr;
    QPushButton* m_compareButton = nullptr;
    QAction* m_deleteAction = nullptr;
    QAction* m_refreshAction = nullptr;
    JobTracker* m_jobs;
    QFileSystemWatcher* m_watcher;
    QTimer* m_watchDebounce;
};

} // namespace buildscope
