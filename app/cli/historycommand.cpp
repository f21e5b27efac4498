#include "arguments.h"
#include "commands.h"
#include "exitcodes.h"
#include "report/reportreader.h"
#include "report/reportwriter.h"
#include "run/units.h"
#include "specidentity.h"
#include "storeoptions.h"
#include "trends/historychanges.h"
#include "trends/trendformat.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <limits>
#include <set>

namespace buildscope::cli {

namespace {

std::string localTime(std::chrono::system_clock::time_point time)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm local {};
    localtime_r(&seconds, &local);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &local);
    return text;
}

std::int64_t runId(const std::string& text)
{
    try {
        return parseInteger("a run id", text, 1, std::numeric_limits<std::int64_t>::max());
    } catch (const UsageError&) {
        throw UsageError("expected a run id (a positive integer), got '" + text + "'");
    }
}

// More than any store holds; a bound, so no option is unbounded.
constexpr std::int64_t kMaxListLimit = 1'000'000'000;

// The statuses a stored run can have (docs/HISTORY.md); anything else matches nothing
// and is a typo.
const std::vector<std::string> kStatuses {"running", "succeeded", "failed", "cancelled", "interrupted"};

std::string statusOption(const Arguments& arguments)
{
    const std::string status = arguments.value("--status").value_or("");
    if (!status.empty() && std::find(kStatuses.begin(), kStatuses.end(), status) == kStatuses.end())
        throw UsageError("--status expects running, succeeded, failed, cancelled or interrupted, got '" + status + "'");
    return status;
}

int list(const std::vector<std::string>& args)
{
    const Arguments arguments(args,
        {storeOption(), {"--spec", "", true}, {"--label", "", true, true}, {"--status", "", true},
            {"--limit", "", true}});
    arguments.expectPositionals(0, 0);
    RunFilter filter;
    filter.specName = arguments.value("--spec").value_or("");
    filter.status = statusOption(arguments);
    for (const std::string& label : arguments.values("--label")) {
        const std::size_t equals = label.find('=');
        if (equals == 0 || equals == std::string::npos)
            throw UsageError("--label expects KEY=VALUE, got '" + label + "'");
        filter.labels.emplace_back(label.substr(0, equals), label.substr(equals + 1));
    }
    filter.limit = static_cast<std::size_t>(arguments.integerOption("--limit", 1, kMaxListLimit, 0)); // 0: all
    const auto history = openStoreForReading(arguments);
    const std::vector<RunRecord> runs = history->list(filter);
    std::printf("%6s  %-19s  %-12s  %-20s  %10s  %12s  %s\n", "id", "started", "status", "spec", "duration", "peak rss",
        "labels");
    for (const RunRecord& run : runs) {
        std::string labels;
        for (const auto& [key, value] : run.labels)
            labels += (labels.empty() ? "" : " ") + key + "=" + value;
        std::printf("%6lld  %-19s  %-12s  %-20s  %s  %s  %s\n", static_cast<long long>(run.id),
            localTime(run.startedAt).c_str(), run.status.c_str(), run.specName.c_str(),
            padToColumns(formatDuration(run.durationSeconds), 10, true).c_str(),
            padToColumns(formatBytes(static_cast<double>(run.treePeakRssBytes)), 12, true).c_str(), labels.c_str());
    }
    if (runs.empty())
        std::fprintf(stderr, "no runs in %s match\n", history->file().c_str());
    return ExitOk;
}

int show(const std::vector<std::string>& args)
{
    const Arguments arguments(args, {storeOption(), {"--log", "", false}});
    arguments.expectPositionals(1, 1);
    const auto history = openStoreForReading(arguments);
    for (std::int64_t id : history->select(arguments.positional(0, "ID"))) {
        const LoadedReport run = history->load(id);
        const RunResult& result = run.result;
        std::printf("run %lld: '%s' %s, started %s, %s\n", static_cast<long long>(id), result.specName.c_str(),
            runStatusName(result.status), localTime(result.startedAt).c_str(),
            formatDuration(result.durationSeconds()).c_str());
        std::printf(
            "  spec %s on %s (%s)\n", result.specFile.c_str(), result.host.hostname.c_str(), result.host.os.c_str());
        if (!result.digest.empty())
            std::printf("  digest %s\n", result.digest.c_str());
        if (!result.failure.empty())
            std::printf("  failure: %s\n", result.failure.c_str());
        for (const auto& [key, value] : result.labels)
            std::printf("  label %s=%s\n", key.c_str(), value.c_str());
        std::printf("  %-20s %-10s %10s %12s\n", "step", "status", "wall", "peak rss");
        for (const StepResult& step : result.steps) {
            std::printf("  %-20s %-10s %s %s\n", step.name.c_str(), stepStatusName(step.status),
                padToColumns(formatDuration(step.wallSeconds()), 10, true).c_str(),
                padToColumns(step.peakRssBytes ? formatBytes(static_cast<double>(step.peakRssBytes)) : "-", 12, true)
                    .c_str());
        }
        std::printf("  %zu samples\n", run.samples.rows.size());
        if (arguments.has("--log")) {
            for (const LogEntry& entry : history->logTail(id))
                std::printf("  [%s] %s\n", entry.step.empty() ? "engine" : entry.step.c_str(), entry.text.c_str());
        }
    }
    return ExitOk;
}

