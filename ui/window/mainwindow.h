#pragma once

#include "history/runhistory.h"
#include "report/reportreader.h"
#include "runview/runcontroller.h"

#include <QMainWindow>

class QAction;
class QDockWidget;
class QLabel;
class QSpinBox;
class QStackedWidget;
class QTableView;
class QTabWidget;

namespace buildscope {

class ChartPanel;
class CompareView;
class DocumentationWindow;
class HistoryPanel;
class JobTracker;
class LogPanel;
class NumericSortProxy;
class OperationTableModel;
class PoolTableModel;
class ProcessPanel;
class TrendsView;
class RecentFiles;
class StepTableModel;
class WelcomePanel;

// The dashboard: a welcome panel until something is open, then the charts of the running
// (or loaded) build in the middle and its steps, log and run history in docks below (the
// engine's pools and operations on demand), with the menus and toolbar of a desktop app.
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
    OperationTableModel& operationModel() noexcept { return *m_operationModel; }
    PoolTableModel& poolModel() noexcept { return *m_poolModel; }
    LogPanel& logPanel() noexcept { return *m_logPanel; }
    ProcessPanel& processPanel() noexcept { return *m_processPanel; }
    QTableView* stepView() const noexcept { return m_stepView; }
    QAction* runAction() const noexcept { return m_run; }
    QAction* stopAction() const noexcept { return m_stop; }
    QAction* copyAction() const noexcept { return m_copy; }
    QAction* findAction() const noexcept { return m_find; }
    QAction* refreshHistoryAction() const noexcept;
    HistoryPanel& historyPanel() noexcept { return *m_historyPanel; }
    CompareView& compareView() noexcept { return *m_compareView; }
    TrendsView& trendsView() noexcept { return *m_trendsView; }
    QTabWidget* centralTabs() const noexcept { return m_centralTabs; }
    WelcomePanel& welcomePanel() noexcept { return *m_welcome; }
    // The welcome panel is up: nothing was opened, run or attached to yet.
    bool showsWelcome() const;
    RunHistory* history() noexcept { return m_history.get(); }
    // The status line's text (the summary once runs ended).
    QString statusText() const;

    // Loads the runs in the background, then shows them in the Compare tab
    // (comparisonShown); false only when there is no history to load from.
    bool compareStoredRuns(
        const std::vector<std::int64_t>& base, const std::vector<std::int64_t>& candidate, QString* error = nullptr);

    // Exports without dialogs (used by the menu actions after asking for a place, and by tests).
    bool exportReportTo(const QString& directory, QString* error);
    // Edit > Copy for a table: its selected rows, with the header, as tab-separated text on
    // the clipboard (returned too).
    QString copyRows(QTableView* view);
    // Help > Documentation: the docs in a window (returned), or the online docs in the web
    // browser when none are installed here (nullptr).
    DocumentationWindow* showDocumentation();

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
    void showDashboard();
    void updateActions();
    void applyUpdate(const RunUpdate& update);
    void updateStatusBar(const RunUpdate& update);
    void showProcessesAt(double seconds);
    void showFinishedStatus();
    void showError(const QString& title, const QString& message);
    void chooseAndOpen();
    void runRepeated();
    void chooseAndRunCommand();
    void chooseAndAttach();
    void updateTitle();
    void exportReport();
    void exportChart(int chart);
    void copySelection();
    void find();
    void showAbout();
    void showPreferences();
    void openHistory();
    void setBaseline(const std::vector<std::int64_t>& ids);
    void openStoredRun(std::int64_t id);

    std::unique_ptr<RunHistory> m_history; // nullptr when the store cannot be opened
    RunController* m_controller;
    QStackedWidget* m_central;
    WelcomePanel* m_welcome = nullptr;
    QTabWidget* m_centralTabs;
    ChartPanel* m_charts;
    CompareView* m_compareView;
    TrendsView* m_trendsView;
    HistoryPanel* m_historyPanel;
    std::optional<LoadedReport> m_baseline; // overlaid on the live run's memory chart
    StepTableModel* m_stepModel;
    NumericSortProxy* m_stepProxy;
    OperationTableModel* m_operationModel;
    NumericSortProxy* m_operationProxy;
    PoolTableModel* m_poolModel;
    NumericSortProxy* m_poolProxy;
    LogPanel* m_logPanel;
    ProcessPanel* m_processPanel;
    QDockWidget* m_processDock = nullptr;
    JobTracker* m_compareJobs; // store reads off the GUI thread, one tracker per purpose
    JobTracker* m_loadJobs;
    JobTracker* m_baselineJobs;
    RecentFiles* m_recentFiles = nullptr;

    QTableView* m_stepView = nullptr;
    QTableView* m_operationView = nullptr;
    QTableView* m_poolView = nullptr;
    int m_shownStep = -1; // the running step the steps table last made room for
    QSpinBox* m_repeatCount = nullptr;
    QLabel* m_statusStep = nullptr;
    QString m_engineLost; // why the watched run is interrupted (its engine vanished); empty otherwise
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
    QAction* m_copy = nullptr;
    QAction* m_find = nullptr;
    QAction* m_allocationChart = nullptr;
    QAction* m_hitRateChart = nullptr;
    QAction* m_engineHeap = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_exportChartMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
};

} // namespace buildscope
