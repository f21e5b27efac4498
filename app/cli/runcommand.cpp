#include "arguments.h"
#include "commands.h"
#include "engine/buildengine.h"
#include "engine/processrunner.h"
#include "run/units.h"
#include "exitcodes.h"
#include "engine/runrecorder.h"
#include "interrupts.h"
#include "progressprinter.h"
#include "report/reportwriter.h"
#include "spec/specloader.h"
#include "storeoptions.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace buildscope::cli {

namespace {

ProgressStyle progressStyle(const Arguments& arguments)
{
    const std::optional<std::string> style = arguments.value("--progress");
    if (!style)
        return ::isatty(STDERR_FILENO) ? ProgressStyle::Tty : ProgressStyle::Plain;
    if (*style == "tty")
        return ProgressStyle::Tty;
    if (*style == "plain")
        return ProgressStyle::Plain;
    if (*style == "none")
        return ProgressStyle::None;
    throw UsageError("--progress expects tty, plain or none, got '" + *style + "'");
}

std::vector<std::pair<std::string, std::string>> labels(const Arguments& arguments)
{
    std::vector<std::pair<std::string, std::string>> result;
    for (const std::string& label : arguments.values("--label")) {
        const std::size_t equals = label.find('=');
        if (equals == 0 || equals == std::string::npos)
            throw UsageError("--label expects KEY=VALUE, got '" + label + "'");
        result.emplace_back(label.substr(0, equals), label.substr(equals + 1));
    }
    return result;
}

int positiveInteger(const Arguments& arguments, std::string_view option, int fallback)
{
    const std::optional<std::string> text = arguments.value(option);
    if (!text)
        return fallback;
    try {
        std::size_t used = 0;
        const int value = std::stoi(*text, &used);
        if (used == text->size() && value > 0)
            return value;
    } catch (const std::exception&) { }
    throw UsageError(std::string(option) + " expects a positive integer, got '" + *text + "'");
}

// Empty when `directory` exists (or could be created) and is writable, else why not.
std::string reportDirectoryProblem(const std::filesystem::path& directory)
{
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error)
        return error.message();
    if (!std::filesystem::is_directory(directory))
        return "not a directory";
    if (::access(directory.c_str(), W_OK) != 0)
        return std::strerror(errno);
    return {};
}

void printSummary(const RunResult& result, int run, int runs)
{
    std::printf("\nrun '%s'%s %s in %s", result.specName.c_str(),
        runs > 1 ? (" " + std::to_string(run) + "/" + std::to_string(runs)).c_str() : "", runStatusName(result.status),
        formatDuration(result.durationSeconds()).c_str());
    if (!result.digest.empty())
        std::printf("  (%s)", result.digest.c_str());
    std::printf("\n");
    std::printf("  %-20s %-10s %10s %10s %12s\n", "step", "status", "wall", "cpu", "peak rss");
    for (const StepResult& step : result.steps) {
        const bool ran = step.status != StepStatus::NotRun && step.status != StepStatus::Pending
            && step.status != StepStatus::Skipped;
        const std::string wall = ran ? formatDuration(step.wallSeconds()) : "-";
        const std::string cpu = ran ? formatDuration(step.userCpuSeconds + step.systemCpuSeconds) : "-";
        const std::string peak = ran && step.peakRssBytes ? formatBytes(static_cast<double>(step.peakRssBytes)) : "-";
        std::printf("  %-20s %-10s %s %s %s%s\n", step.name.c_str(), stepStatusName(step.status),
            padToColumns(wall, 10, true).c_str(), padToColumns(cpu, 10, true).c_str(),
            padToColumns(peak, 12, true).c_str(), step.peakIsProcessTree || !ran ? "" : " (engine)");
    }
    std::printf("  engine: peak rss %s, heap peak %s in %llu allocations\n",
        formatBytes(static_cast<double>(result.enginePeakRssBytes)).c_str(),
        formatBytes(static_cast<double>(result.heapPeakLiveBytes)).c_str(),
        static_cast<unsigned long long>(result.heap.totals.allocations));
    if (!result.failure.empty())
        std::printf("  failure: %s\n", result.failure.c_str());
    std::fflush(stdout);
}

