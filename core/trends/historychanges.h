#pragma once

#include "history/runmetrics.h"
#include "trends/trendseries.h"

#include <vector>

namespace buildscope {

class RunHistory;

// Every series of the store the query selects (spec x key x metric over the runs that
// succeeded, in commit order) with its change points. Reads the store in four statements
// (RunHistory::readRunMetrics); HistoryError when it cannot. Pure otherwise: call it from
// any thread that owns `history`. Series come ordered by spec, key and metric.
std::vector<TrendSeries> findHistoryChanges(
    const RunHistory& history, const TrendQuery& query, const ChangePointOptions& options = {});

// The same for figures already read: orders each series' runs by commit and detects its
// change points.
std::vector<TrendSeries> findChanges(const RunMetrics& metrics, const ChangePointOptions& options = {});

} // namespace buildscope
