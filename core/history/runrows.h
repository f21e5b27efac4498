#pragma once

#include "run/buildlog.h"
#include "run/runresult.h"
#include "history/processidentity.h"
#include "history/runmetrics.h"
#include "run/sampletable.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace buildscope {

class HistoryConnection;

// How a run maps to the store's rows (tables in docs/HISTORY.md). The callers own the
// transactions; these only read and write rows.
namespace runrows {



// --- writing ---
// A new runs row with every field of `fields`; `recorder` is the recording process (none
// for imported runs). ended_at stays NULL while `finished` is false.
std::int64_t insertRun(const HistoryConnection& connection, const RunResult& fields, const std::string& status,
    bool finished, const std::optional<ProcessIdentity>& recorder);
// The peaks of a running run (tree and engine RSS so far); everything else stays.
void updateRunningPeaks(const HistoryConnection& connection, std::int64_t runId, const RunResult& partial);
// Every field of a finished run, its status from result.status.
void updateFinishedRun(const HistoryConnection& connection, std::int64_t runId, const RunResult& result);
// Adds labels after the run's existing ones; a key already present takes the new value.
void mergeLabels(const HistoryConnection& connection, std::int64_t runId, const Labels& labels);
// Steps, operations and pools, replacing any stored.
void replaceDetails(const HistoryConnection& connection, std::int64_t runId, const RunResult& result);
// All samples and their columns, replacing any stored.
void replaceSamples(const HistoryConnection& connection, std::int64_t runId, const SampleTable& samples);
// Rows after those stored; the first call stores the columns, later calls must match them.
void appendSamples(const HistoryConnection& connection, std::int64_t runId, const SampleTable& samples);
// The last `maxEntries` entries, replacing any stored.
void replaceLogTail(const HistoryConnection& connection, std::int64_t runId, const std::vector<LogEntry>& entries,
    std::size_t maxEntries);

// --- reading ---
struct StoredRun
{
    RunResult result; // with labels, steps, operations and pools; status Running unless finished
    std::string status; // the stored text, including "interrupted"
    bool finished = false; // ended_at is set
    double lastSampleSeconds = 0; // end of the last stored sample row (0 without samples)
};

std::optional<StoredRun> readRun(const HistoryConnection& connection, std::int64_t runId);
Labels readLabels(const HistoryConnection& connection, std::int64_t runId);
SampleTable readSampleColumns(const HistoryConnection& connection, std::int64_t runId); // series and maxColumns only
SampleTable readSamples(const HistoryConnection& connection, std::int64_t runId);
std::vector<LogEntry> readLogTail(const HistoryConnection& connection, std::int64_t runId);
// Figures of every successful run the query selects, a few statements for all of them.
RunMetrics readRunMetrics(const HistoryConnection& connection, const RunMetricQuery& query);

} // namespace runrows

} // namespace buildscope
