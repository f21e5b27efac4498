#include "compare/runcomparison.h"

#include "compare/falsediscoveryrate.h"
#include "compare/kolmogorovsmirnov.h"
#include "compare/mannwhitney.h"
#include "compare/practicaleffect.h"
#include "compare/shiftestimate.h"
#include "run/units.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>

namespace buildscope {

namespace {

struct MetricKey
{
    std::string subject;
    std::string metric;
    auto operator<=>(const MetricKey&) const = default;
};

struct MetricInfo
{
    std::string unit;
    bool higherIsWorse = true;
    bool deterministic = false;
    int order = 0; // presentation order: steps in spec order, then operations, pools, run
    bool step = false; // the subject is a step's name
};

using Samples = std::map<MetricKey, std::vector<double>>;

void collect(const std::vector<RunResult>& runs, Samples& samples, std::map<MetricKey, MetricInfo>& info,
    std::vector<std::string>& stepOrder)
{
    auto add = [&](const std::string& subject, const std::string& metric, double value, MetricInfo meta) {
        if (std::isnan(value))
            return;
        const MetricKey key {subject, metric};
        samples[key].push_back(value);
        info.emplace(key, std::move(meta));
    };
    for (const RunResult& run : runs) {
        for (const StepResult& step : run.steps) {
            if (std::find(stepOrder.begin(), stepOrder.end(), step.name) == stepOrder.end())
                stepOrder.push_back(step.name);
            if (step.status != StepStatus::Succeeded)
                continue;
            const int order
                = static_cast<int>(std::find(stepOrder.begin(), stepOrder.end(), step.name) - stepOrder.begin());
            add(step.name, "wall_s", step.wallSeconds(), {"s", true, false, order, true});
            add(step.name, "cpu_s", step.userCpuSeconds + step.systemCpuSeconds, {"s", true, false, order, true});
            if (step.peakRssBytes > 0)
                add(step.name, "peak_rss_bytes", static_cast<double>(step.peakRssBytes),
                    {"bytes", true, false, order, true});
            if (step.treePeakRssBytes > 0)
                add(step.name, "tree_peak_rss_bytes", static_cast<double>(step.treePeakRssBytes),
                    {"bytes", true, false, order, true});
            add(step.name, "engine_allocations", static_cast<double>(step.engineAllocations),
                {"count", true, false, order, true});
            add(step.name, "engine_allocated_bytes", static_cast<double>(step.engineAllocatedBytes),
                {"bytes", true, false, order, true});
        }
        // Per command of the build, followed by its key (run/processkey.h). A key that ran
        // several times in one run counts once: its largest peak, its total wall and CPU
        // time. Processes killed by a signal (a cancelled or failed build) are left out:
        // their figures stop where they were killed.
        struct Totals
        {
            double peak = 0;
            double wall = 0;
            double cpu = 0;
            int order = 0;
        };
        std::map<std::string, Totals> commands;
        for (const ProcessRecord& process : run.processes) {
            if (process.key.empty() || process.signal)
                continue;
            auto [it, inserted] = commands.try_emplace(process.key);
            if (inserted)
                it->second.order = 5000 + static_cast<int>(commands.size());
            it->second.peak = std::max(it->second.peak, static_cast<double>(process.peakRssBytes));
            it->second.wall += process.wallSeconds();
            it->second.cpu += process.cpuSeconds();
        }
        for (const auto& [key, totals] : commands) {
            const std::string subject = "process/" + key;
            if (totals.peak > 0)
                add(subject, "peak_rss_bytes", totals.peak, {"bytes", true, false, totals.order});
            add(subject, "wall_s", totals.wall, {"s", true, false, totals.order});
            add(subject, "cpu_s", totals.cpu, {"s", true, false, totals.order});
        }
        for (const OperationStatistics& op : run.operations) {
            const std::string subject = "operation/" + op.name;
            add(subject, "wall_s", static_cast<double>(op.wallTotalNs) * 1e-9, {"s", true, false, 10000});
            // The engine's own operations allocate the same way for the same input.
            add(subject, "allocations_per_op", op.allocationsPerOp(), {"count", true, true, 10000});
            add(subject, "bytes_per_op", op.bytesPerOp(), {"bytes", true, true, 10000});
        }
        for (const PoolStatistics& pool : run.pools) {
            if (const std::optional<double> rate = pool.hitRate())
                add("pool/" + pool.name, "hit_rate", *rate, {"ratio", false, false, 20000});
        }
        if (run.status == RunStatus::Succeeded)
            add("run", "duration_s", run.durationSeconds(), {"s", true, false, 30000});
        add("run", "tree_peak_rss_bytes", static_cast<double>(run.treePeakRssBytes), {"bytes", true, false, 30000});
        add("run", "engine_peak_rss_bytes", static_cast<double>(run.enginePeakRssBytes), {"bytes", true, false, 30000});
        if (run.heap.installed)
            add("run", "heap_peak_live_bytes", static_cast<double>(run.heapPeakLiveBytes),
                {"bytes", true, false, 30000});
    }
}

// The verdict of a row whose significance is settled: `significant` is q < alpha for a
// tested row, p < alpha for an exact one.
Verdict verdictFor(const ComparisonRow& row, bool significant)
{
    if (!significant || !row.practical)
        return Verdict::NoChange;
    const bool worse = (row.candidate.median > row.base.median) == row.higherIsWorse;
    return worse ? Verdict::Regression : Verdict::Improvement;
}

// Benjamini-Hochberg over the practical, tested rows of one family; verdicts follow. The
// rows the gate covers are one family; the rows that explain form one family per metric,
// so that the timings of a build's commands (many, and noisy on a shared machine) cannot
// drown the one command whose memory grew.
void decideFamily(
    std::vector<ComparisonRow>& rows, bool gating, const std::string& metric, const CompareOptions& options)
{
    std::vector<std::size_t> members;
    std::vector<double> p;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        ComparisonRow& row = rows[i];
        if (row.gates != gating || (!gating && row.metric != metric) || row.exact || row.verdict == Verdict::Unknown)
            continue;
        if (row.practical) {
            members.push_back(i);
            p.push_back(row.pValue);
        } else {
            row.adjustedP = std::numeric_limits<double>::quiet_NaN(); // not tested: too small to matter
        }
    }
    const std::vector<double> q = benjaminiHochberg(p);
    for (std::size_t k = 0; k < members.size(); ++k) {
        ComparisonRow& row = rows[members[k]];
        row.adjustedP = q[k];
        row.verdict = verdictFor(row, q[k] < options.alpha);
    }
}

// Reading order: the gate's deciding rows, then the other rows' changes of the metrics
// the gate covers (which command's memory grew: they explain the verdict), then the
// other changes (timings); then the rows that did not decide, those whose change is
// practical first (an unknown +30 % before a clock tick's "-100 %"), the gate's metrics
// first among them.
int readingGroup(const ComparisonRow& row, const std::vector<std::string>& gateMetrics)
{
    const bool decided = row.verdict == Verdict::Regression || row.verdict == Verdict::Improvement;
    const bool gateMetric = std::find(gateMetrics.begin(), gateMetrics.end(), row.metric) != gateMetrics.end();
    if (decided)
        return row.gates ? 0 : gateMetric ? 1 : 2;
    if (row.practical)
        return gateMetric ? 3 : 4;
    return 5;
}

double changeSize(const ComparisonRow& row)
{
    if (std::isnan(row.deltaPercent))
        return row.candidate.median != row.base.median ? std::numeric_limits<double>::infinity() : 0.0;
    return std::abs(row.deltaPercent);
}

} // namespace

