#include "window/mainwindow.h"

#include "charts/chartpanel.h"
#include "charts/processtimelinechart.h"
#include "compare/compareview.h"
#include "compare/runcomparison.h"
#include "compare/runsetdescription.h"
#include "history/historypanel.h"
#include "history/historytablemodel.h"
#include "models/jobtracker.h"
#include "models/numberformat.h"
#include "models/numericsortproxy.h"
#include "models/operationrow.h"
#include "models/operationtablemodel.h"
#include "models/pooltablemodel.h"
#include "models/rowstext.h"
#include "models/steprow.h"
#include "models/steptablemodel.h"
#include "report/libraryversions.h"
#include "runview/runsummary.h"
#include "theme/appearance.h"
#include "trends/trendsview.h"
#include "window/attachdialog.h"
#include "window/documentationwindow.h"
#include "window/logpanel.h"
#include "window/preferencesdialog.h"
#include "window/processpanel.h"
#include "window/recentfiles.h"
#include "window/reportexporter.h"
#include "window/welcomepanel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QToolBar>
#include <algorithm>
#include <cmath>

// The icons live in a static library; referencing its resource initializer keeps the
// linker from dropping them.
static void initBuildScopeResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace buildscope {

namespace {

// Bump when the dock layout changes, so an old saved state is not applied to it.
constexpr int kWindowStateVersion = 3;
// The docks' first height: about ten table rows, the charts keep the rest.
constexpr int kDockHeight = 300;

const char* const kAllocationChart = "view/allocationRateChart";
const char* const kHitRateChart = "view/poolHitRateChart";
const char* const kEngineHeap = "view/engineHeapLine";

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent)
{
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->setSortingEnabled(true);
    view->setAlternatingRowColors(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    view->sortByColumn(-1, Qt::AscendingOrder); // the model's order (spec order) until the user sorts
    return view;
}

// Widens columns to what they hold now ("409.6 MiB (engine)"), never narrows them: a column
// the user widened stays so. A handful of rows: it costs nothing, a few times a run.
void growColumnsToContents(QTableView* view)
{
    const QAbstractItemView& asView = *view; // sizeHintForColumn() is public there
    const int columns = view->model()->columnCount();
    for (int column = 0; column + 1 < columns; ++column) { // the last one stretches
        const int wanted
            = std::max(asView.sizeHintForColumn(column), view->horizontalHeader()->sectionSizeHint(column));
        if (wanted > view->columnWidth(column))
            view->setColumnWidth(column, wanted);
    }
}

std::size_t seriesIndex(const TimeSeriesStore::Snapshot& snapshot, SeriesId id)
{
    const auto& names = snapshot.series();
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i].name == seriesName(id))
            return i;
    }
    return names.size();
}

QString seriesValueText(const TimeSeriesStore::Snapshot& snapshot, SeriesId id)
{
    const std::size_t index = seriesIndex(snapshot, id);
    if (index == snapshot.series().size())
        return {};
    std::vector<double> times;
    std::vector<double> values;
    const std::uint64_t count = snapshot.sampleCount();
    snapshot.copyRaw(count > 0 ? count - 1 : 0, index, times, values);
    return values.empty() ? QString() : bytesText(values.back());
}

