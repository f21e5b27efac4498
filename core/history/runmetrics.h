#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace buildscope {

// The metrics readRunMetrics() knows, named as compareRuns() names them: wall_s, cpu_s,
// peak_rss_bytes, tree_peak_rss_bytes, duration_s, engine_peak_rss_bytes.
const std::vector<std::string>& storedRunMetrics();

// Which figures RunHistory::readRunMetrics() returns. Empty fields do not filter.
struct RunMetricQuery
{
    std::string specName {};
    std::string key {}; // "step/<name>", "process/<key>" or "run"
    std::string metric {}; // a name compareRuns() uses: "peak_rss_bytes", "wall_s", "cpu_s", ...
};

// What follows a commit in MetricRun::commit for a run on a modified work tree.
inline constexpr const char* kDirtyCommitMark = "+dirty.";

// One successful run, as history trends place it: by commit when it has one.
struct MetricRun
{
    std::int64_t id = 0;
    std::string specName;
    std::chrono::system_clock::time_point startedAt;
    // label git.commit; empty without. A run on a modified work tree (label git.diff_hash)
    // has "<commit>+dirty.<diff hash>": a point of its own in history trends.
    std::string commit;
    std::string commitTime; // label git.commit_time (ISO 8601 UTC); empty without
};

// The figures of one key and metric across the runs, in the runs' order (a run without
// the figure, e.g. a step that was skipped, has no value).
struct MetricSeries
{
    std::string specName;
    std::string key;
    std::string metric;
    std::string unit; // "bytes" or "s"
    struct Value
    {
        std::size_t run = 0; // index into RunMetrics::runs
        double value = 0;
    };
    std::vector<Value> values;
};

// What readRunMetrics() returns: runs by start time (oldest first), and one series per
// spec, key and metric, ordered by spec, key and metric.
struct RunMetrics
{
    std::vector<MetricRun> runs;
    std::vector<MetricSeries> series;
};

} // namespace buildscope