const std::vector<std::string>& comparisonMetrics()
{
    static const std::vector<std::string> metrics {"wall_s", "cpu_s", "peak_rss_bytes", "engine_allocations",
        "engine_allocated_bytes", "allocations_per_op", "bytes_per_op", "hit_rate", "duration_s", "tree_peak_rss_bytes",
        "engine_peak_rss_bytes", "heap_peak_live_bytes"};
    return metrics;
}

const std::vector<std::string>& defaultGateMetrics()
{
    static const std::vector<std::string> metrics {"peak_rss_bytes", "tree_peak_rss_bytes"};
    return metrics;
}

const std::vector<std::string>& defaultGateKeys()
{
    static const std::vector<std::string> keys {"step/*", "run"};
    return keys;
}

std::string subjectKey(const std::string& subject, bool isStep)
{
    return isStep ? "step/" + subject : subject;
}

bool keyMatches(const std::string& pattern, const std::string& key)
{
    // Iterative glob with '*' only: remember the last star and retry from one further.
    std::size_t p = 0;
    std::size_t k = 0;
    std::size_t star = std::string::npos;
    std::size_t resume = 0;
    while (k < key.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = k;
        } else if (p < pattern.size() && pattern[p] == key[k]) {
            ++p;
            ++k;
        } else if (star != std::string::npos) {
            p = star + 1;
            k = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

const char* gateVerdictName(GateVerdict verdict)
{
    switch (verdict) {
    case GateVerdict::Pass:
        return "pass";
    case GateVerdict::Fail:
        return "fail";
    case GateVerdict::CannotTell:
        return "cannot tell";
    }
    return "cannot tell";
}

const char* verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Regression:
        return "regression";
    case Verdict::Improvement:
        return "improvement";
    case Verdict::NoChange:
        return "~";
    case Verdict::Unknown:
        return "unknown";
    }
    return "~";
}