double seriesMax(const TimeSeriesStore::Snapshot& snapshot, SeriesId id, double begin, double end)
{
    const std::size_t index = seriesIndex(snapshot, id);
    if (index == snapshot.series().size())
        return std::nan("");
    const TimeSeriesStore::Range range = snapshot.range(begin, end, 1);
    return range.buckets.empty() ? std::nan("") : range.maxAt(index, 0);
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_controller(new RunController(this))
    , m_central(new QStackedWidget(this))
    , m_centralTabs(new QTabWidget(this))
    , m_charts(new ChartPanel(this))
    , m_compareView(new CompareView(this))
    , m_trendsView(new TrendsView(this))
    , m_historyPanel(new HistoryPanel(this))
    , m_stepModel(new StepTableModel(this))
    , m_stepProxy(new NumericSortProxy(this))
    , m_operationModel(new OperationTableModel(this))
    , m_operationProxy(new NumericSortProxy(this))
    , m_poolModel(new PoolTableModel(this))
    , m_poolProxy(new NumericSortProxy(this))
    , m_logPanel(new LogPanel(this))
    , m_processPanel(new ProcessPanel(this))
    , m_compareJobs(new JobTracker(this))
    , m_loadJobs(new JobTracker(this))
    , m_baselineJobs(new JobTracker(this))
{
    initBuildScopeResources();
    setWindowTitle(tr("BuildScope"));
    setWindowIcon(QIcon(":/icons/buildscope.svg"));
    setAcceptDrops(true);
    m_centralTabs->setDocumentMode(true);
    m_centralTabs->addTab(m_charts, tr("Run"));
    m_centralTabs->addTab(m_compareView, tr("Compare"));
    m_centralTabs->addTab(m_trendsView, tr("Trends"));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

    m_stepProxy->setSourceModel(m_stepModel);
    m_operationProxy->setSourceModel(m_operationModel);
    m_poolProxy->setSourceModel(m_poolModel);

    createActions();
    createMenus();
    createToolBar();
    createDocks();

    m_welcome = new WelcomePanel(m_open, m_runCommand, m_attach, this);
    m_welcome->setRecentFiles(m_recentFiles->entries());
    connect(m_welcome, &WelcomePanel::openRecentRequested, this, [this](const QString& path) { openPath(path); });
    connect(
        m_recentFiles, &RecentFiles::changed, this, [this] { m_welcome->setRecentFiles(m_recentFiles->entries()); });
    m_central->addWidget(m_welcome);
    m_central->addWidget(m_centralTabs);
    setCentralWidget(m_central);

    m_statusStep = new QLabel(tr("Open a spec (buildscope.yaml) or a report folder, run a command, or attach to a "
                                 "running build"),
        this);
    m_statusElapsed = new QLabel(this);
    m_statusRss = new QLabel(this);
    statusBar()->addWidget(m_statusStep, 1);
    statusBar()->addPermanentWidget(m_statusElapsed);
    statusBar()->addPermanentWidget(m_statusRss);

    connect(m_controller, &RunController::refreshed, this, &MainWindow::applyUpdate);
    connect(m_controller, &RunController::runStarted, this, [this](int, int) {
        m_engineLost.clear();
        showDashboard();
        updateTitle();
        updateActions();
    });
    connect(m_controller, &RunController::engineFailed, this,
        [this](const QString& message) { showError(tr("The build could not run"), message); });
    // An engine lost mid-run: the run is interrupted, said in the status bar (the step
    // table, the charts and the Processes dock were given the interrupted state).
    connect(m_controller, &RunController::engineLost, this, [this](const QString& message) {
        m_engineLost = message;
        m_statusStep->setText(message);
        statusBar()->showMessage(message, 10000);
    });
    connect(m_controller, &RunController::runFinished, this, [this](int, int, const RunResult&) {
        m_charts->setStepSpread(m_controller->stepSpread());
        // The engine has recorded the run: show it in the history at once.
        m_historyPanel->refresh();
        m_trendsView->markStale();
    });
    connect(m_controller, &RunController::allRunsFinished, this, [this] {
        updateActions();
        updateTitle();
        showFinishedStatus();
    });
    connect(m_controller, &RunController::allRunsFinished, m_historyPanel, &HistoryPanel::refresh);
    connect(m_controller, &RunController::historyFailed, this,
        [this](const QString& message) { statusBar()->showMessage(message, 10000); });
    connect(m_historyPanel, &HistoryPanel::compareRequested, this,
        [this](std::vector<std::int64_t> base, std::vector<std::int64_t> candidate) {
            QString error;
            if (!compareStoredRuns(base, candidate, &error))
                showError(tr("Cannot compare"), error);
        });
    connect(m_historyPanel, &HistoryPanel::openRunRequested, this, &MainWindow::openStoredRun);
    connect(m_historyPanel, &HistoryPanel::baselineChanged, this, &MainWindow::setBaseline);
    connect(m_compareView, &CompareView::comparisonChanged, this, &MainWindow::comparisonShown);
    // A change picked in Trends opens Compare on the runs either side of it.
    connect(m_trendsView, &TrendsView::compareRequested, this,
        [this](std::vector<std::int64_t> base, std::vector<std::int64_t> candidate) {
            QString error;
            if (!compareStoredRuns(base, candidate, &error))
                showError(tr("Cannot compare"), error);
        });
    connect(m_charts, &ChartPanel::followLiveChanged, m_followLive, &QAction::setChecked);
    // A process picked in the table is outlined on the timeline, and a bar clicked there
    // is found in the table; hovering the charts names who was running then.
    connect(m_processPanel, &ProcessPanel::processSelected, m_charts->processTimeline(),
        &ProcessTimelineChart::setSelected);
    connect(m_charts->processTimeline(), &ProcessTimelineChart::processClicked, this,
        [this](pid_t pid, double startSeconds) {
            m_processDock->show();
            m_processDock->raise();
            m_processPanel->selectProcess(pid, startSeconds);
        });
    connect(m_charts, &ChartPanel::hovered, this, &MainWindow::showProcessesAt);

    openHistory();
    restoreSettings();
    m_controller->setRefreshHz(PreferencesDialog::refreshHz());
    if (const int hz = PreferencesDialog::sampleHzOverride(); hz > 0)
        m_controller->setSampleHzOverride(hz);
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    m_open = new QAction(QIcon(":/icons/open.svg"), tr("&Open…"), this);
    m_open->setObjectName(QStringLiteral("openAction"));
    m_open->setShortcut(QKeySequence::Open);
    m_open->setToolTip(tr("Open a buildscope.yaml spec or a report folder"));
    connect(m_open, &QAction::triggered, this, &MainWindow::chooseAndOpen);

    m_run = new QAction(QIcon(":/icons/run.svg"), tr("&Run"), this);
    m_run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_run->setToolTip(tr("Run the build"));
    connect(m_run, &QAction::triggered, this, [this] {
        m_controller->start(1);
        updateActions();
    });

    m_runCommand = new QAction(tr("Run a &Command…"), this);
    m_runCommand->setObjectName(QStringLiteral("runCommandAction"));
    m_runCommand->setToolTip(tr("Watch any build command (make -j8, ninja, cmake --build build) without a spec"));
    connect(m_runCommand, &QAction::triggered, this, &MainWindow::chooseAndRunCommand);

    m_attach = new QAction(tr("&Attach to a Running Build…"), this);
    m_attach->setObjectName(QStringLiteral("attachAction"));
    m_attach->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_attach->setToolTip(tr("Watch a build started in a terminal or an IDE"));
    connect(m_attach, &QAction::triggered, this, &MainWindow::chooseAndAttach);

    m_runRepeated = new QAction(QIcon(":/icons/repeat.svg"), tr("Run &N Times"), this);
    m_runRepeated->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_runRepeated->setToolTip(tr("Run the build several times, to see the spread across runs"));
    connect(m_runRepeated, &QAction::triggered, this, &MainWindow::runRepeated);

    m_stop = new QAction(QIcon(":/icons/stop.svg"), tr("&Stop"), this);
    m_stop->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_stop->setToolTip(tr("Stop the build: its processes are terminated, the run is kept as cancelled"));
    connect(m_stop, &QAction::triggered, this, [this] {
        m_controller->stop();
        statusBar()->showMessage(tr("Stopping the build…"), 5000);
    });

    m_export = new QAction(QIcon(":/icons/export.svg"), tr("&Export Report…"), this);
    m_export->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_export->setToolTip(tr("Write run.json and the CSV files of the run shown"));
    connect(m_export, &QAction::triggered, this, &MainWindow::exportReport);

    m_compare = new QAction(QIcon(":/icons/compare.svg"), tr("&Compare"), this);
    m_compare->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    m_compare->setToolTip(tr("Compare the baseline and candidate runs chosen in the History panel"));
    connect(m_compare, &QAction::triggered, this, [this] {
        const auto base = m_historyPanel->baselineRuns();
        const auto candidate = m_historyPanel->candidateRuns();
        if (base.empty() || candidate.empty()) {
            if (auto* dock = findChild<QDockWidget*>("historyDock")) {
                dock->show();
                dock->raise();
            }
            statusBar()->showMessage(tr("Choose a baseline and a candidate in the History panel first"), 6000);
            return;
        }
        QString error;
        if (!compareStoredRuns(base, candidate, &error))
            showError(tr("Cannot compare"), error);
    });

    m_followLive = new QAction(QIcon(":/icons/follow.svg"), tr("&Follow Live"), this);
    m_followLive->setCheckable(true);
    m_followLive->setChecked(true);
    m_followLive->setShortcut(QKeySequence(Qt::Key_F));
    m_followLive->setToolTip(tr("Keep the newest samples in view"));
    connect(m_followLive, &QAction::toggled, this, [this](bool on) { m_charts->setFollowLive(on); });

    m_copy = new QAction(tr("&Copy"), this);
    m_copy->setShortcut(QKeySequence::Copy);
    m_copy->setToolTip(tr("Copy the selected rows of a table, with its header, as tab-separated text"));
    connect(m_copy, &QAction::triggered, this, &MainWindow::copySelection);

    m_find = new QAction(tr("&Find…"), this);
    m_find->setShortcut(QKeySequence::Find);
    m_find->setToolTip(tr("Filter the log, or the run history when it has the focus"));
    connect(m_find, &QAction::triggered, this, &MainWindow::find);

    // Engine internals: shown on demand, remembered.
    QSettings settings;
    const auto toggle = [this, &settings](const QString& text, const char* key, auto apply) {
        auto* action = new QAction(text, this);
        action->setCheckable(true);
        action->setChecked(settings.value(key, false).toBool());
        apply(action->isChecked());
        connect(action, &QAction::toggled, this, [key, apply](bool on) {
            apply(on);
            QSettings().setValue(key, on);
        });
        return action;
    };
    m_allocationChart = toggle(tr("Engine &Allocation Rate"), kAllocationChart,
        [this](bool on) { m_charts->setChartShown(ChartPanel::Chart::AllocationRate, on); });
    m_hitRateChart = toggle(tr("Engine &Pool Hit Rates"), kHitRateChart,
        [this](bool on) { m_charts->setChartShown(ChartPanel::Chart::PoolHitRate, on); });
    m_engineHeap = toggle(tr("Engine &Heap Line"), kEngineHeap, [this](bool on) { m_charts->setEngineHeapShown(on); });
}

QAction* MainWindow::refreshHistoryAction() const noexcept
{
    return m_historyPanel->refreshAction();
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentFiles = new RecentFiles(m_recentMenu, this);
    connect(m_recentFiles, &RecentFiles::openRequested, this, [this](const QString& path) { openPath(path); });
    file->addSeparator();
    file->addAction(m_export);
    m_exportChartMenu = file->addMenu(tr("Export &Chart"));
    const std::pair<ChartPanel::Chart, QString> charts[]
        = {{ChartPanel::Chart::Memory, tr("&Memory…")}, {ChartPanel::Chart::StepTimings, tr("&Step Timings…")},
            {ChartPanel::Chart::AllocationRate, tr("Engine &Allocation Rate…")},
            {ChartPanel::Chart::PoolHitRate, tr("Engine &Pool Hit Rates…")}};
    for (const auto& [chart, label] : charts) {
        QAction* action = m_exportChartMenu->addAction(label);
        connect(action, &QAction::triggered, this, [this, chart] { exportChart(static_cast<int>(chart)); });
    }
    file->addSeparator();
    QAction* preferences = file->addAction(tr("&Preferences…"), this, &MainWindow::showPreferences);
    preferences->setMenuRole(QAction::PreferencesRole);
    preferences->setShortcut(QKeySequence::Preferences);
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setMenuRole(QAction::QuitRole);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_copy);
    edit->addSeparator();
    edit->addAction(m_find);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addAction(m_run);
    run->addAction(m_runRepeated);
    run->addAction(m_runCommand);
    run->addAction(m_stop);
    run->addSeparator();
    run->addAction(m_attach);
    run->addSeparator();
    run->addAction(m_compare);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addAction(m_followLive);
    // The history over commits needs no open run: reachable from the welcome panel too.
    QAction* trends = m_viewMenu->addAction(tr("&Trends Over Commits"), this, [this] {
        showDashboard();
        m_centralTabs->setCurrentWidget(m_trendsView);
    });
    trends->setObjectName(QStringLiteral("trendsAction"));
    trends->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    trends->setToolTip(tr("A step's or command's figures over the stored runs, in commit order, with the changes"));
    QAction* refresh = m_historyPanel->refreshAction();
    refresh->setShortcutContext(Qt::WindowShortcut); // F5 from anywhere in the window, as the menu says
    m_viewMenu->addAction(refresh);
    m_viewMenu->addSeparator();
    QMenu* engine = m_viewMenu->addMenu(tr("&Engine Internals"));
    engine->setToolTipsVisible(true);
    engine->addAction(m_allocationChart);
    engine->addAction(m_hitRateChart);
    engine->addAction(m_engineHeap);
    m_viewMenu->addSeparator();

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* documentation = help->addAction(tr("BuildScope &Documentation"), this, [this] { showDocumentation(); });
    documentation->setShortcut(QKeySequence::HelpContents);
    help->addSeparator();
    QAction* about = help->addAction(tr("&About BuildScope"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    QAction* aboutQt = help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    aboutQt->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::createToolBar()
{
    QToolBar* toolBar = addToolBar(tr("Main"));
    toolBar->setObjectName("mainToolBar");
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addAction(m_open);
    toolBar->addSeparator();
    toolBar->addAction(m_run);
    toolBar->addAction(m_stop);
    toolBar->addAction(m_runRepeated);
    m_repeatCount = new QSpinBox(toolBar);
    m_repeatCount->setRange(2, 100);
    m_repeatCount->setPrefix(tr("× "));
    m_repeatCount->setToolTip(tr("How many runs \"Run N Times\" makes"));
    m_repeatCount->setValue(QSettings().value("run/repeat", 5).toInt());
    toolBar->addWidget(m_repeatCount);
    toolBar->addSeparator();
    toolBar->addAction(m_export);
    toolBar->addAction(m_compare);
    toolBar->addAction(m_followLive);
}

void MainWindow::createDocks()
{
    auto addDock = [this](const QString& title, const QString& name, QWidget* content) {
        auto* dock = new QDockWidget(title, this);
        dock->setObjectName(name);
        dock->setWidget(content);
        addDockWidget(Qt::BottomDockWidgetArea, dock);
        m_viewMenu->addAction(dock->toggleViewAction());
        return dock;
    };

    m_stepView = makeTable(m_stepProxy, this);
    QDockWidget* steps = addDock(tr("Steps"), "stepsDock", m_stepView);
    m_processDock = addDock(tr("Processes"), "processesDock", m_processPanel);
    QDockWidget* log = addDock(tr("Log"), "logDock", m_logPanel);
    QDockWidget* history = addDock(tr("History"), "historyDock", m_historyPanel);
    // The engine's own cost: a tab away, not in the way of the build's.
    m_operationView = makeTable(m_operationProxy, this);
    QDockWidget* operations = addDock(tr("Engine Operations"), "operationsDock", m_operationView);
    m_poolView = makeTable(m_poolProxy, this);
    QDockWidget* pools = addDock(tr("Engine Pools"), "poolsDock", m_poolView);

    tabifyDockWidget(steps, m_processDock);
    tabifyDockWidget(m_processDock, log);
    tabifyDockWidget(log, history);
    tabifyDockWidget(history, operations);
    tabifyDockWidget(operations, pools);
    steps->raise();
    // Tall enough for ten rows of any table (a saved layout overrides this); the charts,
    // which are the point of the window, keep the rest and can be made smaller by dragging.
    resizeDocks({steps}, {kDockHeight}, Qt::Vertical);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value("window/geometry").toByteArray()))
        resize(1440, 960);
    restoreState(settings.value("window/state").toByteArray(), kWindowStateVersion);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // A build started here runs in its own engine process: quitting may leave it running
    // (its report and history entry are written all the same). Attached builds go on.
    if (m_controller->startedHere()) {
        QMessageBox box(QMessageBox::Question, tr("Stop the build?"),
            tr("A build started from this window is running."), QMessageBox::NoButton, this);
        box.setInformativeText(tr("Stop it (its processes are terminated and the run is kept as cancelled), or "
                                  "leave it running: its report and its history entry are written when it ends."));
        QPushButton* stopButton = box.addButton(tr("Stop the Build"), QMessageBox::DestructiveRole);
        QPushButton* leaveButton = box.addButton(tr("Leave It Running"), QMessageBox::AcceptRole);
        box.addButton(QMessageBox::Cancel);
        box.setDefaultButton(leaveButton);
        if (QApplication::platformName() == "offscreen") {
            m_controller->stop(); // tests and headless runs: never block, never leave a build behind
        } else {
            box.exec();
            if (box.clickedButton() == stopButton) {
                m_controller->stop();
            } else if (box.clickedButton() != leaveButton) {
                event->ignore();
                return;
            }
        }
    }
    m_controller->detach();
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState(kWindowStateVersion));
    settings.setValue("run/repeat", m_repeatCount->value());
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().size() == 1
        && event->mimeData()->urls().front().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QString path = event->mimeData()->urls().front().toLocalFile();
    event->acceptProposedAction();
    openPath(path);
}