// Why `directory` cannot take an export without --force: it holds something (empty
// when it is absent or an empty directory).
std::string exportTargetProblem(const std::filesystem::path& directory)
{
    std::error_code error;
    const std::filesystem::file_status status = std::filesystem::status(directory, error);
    if (!std::filesystem::exists(status))
        return {};
    if (!std::filesystem::is_directory(status))
        return "is not a directory";
    if (std::filesystem::is_empty(directory, error) || error)
        return {};
    return "is not empty";
}

int exportRun(const std::vector<std::string>& args)
{
    const Arguments arguments(args, {storeOption(), {"--report", "", true}, {"--force", "", false}});
    arguments.expectPositionals(1, 1);
    const std::optional<std::string> directory = arguments.value("--report");
    if (!directory)
        throw UsageError("missing --report DIR");
    if (directory->empty())
        throw UsageError("--report expects a directory, got ''");
    const std::int64_t id = runId(arguments.positional(0, "ID"));
    // A report is written into an empty or new folder: replacing whatever is there (another
    // run's report, someone's files) without a word is what --force is for.
    if (const std::string problem = exportTargetProblem(*directory); !problem.empty()) {
        if (problem != "is not empty" || !arguments.has("--force")) {
            std::fprintf(stderr, "buildscope history export: '%s' %s; %s\n", directory->c_str(), problem.c_str(),
                problem == "is not empty" ? "export writes into an empty or new folder (--force writes the report "
                                            "files into it anyway, replacing those of the same name)"
                                          : "export writes a report folder");
            return ExitUsage;
        }
    }
    const auto history = openStoreForReading(arguments);
    try {
        history->exportRun(id, *directory);
    } catch (const ReportError& error) {
        std::fprintf(stderr, "buildscope history export: %s\n", error.what());
        return ExitUsage;
    }
    std::printf("run %lld written to %s\n", static_cast<long long>(id), directory->c_str());
    return ExitOk;
}

int importReports(const std::vector<std::string>& args)
{
    const Arguments arguments(args, {storeOption()});
    if (arguments.positionals().empty())
        throw UsageError("missing report directory");
    const auto history = openStore(arguments);
    // Every report is read and checked before any is stored: `import A BAD C` imports
    // nothing and says why, rather than leaving A in and C out.
    std::vector<std::pair<std::string, LoadedReport>> reports;
    for (const std::string& directory : arguments.positionals()) {
        try {
            reports.emplace_back(directory, readRunReport(directory));
        } catch (const ReportError& error) {
            std::fprintf(stderr, "buildscope history import: %s\nnothing was imported (%zu report%s given)\n",
                error.what(), arguments.positionals().size(), arguments.positionals().size() == 1 ? "" : "s");
            return ExitUsage;
        }
    }
    for (const auto& [directory, report] : reports) {
        if (const std::optional<std::int64_t> stored = history->findStored(report.result)) {
            std::printf("%s is already stored as run %lld (not imported again)\n", directory.c_str(),
                static_cast<long long>(*stored));
            continue;
        }
        const std::int64_t id = history->importReport(report);
        std::printf("%s imported as run %lld\n", directory.c_str(), static_cast<long long>(id));
    }
    return ExitOk;
}

int deleteRun(const std::vector<std::string>& args)
{
    const Arguments arguments(args, {storeOption()});
    arguments.expectPositionals(1, 1);
    const auto history = openStore(arguments);
    const std::int64_t id = runId(arguments.positional(0, "ID"));
    history->deleteRun(id);
    std::printf("run %lld deleted\n", static_cast<long long>(id));
    return ExitOk;
}

// --key: a step ("step/NAME"), a command of the build ("process/KEY") or the run ("run"),
// as compare names its rows.
std::string trendKeyOption(const Arguments& arguments)
{
    const std::string key = arguments.value("--key").value_or("");
    if (key.empty() && arguments.has("--key"))
        throw UsageError("--key expects step/NAME, process/KEY or run, got ''");
    if (!key.empty() && key != "run" && !(key.starts_with("step/") && key.size() > 5)
        && !(key.starts_with("process/") && key.size() > 8))
        throw UsageError("--key expects step/NAME, process/KEY or run, got '" + key + "'");
    return key;
}