std::size_t Comparison::regressions() const
{
    return static_cast<std::size_t>(std::count_if(
        rows.begin(), rows.end(), [](const ComparisonRow& r) { return r.verdict == Verdict::Regression; }));
}

std::size_t Comparison::unknowns() const
{
    return static_cast<std::size_t>(
        std::count_if(rows.begin(), rows.end(), [](const ComparisonRow& r) { return r.verdict == Verdict::Unknown; }));
}

std::size_t Comparison::gateRegressions() const
{
    return static_cast<std::size_t>(std::count_if(
        rows.begin(), rows.end(), [](const ComparisonRow& r) { return r.gates && r.verdict == Verdict::Regression; }));
}

std::size_t Comparison::gateUnknowns() const
{
    return static_cast<std::size_t>(std::count_if(
        rows.begin(), rows.end(), [](const ComparisonRow& r) { return r.gates && r.verdict == Verdict::Unknown; }));
}

std::size_t Comparison::gateRows() const
{
    return static_cast<std::size_t>(
        std::count_if(rows.begin(), rows.end(), [](const ComparisonRow& r) { return r.gates; }));
}

GateVerdict Comparison::gateVerdict() const
{
    if (gateRegressions() > 0)
        return GateVerdict::Fail;
    if (gateUnknowns() > 0 || gateRows() == 0 || baseRuns == 0 || candidateRuns == 0)
        return GateVerdict::CannotTell;
    return GateVerdict::Pass;
}

std::size_t Comparison::improvements() const
{
    return static_cast<std::size_t>(std::count_if(
        rows.begin(), rows.end(), [](const ComparisonRow& r) { return r.verdict == Verdict::Improvement; }));
}

double Comparison::geomeanRatio(const std::string& metric) const
{
    double logSum = 0;
    std::size_t count = 0;
    for (const ComparisonRow& row : rows) {
        if (row.metric != metric || !(row.base.median > 0) || !(row.candidate.median > 0))
            continue;
        logSum += std::log(row.candidate.median / row.base.median);
        ++count;
    }
    return count ? std::exp(logSum / static_cast<double>(count)) : std::numeric_limits<double>::quiet_NaN();
}

namespace {

// The runs of one side that enter the comparison, and a warning for those that do not.
std::vector<RunResult> comparable(const std::vector<RunResult>& runs, const CompareOptions& options, const char* side,
    std::size_t& excluded, std::vector<std::string>& warnings)
{
    if (options.includeUnsuccessful)
        return runs;
    std::vector<RunResult> kept;
    std::map<std::string, int> left;
    for (const RunResult& run : runs) {
        if (run.status == RunStatus::Succeeded)
            kept.push_back(run);
        else
            ++left[run.failure.starts_with("interrupted") ? "interrupted" : runStatusName(run.status)];
    }
    excluded = runs.size() - kept.size();
    if (excluded > 0) {
        std::string what;
        for (const auto& [status, count] : left)
            what += (what.empty() ? "" : ", ") + std::to_string(count) + " " + status;
        warnings.push_back(std::string(side) + ": " + std::to_string(excluded) + " of " + std::to_string(runs.size())
            + " runs left out (" + what + "): a run that did not succeed stopped where it stopped; "
            + "--include-failed compares them anyway");
    }
    return kept;
}

// Runs a side needs (both sides equal) for the smallest p-value to go below alpha.
std::size_t runsNeededFor(double alpha)
{
    for (std::size_t n = 1; n < 1000; ++n) {
        if (mannWhitneyMinimumP(n, n) < alpha)
            return n;
    }
    return 1000;
}

} // namespace