void MainWindow::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        m_stepModel->paletteChanged();
        m_operationModel->paletteChanged();
        m_poolModel->paletteChanged();
        m_logPanel->paletteChanged();
    }
    QMainWindow::changeEvent(event);
}

bool MainWindow::showsWelcome() const
{
    return m_central->currentWidget() == m_welcome;
}

QString MainWindow::statusText() const
{
    return m_statusStep->text();
}

void MainWindow::showDashboard()
{
    m_central->setCurrentWidget(m_centralTabs);
}

bool MainWindow::openPath(const QString& path, QString* error)
{
    QString message;
    bool opened = false;
    const QFileInfo info(path);
    if (info.isDir() && QFileInfo::exists(QDir(path).filePath("run.json"))) {
        opened = m_controller->openReport(path, &message);
    } else if (info.isDir() && QFileInfo::exists(QDir(path).filePath("buildscope.yaml"))) {
        return openPath(QDir(path).filePath("buildscope.yaml"), error);
    } else if (info.isDir()) {
        message = tr("%1 holds neither a buildscope.yaml nor a report (run.json)").arg(QDir::toNativeSeparators(path));
    } else {
        opened = m_controller->openSpec(path, &message);
    }
    if (!opened) {
        if (error)
            *error = message;
        showError(tr("Cannot open %1").arg(info.fileName()), message);
        return false;
    }
    m_recentFiles->add(info.absoluteFilePath());
    setWindowFilePath(info.absoluteFilePath());
    showDashboard();
    m_centralTabs->setCurrentWidget(m_charts);
    updateTitle();
    if (m_controller->finishedRuns().empty())
        m_statusStep->setText(tr("Ready to run %1").arg(info.fileName()));
    else
        showFinishedStatus(); // a report: what it holds
    updateActions();
    return true;
}

