#include "arguments.h"
#include "commands.h"
#include "consolereporter.h"
#include "engine/processrunner.h"
#include "engine/runsession.h"
#include "exitcodes.h"
#include "interrupts.h"
#include "report/reportfolder.h"
#include "report/reportwriter.h"
#include "spec/specloader.h"
#include "storeoptions.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
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

// Empty when BuildScope may write the report into `directory` (new, empty, or a report
// folder by its manifest, see core/report/reportfolder.h) and could create it, else why not.
std::string reportDirectoryProblem(const std::filesystem::path& directory, int repeat, ReportSharing sharing)
{
    if (std::string problem = runReportTargetProblem(directory, repeat); !problem.empty())
        return problem;
    try {
        createReportFolder(directory, sharing);
    } catch (const ReportError& error) {
        return error.what();
    }
    if (::access(directory.c_str(), W_OK) != 0)
        return describeWriteError(errno);
    return {};
}

std::string commandLine(const std::vector<std::string>& args)
{
    std::string line = "buildscope run";
    for (const std::string& arg : args)
        line += " " + arg;
    return line;
}

} // namespace

int runCommand(const std::vector<std::string>& args)
{
    // `run [OPTIONS] -- CMD ARGS...`: everything after the first "--" is the command.
    const auto [optionArgs, command, separated] = splitAtCommand(args);

    const Arguments arguments(optionArgs,
        {{"--report", "", true}, {"--repeat", "", true}, {"--label", "", true, true}, {"--progress", "", true},
            {"--sample-hz", "", true}, storeOption(), {"--no-store", "", false}, {"--no-live", "", false},
            {"--no-ledger", "", false}, {"--shared-report", "", false}});
    if (arguments.has("--store") && arguments.has("--no-store"))
        throw UsageError("--store and --no-store exclude each other");
    if (separated && command.empty())
        throw UsageError("no command after '--' (usage: buildscope run [OPTIONS] -- CMD ARGS...)");
    arguments.expectPositionals(!separated ? 1 : 0, !separated ? 1 : 0);
    const ProgressStyle style = progressStyle(arguments);

    RunSessionConfig config;
    config.repeat = static_cast<int>(arguments.integerOption("--repeat", 1, kMaxRepeat, 1));
    config.engine.labels = userLabels(arguments);
    config.publishLive = !arguments.has("--no-live");
    // A build that traces its own children (strace, gdb, rr) cannot run under the ledger:
    // a process has one tracer.
    config.engine.traceProcesses = !arguments.has("--no-ledger");
    config.commandLine = commandLine(args);
    if (arguments.has("--sample-hz"))
        config.engine.sampleHz = arguments.numberOption("--sample-hz", 1, 1000, 20);

    if (!command.empty()) {
        std::error_code error;
        config.spec = commandSpec(command, std::filesystem::current_path(error));
    } else {
        try {
            config.spec = loadSpec(arguments.positional(0, "SPEC"));
        } catch (const SpecError& error) {
            std::fprintf(stderr, "%s\n", error.what());
            return ExitUsage;
        }
    }

    // A report that cannot be written is bad input: refuse before running the build
    // rather than lose its measurements afterwards; so is a folder holding someone's files,
    // which a report would replace or remove.
    if (const std::optional<std::string> report = arguments.value("--report")) {
        if (report->empty())
            throw UsageError("--report needs a folder name");
        config.reportSharing = arguments.has("--shared-report") ? ReportSharing::Shared : ReportSharing::Private;
        if (const std::string problem = reportDirectoryProblem(*report, config.repeat, config.reportSharing);
            !problem.empty()) {
            std::fprintf(
                stderr, "buildscope run: cannot write the report to '%s': %s\n", report->c_str(), problem.c_str());
            return ExitUsage;
        }
        config.reportDirectory = std::filesystem::path(*report);
    } else if (arguments.has("--shared-report")) {
        throw UsageError("--shared-report needs --report DIR");
    }

    std::optional<std::unique_ptr<RunHistory>> opened = openRecordingStore(arguments, "run");
    if (!opened)
        return ExitUsage;
    const std::unique_ptr<RunHistory> history = std::move(*opened); // nullptr with --no-store
    config.history = history.get();

    installInterruptHandlers();
    ProcessRunner::becomeSubreaper();
    RunSession session(std::move(config));
    for (const std::filesystem::path& stale : session.removedStaleReports())
        std::fprintf(
            stderr, "buildscope run: removed %s, written by an earlier run with more or fewer rounds\n", stale.c_str());
    if (history)
        std::fprintf(stderr, "buildscope run: recording in %s\n", history->file().c_str());

    ConsoleReporter reporter(style, stderr, stdout);
    return session.run(interruptFlag(), reporter);
}

} // namespace buildscope::cli
