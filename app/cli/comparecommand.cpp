#include "arguments.h"
#include "commands.h"
#include "compare/comparisonformat.h"
#include "compare/runcomparison.h"
#include "exitcodes.h"
#include "report/reportreader.h"
#include "report/reportwriter.h"
#include "specidentity.h"
#include "storeoptions.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>

namespace buildscope::cli {

namespace {

constexpr const char* kSubjectKinds[] = {"step/", "process/", "operation/", "pool/"};

// "a,b,,c" -> {"a", "b", "c"}: empty items (a doubled or trailing comma) are dropped.
std::vector<std::string> commaSeparated(const std::string& text)
{
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = text.find(',', start);
        std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!item.empty())
            items.push_back(std::move(item));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return items;
}

// "--metrics peak_rss_bytes,tree_peak_rss_bytes": each name must be one compareRuns() knows.
std::vector<std::string> metricsOption(const Arguments& arguments)
{
    const std::optional<std::string> text = arguments.value("--metrics");
    if (!text)
        return {};
    const std::vector<std::string> metrics = commaSeparated(*text);
    if (metrics.empty())
        throw UsageError("--metrics expects metric names, got '" + *text + "'");
    const std::vector<std::string>& known = comparisonMetrics();
    for (const std::string& name : metrics) {
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            std::string list;
            for (const std::string& candidate : known)
                list += (list.empty() ? "" : ", ") + candidate;
            throw UsageError("--metrics: unknown metric '" + name + "' (known: " + list + ")");
        }
    }
    return metrics;
}

// "--keys 'process/*,run'": which subjects the gate covers (step/NAME, process/KEY,
// operation/NAME, pool/NAME, run; '*' matches any text).
std::vector<std::string> keysOption(const Arguments& arguments)
{
    const std::optional<std::string> text = arguments.value("--keys");
    if (!text)
        return {};
    const std::vector<std::string> keys = commaSeparated(*text);
    if (keys.empty())
        throw UsageError("--keys expects keys such as 'step/*', 'process/*' or run, got '" + *text + "'");
    for (const std::string& key : keys) {
        const bool known = key == "run" || key == "*"
            || std::any_of(std::begin(kSubjectKinds), std::end(kSubjectKinds),
                [&](const char* kind) { return key.starts_with(kind) && key.size() > std::string(kind).size(); });
        if (!known)
            throw UsageError("--keys: '" + key
                + "' is not a key (expected step/NAME, process/KEY, operation/NAME, pool/NAME or run; '*' matches "
                  "any text)");
    }
    return keys;
}

// A report directory, a folder of report directories (`run --repeat N --report DIR`),
// or a run history selector ("42", "label:K=V", "spec:NAME", "last", "last:N").
void resolveToken(const std::string& token, const Arguments& arguments, std::unique_ptr<RunHistory>& history,
    std::vector<RunResult>& runs)
{
    const std::filesystem::path path(token);
    if (std::filesystem::is_directory(path)) {
        if (std::filesystem::exists(path / "run.json")) {
            runs.push_back(readRunReport(path).result);
            return;
        }
        std::vector<std::filesystem::path> reports;
        for (const auto& entry : std::filesystem::directory_iterator(path)) {
            if (entry.is_directory() && std::filesystem::exists(entry.path() / "run.json"))
                reports.push_back(entry.path());
        }
        if (reports.empty())
            throw UsageError("'" + token + "' holds no report (no run.json in it or in its folders)");
        std::sort(reports.begin(), reports.end());
        for (const std::filesystem::path& report : reports)
            runs.push_back(readRunReport(report).result);
        return;
    }
    if (!history)
        history = openStoreForReading(arguments);
    for (std::int64_t id : history->select(token))
        runs.push_back(history->load(id).result);
}

std::vector<RunResult> resolveSide(
    const std::string& side, const Arguments& arguments, std::unique_ptr<RunHistory>& history)
{
    std::vector<RunResult> runs;
    for (const std::string& token : commaSeparated(side))
        resolveToken(token, arguments, history, runs);
    if (runs.empty())
        throw UsageError("'" + side + "' selects no run");
    return runs;
}

} // namespace