Comparison compareRuns(
    const std::vector<RunResult>& allBase, const std::vector<RunResult>& allCandidate, const CompareOptions& options)
{
    Comparison comparison;
    comparison.options = options;
    comparison.gateMetrics = options.metrics.empty() ? defaultGateMetrics() : options.metrics;
    comparison.gateKeys = options.gateKeys.empty() ? defaultGateKeys() : options.gateKeys;
    const std::vector<RunResult> base
        = comparable(allBase, options, "base", comparison.baseExcluded, comparison.warnings);
    const std::vector<RunResult> candidate
        = comparable(allCandidate, options, "candidate", comparison.candidateExcluded, comparison.warnings);
    comparison.baseRuns = base.size();
    comparison.candidateRuns = candidate.size();

    // The same runs on both sides, or two different builds: say so, the numbers will not.
    std::set<std::string> specs;
    for (const RunResult& run : base)
        specs.insert(run.specName);
    for (const RunResult& run : candidate) {
        if (!specs.contains(run.specName) && !specs.empty()) {
            comparison.warnings.push_back("the sides ran different specs ('" + *specs.begin() + "' and '" + run.specName
                + "'): steps are matched by name, which may not mean the same work");
            break;
        }
    }
    auto startTimes = [](const std::vector<RunResult>& runs) {
        std::set<std::chrono::system_clock::time_point> times;
        for (const RunResult& run : runs)
            times.insert(run.startedAt);
        return times;
    };
    const std::set<std::chrono::system_clock::time_point> baseTimes = startTimes(base);
    if (!base.empty() && baseTimes == startTimes(candidate)
        && !baseTimes.contains(std::chrono::system_clock::time_point())) // runs made up in code have no start
        comparison.warnings.push_back(
            "the base and the candidate are the same runs: a comparison with itself finds nothing by construction");

    Samples baseSamples;
    Samples candidateSamples;
    std::map<MetricKey, MetricInfo> info;
    std::vector<std::string> baseSteps;
    std::vector<std::string> candidateSteps;
    collect(base, baseSamples, info, baseSteps);
    collect(candidate, candidateSamples, info, candidateSteps);

    for (const std::string& step : baseSteps) {
        if (std::find(candidateSteps.begin(), candidateSteps.end(), step) == candidateSteps.end())
            comparison.onlyInBase.push_back(step);
    }
    for (const std::string& step : candidateSteps) {
        if (std::find(baseSteps.begin(), baseSteps.end(), step) == baseSteps.end())
            comparison.onlyInCandidate.push_back(step);
    }
    const bool tooFew
        = !base.empty() && !candidate.empty() && !(mannWhitneyMinimumP(base.size(), candidate.size()) < options.alpha);
    if (tooFew) {
        comparison.runsNeeded = runsNeededFor(options.alpha);
        comparison.warnings.push_back("too few runs to tell (" + std::to_string(base.size()) + " + "
            + std::to_string(candidate.size()) + "): no p-value can go below alpha " + formatNumber("%g", options.alpha)
            + " with these sizes; measured metrics are 'unknown' until each side has "
            + std::to_string(comparison.runsNeeded) + " successful runs");
    }

    for (const auto& [key, baseValues] : baseSamples) {
        const auto other = candidateSamples.find(key);
        if (other == candidateSamples.end())
            continue;
        if (!options.metrics.empty()
            && std::find(options.metrics.begin(), options.metrics.end(), key.metric) == options.metrics.end())
            continue;
        const MetricInfo& meta = info.at(key);
        ComparisonRow row;
        row.subject = key.subject;
        row.metric = key.metric;
        row.key = subjectKey(key.subject, meta.step);
        row.gates = std::find(comparison.gateMetrics.begin(), comparison.gateMetrics.end(), key.metric)
                != comparison.gateMetrics.end()
            && std::any_of(comparison.gateKeys.begin(), comparison.gateKeys.end(),
                [&](const std::string& pattern) { return keyMatches(pattern, row.key); });
        row.unit = meta.unit;
        row.higherIsWorse = meta.higherIsWorse;
        row.base = summarize(baseValues);
        row.candidate = summarize(other->second);
        row.deltaPercent = row.base.median != 0 ? (row.candidate.median - row.base.median) / row.base.median * 100.0
                                                : (row.candidate.median == 0 ? 0.0 : std::nan(""));
        if (meta.deterministic && row.base.allEqual && row.candidate.allEqual) {
            // Deterministic counts: any difference is real (benchstat's assume=exact).
            row.exact = true;
            row.pValue = row.base.median == row.candidate.median ? 1.0 : 0.0;
        } else {
            row.pValue = mannWhitneyU(baseValues, other->second).pValue;
        }
        const ShiftEstimate shift = hodgesLehmannShift(baseValues, other->second);
        row.shift = shift.shift;
        row.shiftLow = shift.low;
        row.shiftHigh = shift.high;
        row.shiftConfidence = shift.confidence;
        row.spreadPValue = row.exact ? row.pValue : kolmogorovSmirnov(baseValues, other->second).pValue;
        if (row.exact) {
            row.practical = !std::isnan(row.deltaPercent) && row.deltaPercent != 0
                && std::abs(row.deltaPercent) >= options.thresholdPercent;
            row.adjustedP = std::numeric_limits<double>::quiet_NaN();
            row.verdict = verdictFor(row, row.pValue < options.alpha);
        } else {
            row.practical
                = isPracticalChange(row.metric, row.base.median, row.candidate.median, options.thresholdPercent);
        }
        if (!row.exact && !(mannWhitneyMinimumP(row.base.n, row.candidate.n) < options.alpha)) {
            row.verdict = Verdict::Unknown;
            row.adjustedP = std::numeric_limits<double>::quiet_NaN();
            row.note = "too few runs: " + std::to_string(row.base.n) + " + " + std::to_string(row.candidate.n);
        } else if (!row.exact && !(row.pValue < options.alpha) && row.spreadPValue < options.alpha) {
            // The median did not move, the distribution did: wider, narrower or bimodal.
            row.spreadChanged = true;
            row.note = "spread changed (KS p=" + formatNumber("%.3f", row.spreadPValue) + ")";
        }
        comparison.rows.push_back(std::move(row));
    }

    // Presentation order: steps in the order they ran, then operations, pools, the run.
    std::vector<std::string> stepOrder = baseSteps;
    for (const std::string& step : candidateSteps) {
        if (std::find(stepOrder.begin(), stepOrder.end(), step) == stepOrder.end())
            stepOrder.push_back(step);
    }
    auto rank = [&](const ComparisonRow& row) {
        const auto it = std::find(stepOrder.begin(), stepOrder.end(), row.subject);
        if (it != stepOrder.end())
            return static_cast<int>(it - stepOrder.begin());
        return info.at({row.subject, row.metric}).order;
    };
    const std::vector<std::string>& metricOrder = comparisonMetrics();
    auto metricRank = [&](const std::string& metric) {
        return std::find(metricOrder.begin(), metricOrder.end(), metric) - metricOrder.begin();
    };
    std::stable_sort(
        comparison.rows.begin(), comparison.rows.end(), [&](const ComparisonRow& a, const ComparisonRow& b) {
            const int ra = rank(a);
            const int rb = rank(b);
            if (ra != rb)
                return ra < rb;
            if (a.subject != b.subject)
                return a.subject < b.subject;
            return metricRank(a.metric) < metricRank(b.metric);
        });
    decideFamily(comparison.rows, true, {}, options);
    for (const std::string& metric : comparisonMetrics())
        decideFamily(comparison.rows, false, metric, options);
    const std::vector<std::string>& gateMetrics = comparison.gateMetrics;
    std::stable_sort(
        comparison.rows.begin(), comparison.rows.end(), [&](const ComparisonRow& a, const ComparisonRow& b) {
            const int groupA = readingGroup(a, gateMetrics);
            const int groupB = readingGroup(b, gateMetrics);
            if (groupA != groupB)
                return groupA < groupB;
            return changeSize(a) > changeSize(b);
        });
    return comparison;
}

} // namespace buildscope
