#include "arguments.h"
#include "bisect/bisecterror.h"
#include "bisect/bisectformat.h"
#include "bisect/bisection.h"
#include "commands.h"
#include "compare/comparisonformat.h"
#include "compare/runcomparison.h"
#include "engine/processrunner.h"
#include "exitcodes.h"
#include "interrupts.h"
#include "spec/specloader.h"
#include "storeoptions.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace buildscope::cli {

namespace {

// Progress on stderr, one line per commit measured and per run, so a CI log shows where
// a long bisection is.
class BisectProgress : public BisectObserver
{
public:
    void measuring(const GitCommit& commit, const std::string& role, int step, int steps, std::size_t left, int runs,
        bool more) override
    {
        std::fprintf(stderr, "%s...\n", bisectProgressLine(commit, role, step, steps, left, runs, more).c_str());
    }
    void roundFinished(const RunResult& result, int index, int count) override
    {
        std::fprintf(stderr, "  run %d/%d: %s%s%s\n", index, count, runStatusName(result.status),
            result.failure.empty() ? "" : ": ", result.failure.c_str());
    }
    void decided(const TestedCommit& tested) override
    {
        std::string detail;
        if (tested.role != "good" && !std::isnan(tested.median) && !std::isnan(tested.baseMedian)) {
            char change[96];
            std::snprintf(change, sizeof change, "%+.1f%%, p=%.3f", tested.deltaPercent, tested.pValue);
            detail = " (" + tested.subject + " " + formatMetricValue(tested.baseMedian, tested.unit) + " -> "
                + formatMetricValue(tested.median, tested.unit) + ", " + change + ")";
        } else if (!tested.note.empty() && tested.verdict != CommitVerdict::Good) {
            detail = " (" + tested.note + ")";
        }
        std::fprintf(stderr, "  %s: %s%s\n", tested.commit.shortHash().c_str(), commitVerdictName(tested.verdict),
            detail.c_str());
    }
    void warning(const std::string& message) override
    {
        std::fprintf(stderr, "buildscope bisect: warning: %s\n", message.c_str());
    }
};

Labels userLabels(const Arguments& arguments)
{
    Labels result;
    for (const std::string& label : arguments.values("--label")) {
        const std::size_t equals = label.find('=');
        if (equals == 0 || equals == std::string::npos)
            throw UsageError("--label expects KEY=VALUE, got '" + label + "'");
        result.emplace_back(label.substr(0, equals), label.substr(equals + 1));
    }
    return result;
}

std::string metricOption(const Arguments& arguments)
{
    const std::string metric = arguments.value("--metric").value_or("peak_rss_bytes");
    const std::vector<std::string>& known = comparisonMetrics();
    if (std::find(known.begin(), known.end(), metric) == known.end()) {
        std::string list;
        for (const std::string& name : known)
            list += (list.empty() ? "" : ", ") + name;
        throw UsageError("--metric: unknown metric '" + metric + "' (known: " + list + ")");
    }
    return metric;
}

int exitCodeFor(BisectOutcome outcome)
{
    switch (outcome) {
    case BisectOutcome::Found:
        return ExitOk;
    case BisectOutcome::Cancelled:
        return ExitCancelled;
    case BisectOutcome::Range:
    case BisectOutcome::NoRegression:
    case BisectOutcome::CannotTell:
        return ExitFailed;
    }
    return ExitFailed;
}

} // namespace

int bisectCommand(const std::vector<std::string>& args)
{
    // `bisect [OPTIONS] -- CMD ARGS...`: everything after the first "--" is the command.
    const auto [optionArgs, command, separated] = splitAtCommand(args);

    const Arguments arguments(optionArgs,
        {{"--good", "", true}, {"--bad", "", true}, {"--repeat", "", true}, {"--metric", "", true}, {"--key", "", true},
            {"--threshold", "", true}, {"--alpha", "", true}, {"--format", "", true}, {"--label", "", true, true},
            storeOption(), {"--no-store", "", false}, {"--no-ledger", "", false}});
    if (arguments.has("--store") && arguments.has("--no-store"))
        throw UsageError("--store and --no-store exclude each other");
    if (separated && command.empty())
        throw UsageError(
            "no command after '--' (usage: buildscope bisect --good REV --bad REV [OPTIONS] -- CMD ARGS...)");
    const std::optional<std::string> good = arguments.value("--good");
    const std::optional<std::string> bad = arguments.value("--bad");
    if (!good || good->empty())
        throw UsageError("--good REV is required: a commit whose build does not have the regression");
    if (!bad || bad->empty())
        throw UsageError("--bad REV is required: a commit whose build has it");
    if (!separated && arguments.positionals().empty())
        throw UsageError("missing SPEC (or -- CMD ARGS...): what to build at each commit");
    arguments.expectPositionals(!separated ? 1 : 0, !separated ? 1 : 0);
    const std::string format = arguments.value("--format").value_or("text");
    if (format != "text" && format != "json")
        throw UsageError("--format expects text or json, got '" + format + "'");

    BisectOptions options;
    options.good = *good;
    options.bad = *bad;
    options.repeat = static_cast<int>(arguments.integerOption("--repeat", 1, kMaxRepeat / 4, 5));
    options.metric = metricOption(arguments);
    options.key = arguments.value("--key").value_or("");
    options.thresholdPercent = arguments.numberOption("--threshold", 0.0, 1000.0, 5.0);
    options.alpha = arguments.numberOption("--alpha", 1e-9, 0.5, 0.05);
    options.engine.labels = userLabels(arguments);
    options.engine.traceProcesses = !arguments.has("--no-ledger");

    if (!command.empty()) {
        std::error_code error;
        options.target.command = command;
        options.target.directory = std::filesystem::current_path(error);
    } else {
        try {
            const BuildSpec spec = loadSpec(arguments.positional(0, "SPEC"));
            options.target.specFile = spec.file;
            options.target.directory = spec.context;
        } catch (const SpecError& error) {
            std::fprintf(stderr, "%s\n", error.what());
            return ExitUsage;
        }
    }

    std::optional<std::unique_ptr<RunHistory>> opened = openRecordingStore(arguments, "bisect");
    if (!opened)
        return ExitUsage;
    const std::unique_ptr<RunHistory> history = std::move(*opened); // nullptr with --no-store
    options.history = history.get();

    installInterruptHandlers();
    ProcessRunner::becomeSubreaper();
    BisectProgress progress;
    BisectResult result;
    try {
        result = bisect(options, interruptFlag(), progress);
    } catch (const BisectError& error) {
        std::fprintf(stderr, "buildscope bisect: %s\n", error.what());
        return ExitUsage;
    }
    if (history)
        std::fprintf(stderr, "buildscope bisect: runs recorded in %s with label bisect=%s\n", history->file().c_str(),
            result.sessionId.c_str());
    std::cout << (format == "json" ? bisectJson(result) : formatBisectText(result));
    std::cout.flush();
    return exitCodeFor(result.outcome);
}

} // namespace buildscope::cli
