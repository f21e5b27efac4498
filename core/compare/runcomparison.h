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
    // Metrics to compare (names from comparisonMetrics()); empty compares all. Named
    // metrics are also the ones the gate covers; without them the gate covers
    // defaultGateMetrics() and every other row only explains.
    std::vector<std::string> metrics;
    // Which rows' subjects the gate covers, as keys with '*' matching any text:
    // "step/<name>", "process/<key>", "operation/<name>", "pool/<name>", "run". Empty
    // means defaultGateKeys().
    std::vector<std::string> gateKeys;
    // Runs that failed, were cancelled or interrupted stop where they stopped: their
    // figures are not the build's. They are left out (and counted) unless asked for.
    bool includeUnsuccessful = false;
};

// Every metric name compareRuns() can produce, in presentation order.
const std::vector<std::string>& comparisonMetrics();

// What the gate covers without --metrics and --keys: the peak memory (peak_rss_bytes,
// tree_peak_rss_bytes) of the steps and of the run. Memory of a whole step is the
// figure a build's memory budget is about, and it is steady run to run; per-process rows
// and timings explain a verdict but do not make one (docs/HISTORY.md, "The gate").
const std::vector<std::string>& defaultGateMetrics();
const std::vector<std::string>& defaultGateKeys(); // "step/*", "run"

// The key a row's subject has in gate keys and history: steps as "step/<name>", other
// subjects as they are. `isStep` says whether the subject is a step's name.
std::string subjectKey(const std::string& subject, bool isStep);

// Whether `key` matches `pattern`, where '*' matches any text (also none).
bool keyMatches(const std::string& pattern, const std::string& key);

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
    // Benjamini-Hochberg q-value of pValue in the row's family (the rows the gate covers,
    // or the other rows of the same metric), over the rows whose change is practical; NaN for a row that is not
    // tested because its change is below the practical size (or is exact).
    double adjustedP = 1;
    bool practical = false; // the medians differ by at least the threshold and minimumEffect()
    bool gates = false; // the row is one the gate covers; the others explain
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
    std::string key; // subjectKey(): "step/<name>" for a step, the subject otherwise
};

// What the gate concludes from a comparison.
enum class GateVerdict
{
    Pass, // no row the gate covers regressed, and every one could tell
    Fail, // a row the gate covers regressed
    CannotTell, // no regression, but a row the gate covers is unknown (too few runs) or nothing was compared
};

const char* gateVerdictName(GateVerdict verdict); // "pass", "fail", "cannot tell"

struct Comparison
{
    CompareOptions options;
    std::size_t baseRuns = 0; // runs compared
    std::size_t candidateRuns = 0;
    std::size_t baseExcluded = 0; // runs left out: failed, cancelled or interrupted
    std::size_t candidateExcluded = 0;
    std::size_t runsNeeded = 0; // runs a side needs for a p-value below alpha (when too few)
    std::vector<std::string> gateMetrics; // what the gate covered: metrics and key patterns
    std::vector<std::string> gateKeys;
    // Rows in reading order: the rows that decide (the gate's regressions and improvements,
    // then the other rows' significant changes), then every other row; the largest change
    // (|delta %|) first within each group, even when the row is unknown.
    std::vector<ComparisonRow> rows;
    std::vector<std::string> onlyInBase; // steps (by name) present on one side only
    std::vector<std::string> onlyInCandidate;
    std::vector<std::string> warnings;

    std::size_t regressions() const;
    std::size_t improvements() const;
    std::size_t unknowns() const;
    std::size_t gateRegressions() const; // regressions among the rows the gate covers
    std::size_t gateUnknowns() const;
    std::size_t gateRows() const;
    GateVerdict gateVerdict() const;
    // Geometric mean of candidate/base median ratios over the rows of one metric (NaN if none).
    double geomeanRatio(const std::string& metric) const;
};

// Compares two sets of runs metric by metric: median with a 95 % confidence interval per
// side, delta %, two-sided Mann-Whitney U p-value. The error rate is controlled over the
// whole comparison, not per row: a row is a regression or an improvement when its change
// is practical (isPracticalChange()) and its Benjamini-Hochberg q-value, among the
// practical rows of its family (the rows the gate covers, or the other rows of its
// metric), is below alpha.
// Steps are matched by name. Failed, cancelled or skipped steps contribute no values.
Comparison compareRuns(
    const std::vector<RunResult>& base, const std::vector<RunResult>& candidate, const CompareOptions& options = {});

const char* verdictName(Verdict verdict); // "regression", "improvement", "~", "unknown"

} // namespace buildscope