int compareCommand(const std::vector<std::string>& args)
{
    const Arguments arguments(args,
        {{"--threshold", "", true}, {"--alpha", "", true}, {"--format", "", true}, {"--fail-on-regression", "", false},
            {"--allow-unknown", "", false}, {"--include-failed", "", false}, {"--metrics", "", true},
            {"--keys", "", true}, storeOption()});
    arguments.expectPositionals(2, 2);
    CompareOptions options;
    options.thresholdPercent = arguments.numberOption("--threshold", 0.0, 1000.0, 5.0);
    options.alpha = arguments.numberOption("--alpha", 1e-9, 0.5, 0.05);
    options.metrics = metricsOption(arguments);
    options.gateKeys = keysOption(arguments);
    options.includeUnsuccessful = arguments.has("--include-failed");
    const std::string format = arguments.value("--format").value_or("text");
    if (format != "text" && format != "csv" && format != "json")
        throw UsageError("--format expects text, csv or json, got '" + format + "'");

    std::unique_ptr<RunHistory> history;
    std::vector<RunResult> base;
    std::vector<RunResult> candidate;
    try {
        base = resolveSide(arguments.positional(0, "BASE"), arguments, history);
        candidate = resolveSide(arguments.positional(1, "CANDIDATE"), arguments, history);
    } catch (const ReportError& error) {
        std::fprintf(stderr, "buildscope compare: %s\n", error.what());
        return ExitUsage;
    } catch (const HistoryError& error) {
        std::fprintf(stderr, "buildscope compare: %s\n", error.what());
        return ExitUsage;
    }

    // Runs of two different specs may carry the same name (two spec files with the same
    // `name:`, one command run in two folders): the comparison goes on, with a warning.
    const auto identities = [](const std::vector<RunResult>& runs) {
        std::set<std::string> found;
        for (const RunResult& run : runs)
            found.insert(specIdentity(run.specName, run.specFile, run.context));
        return found;
    };
    if (const std::set<std::string> baseSpecs = identities(base), candidateSpecs = identities(candidate);
        baseSpecs != candidateSpecs || baseSpecs.size() > 1)
        std::fprintf(stderr, "buildscope compare: warning: the sides' specs differ: base runs %s; candidate runs %s\n",
            describeSpecIdentities(baseSpecs).c_str(), describeSpecIdentities(candidateSpecs).c_str());

    const Comparison comparison = compareRuns(base, candidate, options);
    if (format == "csv") {
        writeComparisonCsv(comparison, std::cout);
    } else if (format == "json") {
        std::cout << comparisonJson(comparison);
    } else {
        std::cout << formatComparisonText(comparison);
    }
    std::cout.flush();
    if (format != "text") {
        for (const std::string& warning : comparison.warnings)
            std::fprintf(stderr, "buildscope compare: warning: %s\n", warning.c_str());
    }
    if (!arguments.has("--fail-on-regression"))
        return ExitOk;
    // The gate decides on the rows it covers (docs/HISTORY.md, "The gate"); the other rows
    // explain. A gate that cannot decide must not pass: too few runs fails unless allowed.
    switch (comparison.gateVerdict()) {
    case GateVerdict::Fail:
        std::fprintf(stderr, "buildscope compare: %zu regression%s in what the gate covers\n",
            comparison.gateRegressions(), comparison.gateRegressions() == 1 ? "" : "s");
        return ExitFailed;
    case GateVerdict::CannotTell:
        if (arguments.has("--allow-unknown"))
            return ExitOk;
        if (comparison.baseRuns == 0 || comparison.candidateRuns == 0)
            std::fprintf(stderr,
                "buildscope compare: no successful run on the %s side: nothing to compare "
                "(--allow-unknown passes anyway)\n",
                comparison.baseRuns == 0 ? "base" : "candidate");
        else if (comparison.gateRows() == 0)
            std::fprintf(stderr,
                "buildscope compare: no row the gate covers was measured on both sides (see --metrics, --keys; "
                "--allow-unknown passes anyway)\n");
        else
            std::fprintf(stderr,
                "buildscope compare: cannot tell with %zu + %zu runs: %zu gating row%s unknown; the gate needs %zu "
                "successful runs a side at alpha %g (--allow-unknown passes anyway)\n",
                comparison.baseRuns, comparison.candidateRuns, comparison.gateUnknowns(),
                comparison.gateUnknowns() == 1 ? "" : "s", comparison.runsNeeded, options.alpha);
        return ExitFailed;
    case GateVerdict::Pass:
        break;
    }
    return ExitOk;
}

} // namespace buildscope::cli