// One run: engine on its worker thread, this thread renders progress, forwards Ctrl-C
// and records the run in the history.
int runOnce(const BuildSpec& spec, const EngineOptions& options, ProgressStyle style,
    const std::optional<std::filesystem::path>& reportDirectory, RunHistory* history, int run, int runs)
{
    BuildEngine engine(spec, options);
    ProgressPrinter progress(engine, style, stderr);
    RunRecorder recorder(history, spec, options,
        [](const std::string& message) { std::fprintf(stderr, "buildscope run: %s\n", message.c_str()); });
    engine.start();
    while (!engine.waitFor(std::chrono::milliseconds(100))) {
        if (interrupted() && !engine.cancelRequested())
            engine.cancel();
        progress.update();
        recorder.flush(engine);
    }
    progress.finish();
    const RunResult& result = engine.result();
    printSummary(result, run, runs);
    recorder.finish(engine);
    if (const std::optional<std::int64_t> id = recorder.runId())
        std::printf("  stored as run %lld in %s\n", static_cast<long long>(*id), history->file().c_str());

    int code = result.status == RunStatus::Succeeded ? ExitOk
        : result.status == RunStatus::Cancelled      ? ExitCancelled
                                                     : ExitFailed;
    if (reportDirectory) {
        try {
            writeRunReport(result, engine.store().snapshot(), *reportDirectory);
            std::printf("  report: %s\n", reportDirectory->c_str());
        } catch (const ReportError& error) {
            std::fprintf(stderr, "buildscope run: cannot write the report: %s\n", error.what());
            if (code == ExitOk)
                code = ExitUsage;
        }
    }
    return code;
}

} // namespace

int runCommand(const std::vector<std::string>& args)
{
    const Arguments arguments(args,
        {{"--report", "", true}, {"--repeat", "", true}, {"--label", "", true, true}, {"--progress", "", true},
            {"--sample-hz", "", true}, storeOption(), {"--no-store", "", false}});
    if (arguments.has("--store") && arguments.has("--no-store"))
        throw UsageError("--store and --no-store exclude each other");
    arguments.expectPositionals(1, 1);
    const std::string& file = arguments.positional(0, "SPEC");
    const ProgressStyle style = progressStyle(arguments);
    const int repeat = positiveInteger(arguments, "--repeat", 1);

    EngineOptions options;
    options.labels = labels(arguments);
    if (const std::optional<std::string> hz = arguments.value("--sample-hz")) {
        try {
            options.sampleHz = std::stod(*hz);
        } catch (const std::exception&) {
            throw UsageError("--sample-hz expects a number, got '" + *hz + "'");
        }
        if (!(*options.sampleHz >= 1 && *options.sampleHz <= 1000))
            throw UsageError("--sample-hz must be between 1 and 1000, got '" + *hz + "'");
    }

    BuildSpec spec;
    try {
        spec = loadSpec(file);
    } catch (const SpecError& error) {
        std::fprintf(stderr, "%s\n", error.what());
        return ExitUsage;
    }

    // A report that cannot be written is bad input: refuse before running the build
    // rather than lose its measurements afterwards.
    if (const std::optional<std::string> report = arguments.value("--report")) {
        if (const std::string problem = reportDirectoryProblem(*report); !problem.empty()) {
            std::fprintf(
                stderr, "buildscope run: cannot write the report to '%s': %s\n", report->c_str(), problem.c_str());
            return ExitUsage;
        }
    }

    // Labels: git commit/branch of the context and the host, then the user's (which win).
    std::vector<std::pair<std::string, std::string>> allLabels = detectContextLabels(spec.context);
    for (const auto& [key, value] : options.labels) {
        std::erase_if(allLabels, [&](const auto& label) { return label.first == key; });
        allLabels.emplace_back(key, value);
    }
    options.labels = std::move(allLabels);

    std::unique_ptr<RunHistory> history;
    if (!arguments.has("--no-store")) {
        try {
            history = openStore(arguments);
        } catch (const HistoryError& error) {
            std::fprintf(
                stderr, "buildscope run: %s\n(use --store PATH for another store, or --no-store)\n", error.what());
            return ExitUsage;
        }
    }

    installInterruptHandlers();
    ProcessRunner::becomeSubreaper();
    int worst = ExitOk;
    for (int run = 1; run <= repeat; ++run) {
        std::optional<std::filesystem::path> reportDirectory;
        if (const std::optional<std::string> report = arguments.value("--report")) {
            reportDirectory = repeat == 1 ? std::filesystem::path(*report)
                                          : std::filesystem::path(*report) / ("run-" + std::to_string(run));
        }
        const int code = runOnce(spec, options, style, reportDirectory, history.get(), run, repeat);
        if (code == ExitCancelled)
            return code;
        if (code != ExitOk && worst == ExitOk)
            worst = code;
    }
    return worst;
}

} // namespace buildscope::cli
