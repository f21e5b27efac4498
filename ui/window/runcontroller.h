#pragma once

#include "engine/buildengine.h"
#include "memory/timeseriesstore.h"
#include "spec/buildspec.h"

#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>
#include <optional>
#include <vector>

namespace buildscope {

struct LoadedReport;
class RunHistory;
class RunRecorder;

// What the window shows after one refresh: values copied out of the engine (never
// pointers into its state), pulled once per tick.
struct RunUpdate
{
    std::optional<TimeSeriesStore::Snapshot> samples;
    std::vector<LogEntry> newLogEntries;
    std::vector<StepResult> steps; // the current run's steps; a running step ends at `nowSeconds`
    double nowSeconds = 0;
    std::vector<PoolStatistics> pools;
    std::vector<OperationStatistics> operations;
    EngineProgress progress;
    bool running = false;
    bool logRestarted = false; // a new run began: drop the old log rows
};

// Drives the dashboard's data: runs a spec (possibly N times) on BuildEngine, or shows a
// report directory written by the CLI. One refresh timer (30 Hz by default) pulls the
// engine's store, log, progress and events and emits one `refreshed` per tick; nothing
// is pushed per sample. Lives on the GUI thread; the engine runs on its own thread.
class RunController : public QObject
{
    Q_OBJECT

public:
    explicit RunController(QObject* parent = nullptr);
    ~RunController() override;

    // Validates and keeps the spec; false and a message naming file:line:column on error.
    bool openSpec(const QString& path, QString* error);
    // Reads a report directory; false and a message naming file and line on error.
    bool openReport(const QString& directory, QString* error);
    // Shows a run from the history like a report.
    bool openStoredRun(std::int64_t id, QString* error);

    // Every run started here is recorded in `history` (not owned; nullptr: not recorded).
    void setHistory(RunHistory* history) { m_history = history; }

    void start(int repeat = 1);
    void stop();
    bool isRunning() const noexcept { return m_engine && !m_engine->isFinished(); }

    bool hasSpec() const noexcept { return m_spec.has_value(); }
    const BuildSpec* spec() const noexcept { return m_spec ? &*m_spec : nullptr; }
    QString sourcePath() const { return m_sourcePath; }
    // The store being shown (live run or loaded report), or nullptr.
    const TimeSeriesStore* store() const noexcept;
    // Results of the runs finished in this session (the loaded report counts as one).
    const std::vector<RunResult>& finishedRuns() const noexcept { return m_finished; }
    // Spread of each step's wall time across the finished runs (for the timings chart).
    std::map<std::string, std::vector<double>> stepSpread() const;

    void setRefreshHz(double hz);
    void setSampleHzOverride(std::optional<double> hz) { m_sampleHz = hz; }

signals:
    void refreshed(const buildscope::RunUpdate& update);
    void runStarted(int index, int count);
    void runFinished(int index, int count, const buildscope::RunResult& result);
    void allRunsFinished();
    // The history refused a write; the run goes on unrecorded.
    void historyFailed(const QString& message);

private:
    void tick();
    void startNextRun();
    RunUpdate collect();
    bool showLoaded(LoadedReport report, const QString& source);

    std::optional<BuildSpec> m_spec;
    QString m_sourcePath;
    std::unique_ptr<BuildEngine> m_engine;
    RunHistory* m_history = nullptr;
    std::unique_ptr<RunRecorder> m_recorder;
    std::vector<std::pair<std::string, std::string>> m_contextLabels; // git commit/branch and host, per spec
    std::unique_ptr<TimeSeriesStore> m_loadedStore;
    std::vector<RunResult> m_finished;
    std::optional<double> m_sampleHz;
    QTimer m_refresh;
    std::uint64_t m_nextLog = 0;
    int m_runIndex = 0;
    int m_runCount = 0;
    bool m_stopRequested = false;
    bool m_logRestarted = false;
};

} // namespace buildscope