void MainWindow::chooseAndOpen()
{
    QFileDialog dialog(this, tr("Open a spec or a report folder"));
    dialog.setFileMode(QFileDialog::ExistingFile);
    dialog.setNameFilters({tr("BuildScope specs (*.yaml *.yml)"), tr("Report (run.json)"), tr("All files (*)")});
    dialog.setDirectory(QSettings().value("dialogs/lastDirectory", QDir::homePath()).toString());
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return;
    QString path = dialog.selectedFiles().front();
    QSettings().setValue("dialogs/lastDirectory", QFileInfo(path).absolutePath());
    if (QFileInfo(path).fileName() == "run.json")
        path = QFileInfo(path).absolutePath(); // a report is opened by its folder
    openPath(path);
}

void MainWindow::runRepeated()
{
    m_controller->start(m_repeatCount->value());
    updateActions();
}

void MainWindow::chooseAndRunCommand()
{
    bool ok = false;
    const QString line = QInputDialog::getText(this, tr("Run a Command"),
        tr("Command to run and watch (each process it starts is measured):"), QLineEdit::Normal,
        QSettings().value("run/lastCommand", QStringLiteral("make -j%1").arg(QThread::idealThreadCount())).toString(),
        &ok);
    if (!ok || line.trimmed().isEmpty())
        return;
    const QStringList command = QProcess::splitCommand(line);
    if (command.isEmpty())
        return;
    const QString directory = QFileDialog::getExistingDirectory(this, tr("Run it in"),
        QSettings().value("run/lastCommandDirectory", QDir::currentPath()).toString());
    if (directory.isEmpty())
        return;
    QSettings().setValue("run/lastCommand", line);
    QSettings().setValue("run/lastCommandDirectory", directory);
    runCommand(command, directory);
}

