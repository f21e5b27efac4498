#pragma once

#include "live/liveclient.h"
#include "memory/timeseriesstore.h"
#include "run/runprogress.h"
#include "run/runresult.h"
#include "spec/buildspec.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace buildscope {

struct LoadedReport;
class RunHistory;

// What the window shows after one refresh: values copied out of the run being watched
// (never pointers into its state), pulled once per tick.
struct RunUpdate
{
    std::optional<TimeSeriesStore::Snapshot> samples;
    std::vector<LogEntry> newLogEntries;
    std::vector<StepResult> steps; // the current run's steps; a running step ends at `nowSeconds`
    double nowSeconds = 0;
    std::vector<PoolStatistics> pools;
    std::vector<OperationStatistics> operations;
    // The run's ledger records so far, only when there are new ones, at most twice a second
    // while live (records only end, never change: a view keeps the last list it was given
    // until the next one or a restart). Shared: the list may hold tens of thousands.
    std::shared_ptr<const std::vector<ProcessRecord>> processes;
    // The processes running now (live only; a handful, so sent every tick): started, not
    // ended, their figures not known until they end.
    std::vector<ProcessRecord> runningProcesses;
    RunProgress progress;
    bool running = false;
    bool logRestarted = false; // a new run began: drop the old log rows
    // For a live run: the newest sample's age when this update was made (steady clock,
    // same machine), for the sample-to-screen latency figure. NaN when not live.
    double newestSampleAgeSeconds = std::numeric_limits<double>::quiet_NaN();
};

// Drives the dashboard's data. A run is always done by the engine, a process of its own:
// the dashboard starts `buildscope run` (Run, Run N Times) or attaches to one started
// elsewhere, and watches it through its live endpoint; it can also show a report folder
// or a stored run. One refresh timer (30 Hz by default) pulls the live mirror and emits
// one `refreshed` per tick; nothing is pushed per sample. Lives on the GUI thread.
class RunController : public QObject
{
    Q_OBJECT

public:
    explicit RunController(QObject* parent = nullptr);
    ~RunController() override;

    // Validates and keeps the spec; false and a message naming file:line:column on error.
    bool openSpec(const QString& path, QString* error);
    // Keeps a command to run (`buildscope run -- CMD ARGS`) instead of a spec.
    void setCommand(const QStringList& command, const QString& workingDirectory);
    // Reads a report directory; false and a message naming file and line on error. The
    // spec stays loaded (Run runs it again).
    bool openReport(const QString& directory, QString* error);
    // Shows a run loaded from the history (run `id`) like a report.
    bool showStoredRun(LoadedReport report, std::int64_t id, QString* error);

    // Runs started here are recorded in this store (the engine writes it).
    void setHistory(RunHistory* history) { m_history = history; }

    // Starts the engine on the spec or command; false and why when it cannot start.
    bool start(int repeat = 1, QString* error = nullptr);
    // Asks the engine to stop (as Ctrl-C does): it stops the build and keeps what it measured.
    void stop();
    // Watches a run started elsewhere (`buildscope run` in a terminal) through its socket.
    bool attach(const QString& socket, QString* error);
    // Stops watching (the run goes on).
    void detach();

    bool isRunning() const noexcept; // a watched run has not ended
    // The engine was started by this dashboard (closing asks whether to stop it).
    bool startedHere() const noexcept { return m_enginePid > 0 && isRunning(); }
    bool isAttached() const noexcept { return m_attached; }

    bool hasSpec() const noexcept { return m_spec.has_value(); }
    bool canRun() const noexcept { return m_spec.has_value() || !m_command.isEmpty(); }
    const BuildSpec* spec() const noexcept { return m_spec ? &*m_spec : nullptr; }
    QString specPath() const { return m_specPath; }
    // What is shown: the spec's, report's or stored run's name, for the window title.
    QString sourcePath() const { return m_sourcePath; }
    QString displayName() const { return m_displayName; }
    // The store being shown (live run or loaded report), or nullptr.
    const TimeSeriesStore* store() const noexcept;
    // Results of the runs finished in this session (the loaded report counts as one).
    const std::vector<RunResult>& finishedRuns() const noexcept { return m_finished; }
    // Spread of each step's wall time across the finished runs (for the timings chart).
    std::map<std::string, std::vector<double>> stepSpread() const;
    // Round of the watched run (1-based) and how many there are; 0 when not watching.
    int runIndex() const noexcept { return m_runIndex; }
    int runCount() const noexcept { return m_runCount; }

    void setRefreshHz(double hz);
    void setSampleHzOverride(std::optional<double> hz) { m_sampleHz = hz; }

signals:
    void refreshed(const buildscope::RunUpdate& update);
    void runStarted(int index, int count);
    void runFinished(int index, int count, const buildscope::RunResult& result);
    void allRunsFinished();
    // The engine could not run (bad store, missing program) or the connection broke.
    void engineFailed(const QString& message);
    // Kept for the window's status line: the engine reported a history problem.
    void historyFailed(const QString& message);
    // The engine vanished mid-run (its stream ended without `bye`: killed, crashed): the
    // run was last shown interrupted (no step or process running) and `message` says so,
    // with the time the engine was last heard from. Not a failure to run: no dialog.
    void engineLost(const QString& message);

private:
    void tick();
    void connectToEngine();
    void finishWatching(const QString& failure = {});
    RunUpdate collect(const live::LiveMirror::View& view);
    RunUpdate interruptedUpdate(const live::LiveMirror::View& view);
    bool showLoaded(LoadedReport report, const QString& source, const QString& name);

    std::optional<BuildSpec> m_spec;
    QString m_specPath;
    QStringList m_command;
    QString m_commandDirectory;
    QString m_sourcePath;
    QString m_displayName;
    RunHistory* m_history = nullptr;

    std::unique_ptr<live::LiveClient> m_client;
    std::shared_ptr<const TimeSeriesStore> m_liveStore;
    std::unique_ptr<TimeSeriesStore> m_loadedStore;
    qint64 m_enginePid = 0; // started here
    QString m_engineErrorFile;
    int m_connectAttempts = 0;
    bool m_attached = false;
    bool m_stopRequested = false;
    std::uint64_t m_generation = 0;
    bool m_generationEnded = false;
    std::uint64_t m_nextLog = 0;
    // The live run's ledger records as handed to the views, and when they last were.
    std::shared_ptr<const std::vector<ProcessRecord>> m_processes;
    QElapsedTimer m_processesAge;
    std::uint64_t m_heardMessages = 0; // messages applied when the engine was last heard from
    QDateTime m_lastHeard; // when the engine was last heard from (a message arrived)
    std::vector<RunResult> m_finished;
    std::optional<double> m_sampleHz;
    QTimer m_refresh;
    int m_runIndex = 0;
    int m_runCount = 0;
};

} // namespace buildscope
