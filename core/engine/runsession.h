#pragma once

#include "engine/buildengine.h"
#include "report/reportfolder.h"
#include "run/exitcode.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace buildscope {

class LivePublisher;
class RunHistory;

struct RunSessionConfig
{
    BuildSpec spec;
    EngineOptions engine; // engine.labels: the user's labels (they win over detected ones)
    int repeat = 1;
    std::optional<std::filesystem::path> reportDirectory; // with repeat > 1: DIR/run-1, DIR/run-2, ...
    // Private: report folders 0700 and files 0600 (docs/REPORTS.md). The caller checks that
    // the folder may be written (runReportTargetProblem) before the session starts.
    ReportSharing reportSharing = ReportSharing::Private;
    RunHistory* history = nullptr; // not owned; nullptr: runs are not recorded
    bool publishLive = true; // publish on the live endpoint for viewers (Attach)
    std::string commandLine; // how the engine was started, shown in viewers' lists of live runs
};

// What the session did with one finished round.
struct RoundOutcome
{
    int index = 1;
    int count = 1;
    ExitCode exitCode = ExitOk;
    std::optional<std::int64_t> storedId; // the history's run id
    std::string storeError; // why the run is not (fully) stored; empty when it is
    std::optional<std::filesystem::path> report; // written report folder
    std::string reportError; // why the report could not be written
};

// Hooks for whoever shows a session (the CLI's console). Called on the thread that
// calls RunSession::run(), except logEntry(), which is called on the engine's threads
// as each line is logged.
class RunObserver
{
public:
    virtual ~RunObserver() = default;
    virtual void roundStarted(const BuildEngine&, int /*index*/, int /*count*/) { }
    virtual void progress(const BuildEngine&) { } // every 100 ms while a round runs
    virtual void roundFinished(const BuildEngine&, const RoundOutcome&) { }
    virtual void logEntry(const LogEntry&) { }
    virtual void warning(const std::string& /*message*/) { }
};

// One engine process's work, end to end: labels (git detection in one place, the user's
// labels win), N rounds of the spec, each recorded in the history as it goes, written
// as a report, published live; and the exit status. The CLI's `run` is a RunSession;
// the dashboard starts `buildscope run` and watches it, so nothing about a run is
// decided twice.
class RunSession
{
public:
    explicit RunSession(RunSessionConfig config);
    ~RunSession();
    RunSession(const RunSession&) = delete;
    RunSession& operator=(const RunSession&) = delete;

    // Labels every round carries: detected (git commit and branch of the context, host),
    // then the user's.
    const Labels& labels() const noexcept { return m_config.engine.labels; }
    // The live endpoint's socket, or empty when the run is not published (warned about).
    std::filesystem::path liveSocket() const;

    // Runs the rounds in turn on this thread. `stop` (set from a signal handler) cancels
    // the running round and skips the rest. Returns the exit status: the worst round's.
    ExitCode run(const std::atomic<bool>& stop, RunObserver& observer);

    // Report folders of an earlier --repeat that this one would not overwrite
    // (run-6 .. run-10 when repeating 5 times) are removed before the first round, so a
    // report folder never mixes runs of two sessions, when the folder's manifest lists
    // them (nothing BuildScope did not write is removed); their names, for a note.
    const std::vector<std::filesystem::path>& removedStaleReports() const noexcept { return m_removedStale; }

private:
    RoundOutcome runRound(int index, const std::atomic<bool>& stop, RunObserver& observer);
    void removeStaleRounds();

    RunSessionConfig m_config;
    std::unique_ptr<LivePublisher> m_publisher;
    std::string m_liveProblem;
    std::vector<std::filesystem::path> m_removedStale;
};

} // namespace buildscope