bool MainWindow::runCommand(const QStringList& command, const QString& directory)
{
    showDashboard();
    m_centralTabs->setCurrentWidget(m_charts);
    m_controller->setCommand(command, directory);
    updateTitle();
    updateActions();
    QString error;
    if (!m_controller->start(1, &error))
        return false;
    updateActions();
    return true;
}

void MainWindow::chooseAndAttach()
{
    AttachDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted || dialog.socket().isEmpty())
        return;
    attachTo(dialog.socket());
}

bool MainWindow::attachTo(const QString& socket, QString* error)
{
    QString message;
    if (!m_controller->attach(socket, &message)) {
        if (error)
            *error = message;
        showError(tr("Cannot attach"), message);
        return false;
    }
    showDashboard();
    m_centralTabs->setCurrentWidget(m_charts);
    updateActions();
    return true;
}

void MainWindow::updateTitle()
{
    QString title = m_controller->displayName();
    if (m_controller->isRunning() && m_controller->runCount() > 1)
        title = tr("[%1/%2] %3").arg(m_controller->runIndex()).arg(m_controller->runCount()).arg(title);
    setWindowTitle(title.isEmpty() ? tr("BuildScope") : tr("%1 — BuildScope").arg(title));
}

void MainWindow::updateActions()
{
    const bool running = m_controller->isRunning();
    m_run->setEnabled(m_controller->canRun() && !running);
    m_runRepeated->setEnabled(m_controller->canRun() && !running);
    m_runCommand->setEnabled(!running);
    m_attach->setEnabled(!running);
    m_stop->setEnabled(running);
    m_open->setEnabled(!running);
    m_recentMenu->setEnabled(!running);
    const bool haveData = !running && !m_controller->finishedRuns().empty();
    m_export->setEnabled(haveData);
    m_exportChartMenu->setEnabled(m_controller->store() != nullptr);
}

