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
// change points, with the false discoveries controlled over the whole history rather than
// per split (docs/HISTORY.md, "False discoveries"): each series' splits are corrected for
// the positions they were chosen from (ChangePointOptions::correctForPositions), the
// corrected p-values of every series go through Benjamini-Hochberg at options.alpha
// (one hypothesis per series searched, one more per further change in a series), and
// each series is searched again at the cutoff that leaves, so every change reported holds
// for its segments as reported. Each series' changes must also move its median by
// minimumEffect() of its metric (practicaleffect.h) and options.thresholdPercent.
// Series whose metric `query.metrics` does not name are left out (empty: all).
std::vector<TrendSeries> findChanges(const RunMetrics& metrics, const ChangePointOptions& options = {},
    const std::vector<std::string>& onlyMetrics = {});

} // namespace buildscope
