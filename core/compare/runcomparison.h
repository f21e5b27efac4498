#pragma once

#include "compare/samplesummary.h"
#include "run/runresult.h"

#include <string>
#include <vector>

namespace buildscope {

struct CompareOptions
{
    double alpha = 0.05; // significance level of the two-sided Mann-Whitney U test
    double thresholdPercent = 5.0; // smallest change of the median reported as a regression/improvement
    // Metrics to compare (names from comparisonMetrics()); empty compares all. A CI gate on
    // memory names only the memory metrics so that timing noise on a shared runner cannot fail it.
    std::vector<std::string> metrics;
    // Runs that failed, were cancelled or interrupted stop where they stopped: their
    // figures are not the build's. They are left out (and counted) unless asked for.
    bool includeUnsuccessful = false;
};

// Every metric name compareRuns() can produce, in presentation order.
const std::vector<std::string>& comparisonMetrics();

enum class Verdict
{
    NoChange,
    Regression,
    Improvement,
    // Too few runs: with these sample sizes no p-value can go below alpha (3 + 3 runs
    // cannot reach 0.05), so "no change" would be a claim the data cannot make.
    Unknown
};

// One metric of one subject (a step, an engine operation, a pool, or the run), compared
// between the baseline and the candidate run sets.
struct ComparisonRow
{
    std::string subject; // step name, "process/<key>", "operation/<name>", "pool/<name>" or "run"
    std::string metric; // "wall_s", "cpu_s", "peak_rss_bytes", ...
    std::string unit; // "s", "bytes", "count", "ratio"
    SampleSummary base;
    SampleSummary candidate;
    double deltaPercent = 0; // (candidate median - base median) / base median; NaN when the base median is 0
    double pValue = 1; // two-sided Mann-Whitney U: has the median moved?
    bool exact = false; // deterministic metric compared exactly (benchstat's assume=exact)
    // Hodges-Lehmann shift (candidate - base) with its distribution-free interval, in the
    // metric's unit: how far it moved, where pValue says whether.
    double shift = 0;
    double shiftLow = 0;
    double shiftHigh = 0;
    double shiftConfidence = 0;
    // Two-sample Kolmogorov-Smirnov: has the distribution changed at all (spread, shape)?
    double spreadPValue = 1;
    bool spreadChanged = false; // KS p < alpha while the median did not move significantly
    bool higherIsWorse = true;
    Verdict verdict = Verdict::NoChange;
    std::string note; // e.g. "n < 4"
};

struct Comparison
{
    CompareOptions options;
    std::size_t baseRuns = 0; // runs compared
    std::size_t candidateRuns = 0;
    std::size_t baseExcluded = 0; // runs left out: failed, cancelled or interrupted
    std::size_t candidateExcluded = 0;
    std::size_t runsNeeded = 0; // runs a side needs for a p-value below alpha (when too few)
    std::vector<ComparisonRow> rows;
    std::vector<std::string> onlyInBase; // steps (by name) present on one side only
    std::vector<std::string> onlyInCandidate;
    std::vector<std::string> warnings;

    std::size_t regressions() const;
    std::size_t improvements() const;
    std::size_t unknowns() const;
    // Geometric mean of candidate/base median ratios over the rows of one metric (NaN if none).
    double geomeanRatio(const std::string& metric) const;
};

// Compares two sets of runs metric by metric: median with a 95 % confidence interval per
// side, delta %, two-sided Mann-Whitney U p-value, verdict from alpha and threshold.
// Steps are matched by name. Failed, cancelled or skipped steps contribute no values.
Comparison compareRuns(
    const std::vector<RunResult>& base, const std::vector<RunResult>& candidate, const CompareOptions& options = {});

const char* verdictName(Verdict verdict); // "regression", "improvement", "~", "unknown"

} // namespace buildscope