// --metric: one metric, several (comma-separated) or "all"; the peak memory metrics
// without it, as the compare gate (timings on a shared machine move with its load).
std::vector<std::string> trendMetricsOption(const Arguments& arguments)
{
    if (!arguments.has("--metric"))
        return {"peak_rss_bytes", "tree_peak_rss_bytes"};
    const std::string text = arguments.value("--metric").value_or("");
    if (text == "all")
        return {};
    const std::vector<std::string>& known = storedRunMetrics();
    std::vector<std::string> metrics;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = text.find(',', start);
        const std::string metric = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (std::find(known.begin(), known.end(), metric) == known.end()) {
            std::string list;
            for (const std::string& name : known)
                list += (list.empty() ? "" : ", ") + name;
            throw UsageError("--metric: unknown metric '" + metric + "' (known: " + list + ", or all)");
        }
        metrics.push_back(metric);
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return metrics;
}

// Change points over the stored runs that succeeded, in commit order (docs/HISTORY.md).
int changes(const std::vector<std::string>& args)
{
    const Arguments arguments(args,
        {storeOption(), {"--spec", "", true}, {"--key", "", true}, {"--metric", "", true}, {"--threshold", "", true},
            {"--alpha", "", true}, {"--min-segment", "", true}, {"--format", "", true}});
    arguments.expectPositionals(0, 0);
    TrendQuery query;
    query.spec = arguments.value("--spec").value_or("");
    query.key = trendKeyOption(arguments);
    query.metrics = trendMetricsOption(arguments);
    ChangePointOptions options;
    options.thresholdPercent = arguments.numberOption("--threshold", 0.0, 1000.0, 5.0);
    options.alpha = arguments.numberOption("--alpha", 1e-9, 0.5, 0.05);
    options.minSegment = static_cast<std::size_t>(arguments.integerOption("--min-segment", 1, 1000, 3));
    const std::string format = arguments.value("--format").value_or("text");
    if (format != "text" && format != "csv" && format != "json")
        throw UsageError("--format expects text, csv or json, got '" + format + "'");

    const auto history = openStoreForReading(arguments);
    const std::vector<TrendSeries> trends = findHistoryChanges(*history, query, options);
    if (format == "csv")
        writeChangesCsv(trends, std::cout);
    else if (format == "json")
        std::cout << changesJson(trends, options);
    else
        std::cout << formatChangesText(trends, options);
    std::cout.flush();
    // A series is one spec name: runs of two specs with the same name (two spec files, one
    // command run in two folders) would be searched as one; say so (issue 18.7).
    std::set<std::string> warned;
    for (const TrendSeries& trend : trends) {
        if (!warned.insert(trend.spec).second)
            continue;
        RunFilter filter;
        filter.specName = trend.spec;
        filter.status = "succeeded";
        std::set<std::string> identities;
        for (const RunRecord& run : history->list(filter))
            identities.insert(specIdentity(run.specName, run.specFile, run.context));
        if (identities.size() > 1)
            std::fprintf(stderr,
                "buildscope history changes: warning: the runs named '%s' are of %zu different specs, searched as "
                "one series: %s\n",
                trend.spec.c_str(), identities.size(), describeSpecIdentities(identities).c_str());
    }
    if (trends.empty())
        std::fprintf(stderr, "buildscope history changes: no successful run in %s has %s\n", history->file().c_str(),
            query.spec.empty() && query.key.empty() && !arguments.has("--metric") ? "figures"
                                                                                  : "the figures asked for");
    return ExitOk;
}

} // namespace

int historyCommand(const std::vector<std::string>& args)
{
    if (args.empty())
        throw UsageError("missing subcommand: list, show, changes, export, import or delete");
    const std::string& sub = args.front();
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    try {
        if (sub == "list")
            return list(rest);
        if (sub == "show")
            return show(rest);
        if (sub == "changes")
            return changes(rest);
        if (sub == "export")
            return exportRun(rest);
        if (sub == "import")
            return importReports(rest);
        if (sub == "delete")
            return deleteRun(rest);
    } catch (const HistoryError& error) {
        std::fprintf(stderr, "buildscope history %s: %s\n", sub.c_str(), error.what());
        return ExitUsage;
    }
    throw UsageError("unknown history subcommand '" + sub + "' (list, show, changes, export, import, delete)");
}

} // namespace buildscope::cli
