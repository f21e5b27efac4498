#pragma once

#include "context/ignorerules.h"
#include "engine/processledger.h"
#include "run/buildlog.h"
#include "run/runprogress.h"
#include "run/runresult.h"
#include "memory/sampler.h"
#include "spec/asflags.h"
#include "spec/buildspec.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace spdlog {
class logger;
}

namespace buildscope {

class BuildLogSink;
class ProcessTreeSource;

struct EngineOptions
{
    std::optional<double> sampleHz; // overrides the spec's sample_hz
    std::chrono::milliseconds killGrace {3000}; // SIGTERM to SIGKILL on timeout or cancel
    TimeSeriesStore::Config store;
    std::size_t logEntries = 20000;
    std::size_t logBytes = 8 * 1024 * 1024;
    std::vector<std::pair<std::string, std::string>> labels;
    // Called for every log entry (engine messages and build output) as it is logged, on
    // the engine's threads; it may block (the build then waits, as it would on a terminal).
    std::function<void(const LogEntry&)> onLogEntry;
    // The process ledger (docs/METRICS.md): every process of every step recorded with its
    // exact peak. Off for builds that trace their own children (strace, gdb).
    bool traceProcesses = true;
};

struct EngineEvent
{
    enum class Type
    {
        StepStarted,
        StepFinished,
        RunFinished
    };
    Type type = Type::StepStarted;
    int step = -1; // index into the spec's steps; -1 for RunFinished
    double seconds = 0; // on the run's clock
};


// Executes one run of a spec on a worker thread: steps in order, the sampler recording
// the engine's and the running step's memory, output into a bounded log. Readers on
// other threads pull: the sampler's store, the log, progress() and drainEvents() (a
// bounded queue of step started/finished events). One engine per run; one run at a time
// per process (pool and operation statistics are process-wide and reset per run).
class BuildEngine
{
public:
    explicit BuildEngine(BuildSpec spec, EngineOptions options = {});
    ~BuildEngine(); // cancels a running build and waits for it
    BuildEngine(const BuildEngine&) = delete;
    BuildEngine& operator=(const BuildEngine&) = delete;

    void start();
    // start() and wait(): for callers that need no live view.
    const RunResult& run();

    // Stops the running step (SIGTERM, then SIGKILL after the grace period) and skips the
    // rest; the result is kept with status "cancelled". Safe from any thread and from a
    // signal handler's flag-forwarding thread.
    void cancel() noexcept;
    bool cancelRequested() const noexcept { return m_cancel.load(std::memory_order_relaxed); }

    void wait();
    bool waitFor(std::chrono::milliseconds timeout);
    bool isFinished() const noexcept { return m_finished.load(std::memory_order_acquire); }

    const BuildSpec& spec() const noexcept { return m_spec; }
    const EngineOptions& options() const noexcept { return m_options; }
    // Wall-clock time of start(); valid from start() on, from any thread.
    std::chrono::system_clock::time_point startedAt() const noexcept { return m_startedAt; }
    const Sampler& sampler() const noexcept { return *m_sampler; }
    const TimeSeriesStore& store() const noexcept { return m_sampler->store(); }
    const BuildLog& log() const noexcept { return m_log; }
    RunProgress progress() const;
    std::size_t drainEvents(std::vector<EngineEvent>& out);

    // Valid once isFinished().
    const RunResult& result() const noexcept { return m_result; }

    // While running (any thread): copies of the steps' results so far (the running step
    // has its start time), and the pools' counters since the run started.
    std::vector<StepResult> stepResults() const;
    // While running (the thread that polls the engine): what a record of the run so far
    // holds — the steps, the running one ending now with its sampled peak so far, the
    // tree's and the engine's peaks so far, the pools. What the history keeps of a run
    // whose engine is killed.
    RunResult resultSoFar() const;
    // Process records that ended since the last call (for viewers), each with its step and key.
    std::size_t drainProcesses(std::vector<ProcessRecord>& out);
    // The processes of the running step that have started and not yet ended (their step and
    // key filled in; end, CPU and exit not yet known; peak only what the ledger last read),
    // in start order: who is running now, for viewers. At most kMaxRunningShown.
    std::vector<ProcessRecord> runningProcesses() const;
    static constexpr std::size_t kMaxRunningShown = 4096;
    std::vector<PoolStatistics> poolStatistics() const;

    static constexpr std::size_t kMaxQueuedEvents = 4096;

private:
    void execute();
    StepResult executeStep(std::size_t index);
    void runChecksum(const StepSpec& step, StepResult& result);
    void runTar(const StepSpec& step, StepResult& result);
    void runCommand(const StepSpec& step, StepResult& result);
    void runContainer(const StepSpec& step, StepResult& result);
    void runProcess(const StepSpec& step, std::vector<std::string> argv, int stdinFd, StepResult& result,
        const std::function<void()>& afterStart = {});
    // The container step's builder flags (build args, and a preset's protobuf packages
    // and files), as asFlags() renders them.
    BuildSettings containerBuildSettings() const;
    std::optional<std::string> variable(std::string_view name) const;
    void resolveEnvironment();
    std::vector<std::string> childEnvironment() const;
    std::string substitute(std::string_view text) const;
    void pushEvent(EngineEvent::Type type, int step);
    void setStepStatus(std::size_t index, StepStatus status);
    double seriesMax(const char* series, double begin, double end) const;

    BuildSpec m_spec;
    EngineOptions m_options;
    IgnoreRules m_ignoreRules;
    BuildLog m_log;
    LiveProcessSet m_liveProcesses; // the running step's processes, from the ledger; read by the sampler
    std::unique_ptr<Sampler> m_sampler;
    ProcessTreeSource* m_treeSource = nullptr; // owned by m_sampler
    std::shared_ptr<BuildLogSink> m_sink;
    std::shared_ptr<spdlog::logger> m_logger;
    std::string m_digest; // set by the checksum step
    std::string m_imageUri;
    std::vector<std::pair<std::string, std::string>> m_resolvedEnv; // the spec's env, substituted

    std::atomic<bool> m_cancel {false};
    std::atomic<bool> m_finished {false};
    std::thread m_thread;
    std::mutex m_finishedMutex;
    std::condition_variable m_finishedCondition;

    mutable std::mutex m_stateMutex; // progress and events
    RunProgress m_progress;
    std::deque<EngineEvent> m_events;
    std::vector<ProcessRecord> m_endedProcesses; // not yet drained by a viewer; bounded
    std::map<std::pair<pid_t, unsigned>, ProcessRecord> m_runningProcesses; // by pid and exec count

    RunResult m_result;
    std::chrono::system_clock::time_point m_startedAt;
    std::vector<PoolStatistics> m_poolsAtStart; // set before the worker starts
};

} // namespace buildscope
