#pragma once

#include "compare/runcomparison.h"

#include <ostream>
#include <string>

namespace buildscope {

// A comparison as benchstat prints one: per metric a table of subjects with
// "median ± CI%" for each side and "delta (p=… n=…)" or "~" when there is no significant
// change, a geomean row, then warnings and the verdict summary.
std::string formatComparisonText(const Comparison& comparison);

// One CSV row per subject and metric (docs/REPORTS.md, "Comparison CSV").
void writeComparisonCsv(const Comparison& comparison, std::ostream& out);

// The same as JSON: {"alpha", "threshold_percent", "base_runs", "candidate_runs",
// "rows": [...], "only_in_base", "only_in_candidate", "warnings", "regressions", "improvements"}.
std::string comparisonJson(const Comparison& comparison);

// A value in the metric's unit: "405.5 MiB", "7.01 s", "244.6k", "87.5%".
std::string formatMetricValue(double value, const std::string& unit);

} // namespace buildscope
