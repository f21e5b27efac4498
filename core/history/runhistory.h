#pragma once

#include "run/buildlog.h"
#include "run/runresult.h"
#include "history/historyerror.h"
#include "history/runfilter.h"
#include "history/runmetrics.h"
#include "history/runrecord.h"
#include "report/reportreader.h"
#include "run/sampletable.h"
#include "spec/buildspec.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace buildscope {

// The run history: every run BuildScope recorded or imported, in one SQLite file
// (docs/HISTORY.md describes the schema and the fault behaviour). A run is recorded live
// (beginRun, appendSamples about once a second, finishRun), so a run whose process dies
// keeps what was flushed and shows as "interrupted" the next time the store is opened.
//
// Each instance owns its own database connection and must be used from one thread.
// Every failure throws HistoryError naming the store file; nothing is ever written to a
// store that is corrupt, read-only or written by a newer BuildScope.
class RunHistory
{
public:
    // $BUILDSCOPE_STORE if set, else <AppDataLocation>/history.sqlite
    // (~/.local/share/BuildScope/BuildScope/history.sqlite on Linux).
    static std::filesystem::path defaultPath();

    // Opens the store, creating it (and its directory) if it does not exist, and brings its
    // schema up to date. A store this user may not write is opened read-only: reads work,
    // writes throw HistoryError saying so.
    explicit RunHistory(const std::filesystem::path& file);
    ~RunHistory();
    RunHistory(RunHistory&&) noexcept;
    RunHistory& operator=(RunHistory&&) noexcept;
    RunHistory(const RunHistory&) = delete;
    RunHistory& operator=(const RunHistory&) = delete;

    // --- recording ---
    // Writes the run's row now, with status "running", this process's pid and hostname.
    std::int64_t beginRun(const BuildSpec& spec, const std::vector<std::pair<std::string, std::string>>& labels,
        std::chrono::system_clock::time_point startedAt);
    // Appends rows recorded since the last flush and commits them, so they survive the
    // process being killed. Every call must carry the same series and max columns.
    void appendSamples(std::int64_t runId, const SampleTable& rows);
    // The same, plus the run's steps, pools and operations so far and its peaks so far,
    // in one transaction: a run whose engine is killed (kill -9, a power cut) keeps its
    // steps and a peak, not just its samples.
    void recordProgress(std::int64_t runId, const SampleTable& rows, const RunResult& partial);
    // In one transaction: final status and figures, steps, operations, pools, all samples
    // (replacing the live rows), labels (added to those given to beginRun; a key given
    // again takes the new value) and the last kMaxLogTailEntries entries of the log.
    void finishRun(
        std::int64_t runId, const RunResult& result, const SampleTable& samples, const std::vector<LogEntry>& logTail);

    // --- reading ---
    std::vector<RunRecord> list(const RunFilter& filter = {}) const; // newest (latest start) first
    // Everything stored about a run, as readRunReport() would return it (directory empty).
    // An interrupted run comes back as RunStatus::Failed with failure "interrupted: ...".
    LoadedReport load(std::int64_t runId) const;
    // The same without the samples: what a comparison needs (a run's samples can be
    // megabytes; its result is a few rows).
    RunResult loadResult(std::int64_t runId) const;
    std::vector<LogEntry> logTail(std::int64_t runId) const;
    // The figures history trends need, of every successful run the query selects, in four
    // statements (runs, their figures, steps, processes) rather than a load per run: 10,000
    // runs of 50 keys are read in about half a second (docs/PERFORMANCE.md). The figures
    // follow compareRuns(): keys "step/<name>" (wall_s, cpu_s, peak_rss_bytes,
    // tree_peak_rss_bytes), "process/<key>" (wall_s, cpu_s, peak_rss_bytes) and "run"
    // (duration_s, tree_peak_rss_bytes, engine_peak_rss_bytes).
    RunMetrics readRunMetrics(const RunMetricQuery& query = {}) const;
    // Run ids, newest first, for "42" (a run id), "label:K=V" (runs with that label),
    // "spec:NAME" (runs of a spec), "last" (the newest run), "last:N" (the N newest).
    // Throws HistoryError naming the selector when it is malformed or matches no run.
    std::vector<std::int64_t> select(const std::string& selector) const;

    // --- import / export / delete ---
    std::int64_t importReport(const LoadedReport& report); // all or nothing
    // The run already stored that `result` is a report of (the same spec, host and start,
    // to the millisecond run.json keeps), if any: importing a report twice makes one run.
    std::optional<std::int64_t> findStored(const RunResult& result) const;
    // Writes the run as a report directory; ReportError when the directory cannot be written.
    void exportRun(std::int64_t runId, const std::filesystem::path& directory) const;
    void deleteRun(std::int64_t runId);

    const std::filesystem::path& file() const noexcept;
    bool isReadOnly() const noexcept;

    // Damaged stores are read-only: once SQLite's quick_check (run before this instance's
    // first write) or any statement finds the store damaged, every write throws
    // HistoryError saying so and nothing is written. Reads go on as far as they can.
    bool isDamaged() const noexcept;
    // Runs the check now (for a caller about to write that should fail before it starts);
    // throws HistoryError when the store is damaged. Does nothing for a read-only store.
    void checkIntegrity() const;

    static constexpr std::size_t kMaxLogTailEntries = 2000;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace buildscope