void MainWindow::applyUpdate(const RunUpdate& update)
{
    if (update.logRestarted) {
        m_charts->clear();
        m_logPanel->clear();
        if (!update.processes)
            m_processPanel->clear();
        if (update.samples)
            m_charts->setSeries(update.samples->series());
        if (!m_controller->isRunning())
            m_charts->setStepSpread(m_controller->stepSpread());
    }
    if (update.samples)
        m_charts->appendSnapshot(*update.samples);
    m_charts->setSteps(update.steps, update.nowSeconds);

    std::vector<std::vector<StepResult>> runs;
    for (const RunResult& run : m_controller->finishedRuns())
        runs.push_back(run.steps);
    if (update.running || runs.empty())
        runs.push_back(update.steps);
    m_stepModel->setRows(stepRowsFromRuns(runs));
    m_operationModel->setRows(operationRows(update.operations));
    m_poolModel->setPools(update.pools);
    m_logPanel->appendEntries(update.newLogEntries);
    if (update.processes) {
        m_processPanel->setProcesses(update.processes);
        m_charts->setProcesses(*update.processes);
    }
    m_charts->setRunningProcesses(update.runningProcesses, update.nowSeconds);
    m_processPanel->setRunningCount(update.runningProcesses.size());
    if (update.logRestarted || update.progress.currentStep != m_shownStep) {
        // A step ended (its figures are final) or a run began: make room for the figures.
        m_shownStep = update.progress.currentStep;
        growColumnsToContents(m_stepView);
    }
    updateStatusBar(update);
}

void MainWindow::updateStatusBar(const RunUpdate& update)
{
    const RunProgress& progress = update.progress;
    if (update.running && progress.currentStep >= 0
        && static_cast<std::size_t>(progress.currentStep) < update.steps.size()) {
        const StepResult& step = update.steps[static_cast<std::size_t>(progress.currentStep)];
        QString text = tr("Running %1 (step %2 of %3)")
                           .arg(QString::fromStdString(step.name))
                           .arg(progress.currentStep + 1)
                           .arg(progress.steps.size());
        if (m_controller->runCount() > 1) {
            text = tr("Run %1 of %2: %3").arg(m_controller->runIndex()).arg(m_controller->runCount()).arg(text);
            std::vector<double> durations;
            for (const RunResult& run : m_controller->finishedRuns())
                durations.push_back(run.durationSeconds());
            if (const auto left = estimateSecondsLeft(
                    durations, m_controller->runIndex(), m_controller->runCount(), progress.elapsedSeconds))
                text += QStringLiteral(" \u00b7 ") + timeLeftText(*left);
        }
        if (m_controller->isAttached())
            text += tr(" \u2014 attached");
        m_statusStep->setText(text);
    }
    m_statusElapsed->setText(durationText(progress.elapsedSeconds));
    if (update.samples && update.running && progress.currentStep >= 0) {
        const QString current = seriesValueText(*update.samples, SeriesId::TreeRss);
        const double peak = seriesMax(*update.samples, SeriesId::TreeRss, progress.stepStartSeconds, update.nowSeconds);
        m_statusRss->setText(tr("tree RSS %1  peak %2").arg(current.isEmpty() ? tr("n/a") : current, bytesText(peak)));
    }
    if (!update.running)
        showFinishedStatus();
}

void MainWindow::showProcessesAt(double seconds)
{
    const ProcessTimelineChart& timeline = *m_charts->processTimeline();
    const std::vector<const ProcessRecord*> alive = timeline.aliveAt(seconds);
    if (alive.empty()) {
        statusBar()->clearMessage();
        return;
    }
    // The hungriest few by name: the status bar is one line.
    constexpr std::size_t kNamed = 3;
    QStringList named;
    for (std::size_t i = 0; i < std::min(kNamed, alive.size()); ++i) {
        if (timeline.isRunning(alive[i])) {
            named << tr("%1 (running)").arg(QString::fromStdString(alive[i]->key));
            continue;
        }
        named << tr("%1 %2%3")
                     .arg(QString::fromStdString(alive[i]->key),
                         alive[i]->peakExact ? QString() : QStringLiteral("~"),
                         bytesText(static_cast<double>(alive[i]->peakRssBytes)));
    }
    QString text = alive.size() == 1 ? tr("At %1: 1 process running").arg(durationText(seconds))
                                     : tr("At %1: %2 processes running").arg(durationText(seconds)).arg(alive.size());
    text += QStringLiteral(" \u2014 ") + named.join(QStringLiteral(", "));
    if (alive.size() > kNamed)
        text += tr(", …");
    statusBar()->showMessage(text + tr(" (peak RSS of each)"), 5000);
}

void MainWindow::showFinishedStatus()
{
    const std::vector<RunResult>& runs = m_controller->finishedRuns();
    if (!m_engineLost.isEmpty()) {
        m_statusStep->setText(m_engineLost); // the last round did not finish: say so, not the others' summary
        return;
    }
    if (runs.empty())
        return;
    m_statusStep->setText(summarizeRuns(runs));
    m_statusRss->setText(tr("peak tree RSS %1").arg(bytesText(static_cast<double>(runs.back().treePeakRssBytes))));
    // The figures are final: make room for them.
    for (QTableView* view : {m_stepView, m_operationView, m_poolView})
        growColumnsToContents(view);
}

