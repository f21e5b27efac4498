#pragma once

#include "trends/trendseries.h"

#include <ostream>
#include <string>
#include <vector>

namespace buildscope {

// The changes of `history changes` (docs/REPORTS.md, "History changes"): one row per
// change point of every series, in series order, then by position.

// A table: spec, key, metric, the change relative to the median before with the medians,
// the Hodges-Lehmann shift with its interval, p, and the runs either side (commits
// abbreviated to 12 characters, run ids). Ends with a line counting changes and series.
std::string formatChangesText(const std::vector<TrendSeries>& trends, const ChangePointOptions& options);

void writeChangesCsv(const std::vector<TrendSeries>& trends, std::ostream& out);

// {"alpha", "threshold_percent", "min_segment", "series", "changes": [...]}: the CSV
// columns as the keys of each change.
std::string changesJson(const std::vector<TrendSeries>& trends, const ChangePointOptions& options);

// The CSV columns (and JSON keys of a change), in order.
const std::vector<std::string>& changeColumns();

} // namespace buildscope
