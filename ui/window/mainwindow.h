#pragma once

#include "history/runhistory.h"
#include "report/reportreader.h"
#include "runview/runcontroller.h"

#include <QMainWindow>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableView;
class QTabWidget;

namespace buildscope {

class ChartPanel;
class CompareView;
class HistoryPanel;
class FilterDebouncer;
class JobTracker;
class LogFilterProxy;
class LogTableModel;
class NumericSortProxy;
class PoolTableModel;
class RecentFiles;
class StepFilterProxy;
class StepTableModel;

// The dashboard: charts of the running (or loaded) build in the middle, steps, pools
// and log in docks below, a toolbar to open, run, stop, repeat and export.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // A spec file, a folder holding buildscope.yaml, or a report folder (with run.json).
    // Errors are shown to the user and returned.
    bool openPath(const QString& path, QString* error = nullptr);
    // Runs and watches `command` (buildscope run -- COMMAND) in `directory`.
    bool runCommand(const QStringList& command, const QString& directory);
    // Watches a build that an engine publishes on `socket`.
    bool attachTo(const QString& socket, QString* error = nullptr);

    RunController& controller() noexcept { return *m_controller; }
    ChartPanel& charts() noexcept { return *m_charts; }
    StepTableModel& stepModel() noexcept { return *m_stepModel; }
    PoolTableModel& poolModel() noexcept { return *m_poolModel; }
    LogTableModel& logModel() noexcept { return *m_logModel; }
    QAction* runAction() const noexcept { return m_run; }
    QAction* stopAction() const noexcept { return m_stop; }
    HistoryPanel& historyPanel() noexcept { return *m_historyPanel; }
    CompareView& compareView() noexcept { return *m_compareView; }
    RunHistory* history() noexcept { return m_history.get(); }

    // Compares two sets of stored runs and shows the result in the Compare tab.
    // Loads the runs in the background, then shows them in the Compare tab
    // (comparisonShown); false only when there is no history to load from.
    bool compareStoredRuns(
        const std::vector<std::int64_t>& base, const std::vector<std::int64_t>& candidate, QString* error = nullptr);

    // Exports without dialogs (used by the menu actions after asking for a place, and by tests).
    bool exportReportTo(const QString& directory, QString* error);

signals:
    void comparisonShown();

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createDocks();
    void restoreSettings();
    void updateActions();
    void applyUpdate(const RunUpdate& update);
    void updateStatusBar(const RunUpdate& update);
    void showError(const QString& title, const QString& message);
    void chooseAndOpen();
    void runRepeated();
    void chooseAndRunCommand();
    void chooseAndAttach();
    void updateTitle();
    void exportReport();
    void exportChart(int chart);
    void showAbout();
    void showPreferences();
    void openHistory();
    void setBaseline(const std::vector<std::int64_t>& ids);
    void openStoredRun(std::int64_t id);

    std::unique_ptr<RunHistory> m_history; // nullptr when the store cannot be opened
    RunController* m_controller;
    QTabWidget* m_centralTabs;
    ChartPanel* m_charts;
    CompareView* m_compareView;
    HistoryPanel* m_historyPanel;
    std::optional<LoadedReport> m_baseline; // overlaid on the live run's memory chart
    StepTableModel* m_stepModel;
    StepFilterProxy* m_stepProxy;
    PoolTableModel* m_poolModel;
    NumericSortProxy* m_poolProxy;
    LogTableModel* m_logModel;
    LogFilterProxy* m_logProxy;
    FilterDebouncer* m_logFilterDebouncer;
    JobTracker* m_compareJobs; // store reads off the GUI thread, one tracker per purpose
    JobTracker* m_loadJobs;
    JobTracker* m_baselineJobs;
    RecentFiles* m_recentFiles = nullptr;

    QTableView* m_logView = nullptr;
    QCheckBox* m_followLog = nullptr;
    QSpinBox* m_repeatCount = nullptr;
    QLabel* m_statusStep = nullptr;
    QLabel* m_statusElapsed = nullptr;
    QLabel* m_statusRss = nullptr;

    QAction* m_open = nullptr;
    QAction* m_run = nullptr;
    QAction* m_runRepeated = nullptr;
    QAction* m_runCommand = nullptr;
    QAction* m_attach = nullptr;
    QAction* m_stop = nullptr;
    QAction* m_export = nullptr;
    QAction* m_compare = nullptr;
    QAction* m_followLive = nullptr;
    QAction* m_showOperations = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_exportChartMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
};

} // namespace buildscope
