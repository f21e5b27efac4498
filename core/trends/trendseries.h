#pragma once

#include "compare/changepoints.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace buildscope {

// Which series history trends look at. Empty fields do not filter.
struct TrendQuery
{
    std::string spec {};
    std::string key {}; // "step/<name>", "process/<key>" or "run"
    std::string metric {}; // "peak_rss_bytes", "wall_s", "cpu_s", ... (compareRuns()' names)
    // Several metrics at once (when `metric` is empty): `history changes` searches the
    // peak memory metrics unless told otherwise. Empty: every metric.
    std::vector<std::string> metrics {};
};

// One successful run's value of a series.
struct TrendPoint
{
    std::int64_t runId = 0;
    std::string commit; // label git.commit (full hash); empty without
    std::optional<std::chrono::system_clock::time_point> commitTime; // label git.commit_time
    std::chrono::system_clock::time_point startedAt;
    double value = 0;
};

// A key's metric over a spec's history, in commit order (commitorder.h), with the changes
// found in it: changes[i].index is the first point after the change.
struct TrendSeries
{
    std::string spec;
    std::string key;
    std::string metric;
    std::string unit; // "bytes" or "s"
    std::vector<TrendPoint> points;
    std::vector<ChangePoint> changes;
};

} // namespace buildscope