QString MainWindow::copyRows(QTableView* view)
{
    if (!view || !view->model() || !view->selectionModel())
        return {};
    QList<int> rows;
    for (const QModelIndex& index : view->selectionModel()->selectedRows())
        rows << index.row();
    std::sort(rows.begin(), rows.end()); // the order the table shows them in
    if (rows.isEmpty())
        return {};
    const QString text = rowsAsText(*view->model(), rows);
    QGuiApplication::clipboard()->setText(text);
    statusBar()->showMessage(rows.size() == 1 ? tr("Copied 1 row") : tr("Copied %1 rows").arg(rows.size()), 3000);
    return text;
}

void MainWindow::copySelection()
{
    QWidget* focus = QApplication::focusWidget();
    if (auto* edit = qobject_cast<QLineEdit*>(focus)) {
        edit->copy(); // a filter box: its text, as anywhere else
        return;
    }
    for (QWidget* widget = focus; widget; widget = widget->parentWidget()) {
        if (auto* view = qobject_cast<QTableView*>(widget)) {
            copyRows(view);
            return;
        }
    }
}

void MainWindow::find()
{
    // In the history, find a run by its labels; in the processes, a command; anywhere
    // else, a line of the log.
    for (QWidget* widget = QApplication::focusWidget(); widget; widget = widget->parentWidget()) {
        if (widget == m_historyPanel) {
            m_historyPanel->labelFilterEdit()->setFocus(Qt::ShortcutFocusReason);
            m_historyPanel->labelFilterEdit()->selectAll();
            return;
        }
        if (widget == m_processPanel) {
            m_processPanel->focusFilter();
            return;
        }
    }
    if (auto* dock = findChild<QDockWidget*>("logDock")) {
        dock->show();
        dock->raise();
    }
    m_logPanel->focusFilter();
}

DocumentationWindow* MainWindow::showDocumentation()
{
    const QString index = DocumentationWindow::findIndex();
    if (index.isEmpty()) {
        QDesktopServices::openUrl(DocumentationWindow::onlineDocumentation());
        return nullptr;
    }
    auto* window = new DocumentationWindow(index, this);
    window->show();
    return window;
}

void MainWindow::showError(const QString& title, const QString& message)
{
    QMessageBox box(QMessageBox::Warning, title, title, QMessageBox::Ok, this);
    box.setInformativeText(message);
    if (QApplication::platformName() == "offscreen")
        return; // tests and headless smoke runs: never block on a modal box
    box.exec();
}

bool MainWindow::exportReportTo(const QString& directory, QString* error)
{
    if (m_controller->finishedRuns().empty() || !m_controller->store()) {
        if (error)
            *error = tr("There is no finished run to export.");
        return false;
    }
    return ReportExporter::exportReport(
        m_controller->finishedRuns().back(), m_controller->store()->snapshot(), directory, error);
}

void MainWindow::exportReport()
{
    const QString directory = QFileDialog::getExistingDirectory(
        this, tr("Export the report into"), QSettings().value("dialogs/exportDirectory", QDir::homePath()).toString());
    if (directory.isEmpty())
        return;
    QSettings().setValue("dialogs/exportDirectory", directory);
    QString error;
    if (!exportReportTo(directory, &error))
        showError(tr("Export failed"), error);
    else
        statusBar()->showMessage(tr("Report written to %1").arg(QDir::toNativeSeparators(directory)), 5000);
}

void MainWindow::exportChart(int chart)
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Export chart"),
        QSettings().value("dialogs/exportDirectory", QDir::homePath()).toString(),
        tr("PNG image (*.png);;PDF document (*.pdf)"));
    if (file.isEmpty())
        return;
    QString error;
    if (!ReportExporter::exportChart(m_charts->plot(static_cast<ChartPanel::Chart>(chart)), file, &error))
        showError(tr("Export failed"), error);
    else
        statusBar()->showMessage(tr("Chart written to %1").arg(QDir::toNativeSeparators(file)), 5000);
}

void MainWindow::showAbout()
{
    QString libraries;
    for (const auto& [name, version] : libraryVersions())
        libraries
            += QStringLiteral("<tr><td>%1</td><td>%2</td></tr>")
                   .arg(QString::fromStdString(name).toHtmlEscaped(), QString::fromStdString(version).toHtmlEscaped());
    QMessageBox::about(this, tr("About BuildScope"),
        tr("<h3>BuildScope %1</h3>"
           "<p>Runs builds and shows, live and afterwards, what they cost in memory.</p>"
           "<p>License: GPL-3.0-or-later. Charts by QCustomPlot (GPLv3).</p>"
           "<table>%2</table>")
            .arg(QString::fromStdString(buildscopeVersion()), libraries));
}

void MainWindow::openHistory()
{
    try {
        auto history = std::make_unique<RunHistory>(PreferencesDialog::storePath());
        m_historyPanel->setHistory(history.get());
        m_controller->setHistory(history.get());
        m_trendsView->setStore(history->file());
        m_history = std::move(history); // the old store (if any) is let go only once nothing points at it
    } catch (const HistoryError& error) {
        // The dashboard still works without its history: say why it is off.
        m_controller->setHistory(nullptr);
        m_historyPanel->setHistoryUnavailable(QString::fromStdString(error.what()));
        m_trendsView->setStore({});
        m_history.reset();
    }
}

