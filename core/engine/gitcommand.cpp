#include "engine/gitcommand.h"

#include "engine/processrunner.h"

#include <atomic>

namespace buildscope {

namespace {

std::vector<std::string> gitEnvironment()
{
    std::vector<std::string> environment = currentEnvironment();
    std::erase_if(environment, [](const std::string& entry) {
        return entry.starts_with("GIT_DIR=") || entry.starts_with("GIT_WORK_TREE=")
            || entry.starts_with("GIT_INDEX_FILE=") || entry.starts_with("GIT_COMMON_DIR=")
            || entry.starts_with("GIT_CEILING_DIRECTORIES=") || entry.starts_with("LC_ALL=");
    });
    environment.emplace_back("LC_ALL=C");
    // Queries need no lock on the index: they must not get in the way of the user's own git.
    environment.emplace_back("GIT_OPTIONAL_LOCKS=0");
    return environment;
}

} // namespace

std::string GitOutput::errorText() const
{
    if (!started)
        return "git could not be started";
    if (timedOut)
        return "git timed out";
    if (cancelled)
        return "git was interrupted";
    std::string text;
    for (const std::string& line : err)
        text += (text.empty() ? "" : "\n") + line;
    return text.empty() ? "git exited with status " + std::to_string(exitCode) : text;
}

GitOutput runGit(const std::filesystem::path& directory, const std::vector<std::string>& args,
    std::chrono::milliseconds timeout, const std::atomic<bool>* cancel)
{
    ProcessSpec spec;
    spec.argv = {"git"};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.workingDirectory = directory;
    spec.environment = gitEnvironment();
    spec.timeout = timeout;
    spec.killGrace = std::chrono::milliseconds(500);
    spec.traceProcesses = false;
    GitOutput output;
    const std::atomic<bool> never {false};
    const ProcessOutcome outcome = ProcessRunner::run(
        spec,
        [&](LogStream stream, std::string_view line) {
            (stream == LogStream::Stdout ? output.out : output.err).emplace_back(line);
        },
        cancel ? *cancel : never);
    output.started = outcome.end != ProcessOutcome::End::FailedToStart;
    output.timedOut = outcome.end == ProcessOutcome::End::TimedOut;
    output.cancelled = outcome.end == ProcessOutcome::End::Cancelled;
    output.exitCode = outcome.end == ProcessOutcome::End::Exited ? outcome.exitCode : -1;
    return output;
}

bool gitInstalled()
{
    return !ProcessRunner::findInPath("git").empty();
}

} // namespace buildscope