namespace {

// Loaded off the GUI thread, with a store connection of the job's own.
struct LoadedRuns
{
    std::vector<LoadedReport> base;
    std::vector<LoadedReport> candidate;
    std::string error;
};

} // namespace

bool MainWindow::compareStoredRuns(
    const std::vector<std::int64_t>& base, const std::vector<std::int64_t>& candidate, QString* error)
{
    if (!m_history) {
        if (error)
            *error = tr("The run history is not available.");
        return false;
    }
    statusBar()->showMessage(tr("Loading %1 runs to compare…").arg(base.size() + candidate.size()));
    // Named now, from the listing the user picked them in.
    const std::vector<RunRecord>& listed = m_historyPanel->model()->runs();
    const QString baseName = describeRunSet(base, listed);
    const QString candidateName = describeRunSet(candidate, listed);
    const std::filesystem::path file = m_history->file();
    m_compareJobs->run<LoadedRuns>(
        [file, base, candidate] {
            // A comparison needs the runs' results; only the two runs the overlay draws
            // (the median-duration run of each side) need their samples.
            LoadedRuns loaded;
            try {
                const RunHistory history(file);
                auto loadSide = [&](const std::vector<std::int64_t>& ids, std::vector<LoadedReport>& runs) {
                    for (std::int64_t id : ids)
                        runs.push_back(LoadedReport {{}, history.loadResult(id), {}});
                    if (const int median = CompareView::medianDurationRun(runs); median >= 0)
                        runs[static_cast<std::size_t>(median)].samples
                            = history.load(ids[static_cast<std::size_t>(median)]).samples;
                };
                loadSide(base, loaded.base);
                loadSide(candidate, loaded.candidate);
            } catch (const std::exception& failure) {
                loaded.error = failure.what();
            }
            return loaded;
        },
        [this, baseName, candidateName](LoadedRuns loaded) {
            statusBar()->clearMessage();
            if (!loaded.error.empty()) {
                showError(tr("Cannot compare"), QString::fromStdString(loaded.error));
                return;
            }
            // The view compares them (in the background too) and says comparisonChanged.
            m_compareView->setRuns(std::move(loaded.base), std::move(loaded.candidate), baseName, candidateName);
            showDashboard();
            m_centralTabs->setCurrentWidget(m_compareView);
        });
    return true;
}

void MainWindow::openStoredRun(std::int64_t id)
{
    if (!m_history)
        return;
    const std::filesystem::path file = m_history->file();
    m_loadJobs->run<LoadedRuns>(
        [file, id] {
            LoadedRuns loaded;
            try {
                loaded.base.push_back(RunHistory(file).load(id));
            } catch (const std::exception& failure) {
                loaded.error = failure.what();
            }
            return loaded;
        },
        [this, id](LoadedRuns loaded) {
            QString error = QString::fromStdString(loaded.error);
            if (error.isEmpty() && m_controller->showStoredRun(std::move(loaded.base.front()), id, &error)) {
                updateTitle();
                showDashboard();
                m_centralTabs->setCurrentWidget(m_charts);
                updateActions();
            } else {
                showError(tr("Cannot open run %1").arg(id), error);
            }
        });
}

void MainWindow::setBaseline(const std::vector<std::int64_t>& ids)
{
    m_charts->setBaseline(nullptr, {});
    m_baseline.reset();
    if (ids.empty() || !m_history) {
        m_baselineJobs->cancel();
        return;
    }
    const std::filesystem::path file = m_history->file();
    m_baselineJobs->run<LoadedRuns>(
        [file, ids] {
            LoadedRuns loaded;
            try {
                const RunHistory history(file);
                for (std::int64_t id : ids)
                    loaded.base.push_back(LoadedReport {{}, history.loadResult(id), {}});
                // The run of median duration stands for the set, as in the Compare view.
                const int median = std::max(0, CompareView::medianDurationRun(loaded.base));
                LoadedReport chosen = history.load(ids[static_cast<std::size_t>(median)]);
                loaded.base = {std::move(chosen)};
            } catch (const std::exception& failure) {
                loaded.error = failure.what();
            }
            return loaded;
        },
        [this](LoadedRuns loaded) {
            if (!loaded.error.empty()) {
                statusBar()->showMessage(QString::fromStdString(loaded.error), 10000);
                return;
            }
            m_baseline = std::move(loaded.base.front());
            m_charts->setBaseline(&m_baseline->samples, m_baseline->result.steps);
        });
}

void MainWindow::showPreferences()
{
    PreferencesDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    applyAppearance(PreferencesDialog::appearance());
    m_controller->setRefreshHz(PreferencesDialog::refreshHz());
    const int hz = PreferencesDialog::sampleHzOverride();
    m_controller->setSampleHzOverride(hz > 0 ? std::optional<double>(hz) : std::nullopt);
    if (!m_history || PreferencesDialog::storePath() != m_history->file()) {
        if (m_controller->isRunning()) {
            statusBar()->showMessage(tr("The new run history is used once the build ends"), 8000);
            connect(m_controller, &RunController::allRunsFinished, this, &MainWindow::openHistory,
                Qt::SingleShotConnection);
        } else {
            openHistory();
        }
    }
}

} // namespace buildscope
