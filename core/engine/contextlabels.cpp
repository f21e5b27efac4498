#include "engine/contextlabels.h"

#include "engine/processrunner.h"
#include "run/runresult.h"

#include <atomic>
#include <charconv>
#include <chrono>
#include <ctime>
#include <optional>

namespace buildscope {

namespace {

constexpr std::chrono::milliseconds kGitTimeout {5000};

// The parent's GIT_DIR, GIT_WORK_TREE, ... (set when BuildScope itself runs from a git
// hook, say) would point git at another repository than the context's.
std::vector<std::string> gitEnvironment()
{
    std::vector<std::string> environment = currentEnvironment();
    std::erase_if(environment, [](const std::string& entry) {
        return entry.starts_with("GIT_DIR=") || entry.starts_with("GIT_WORK_TREE=")
            || entry.starts_with("GIT_INDEX_FILE=") || entry.starts_with("GIT_COMMON_DIR=")
            || entry.starts_with("GIT_CEILING_DIRECTORIES=");
    });
    environment.emplace_back("LC_ALL=C");
    return environment;
}

// git's stdout lines, or none when it did not exit with 0 in time.
std::optional<std::vector<std::string>> runGit(
    const std::filesystem::path& directory, const std::vector<std::string>& arguments)
{
    ProcessSpec spec;
    spec.argv = {"git"};
    spec.argv.insert(spec.argv.end(), arguments.begin(), arguments.end());
    spec.workingDirectory = directory;
    spec.environment = gitEnvironment();
    spec.timeout = kGitTimeout;
    spec.killGrace = std::chrono::milliseconds(500);
    std::vector<std::string> lines;
    const std::atomic<bool> cancel {false};
    const ProcessOutcome outcome = ProcessRunner::run(
        spec,
        [&](LogStream stream, std::string_view line) {
            if (stream == LogStream::Stdout)
                lines.emplace_back(line);
        },
        cancel);
    if (outcome.end != ProcessOutcome::End::Exited || outcome.exitCode != 0)
        return std::nullopt;
    return lines;
}

// Seconds since the epoch ("1764511509") as ISO 8601 UTC ("2025-11-30T14:05:09Z").
std::optional<std::string> isoTimeUtc(const std::string& seconds)
{
    long long value = 0;
    const auto [end, problem] = std::from_chars(seconds.data(), seconds.data() + seconds.size(), value);
    if (problem != std::errc() || end != seconds.data() + seconds.size())
        return std::nullopt;
    const auto time = static_cast<std::time_t>(value);
    std::tm utc {};
    if (!gmtime_r(&time, &utc))
        return std::nullopt;
    char text[32];
    if (std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc) == 0)
        return std::nullopt;
    return std::string(text);
}

} // namespace

std::vector<std::pair<std::string, std::string>> detectContextLabels(const std::filesystem::path& context)
{
    std::vector<std::pair<std::string, std::string>> labels;

    std::error_code error;
    if (std::filesystem::is_directory(context, error) && !ProcessRunner::findInPath("git").empty()) {
        // One git call answers three questions, one line each: inside a work tree ("true"),
        // the commit's full hash, and the branch ("HEAD" when detached). Without a commit (a
        // fresh repository) git fails and nothing is labelled.
        const std::optional<std::vector<std::string>> lines
            = runGit(context, {"rev-parse", "--is-inside-work-tree", "HEAD", "--abbrev-ref", "HEAD"});
        if (lines && lines->size() == 3 && (*lines)[0] == "true" && !(*lines)[1].empty()) {
            const std::string& commit = (*lines)[1];
            labels.emplace_back("git.commit", commit);
            // rev-parse cannot print a date and log cannot tell a work tree or a branch: the
            // committer time (history's commit order) takes a second call.
            const std::optional<std::vector<std::string>> time
                = runGit(context, {"-c", "log.showSignature=false", "log", "-1", "--format=%ct", commit});
            if (time && time->size() == 1) {
                if (const std::optional<std::string> iso = isoTimeUtc(time->front()))
                    labels.emplace_back("git.commit_time", *iso);
            }
            if ((*lines)[2] != "HEAD" && !(*lines)[2].empty())
                labels.emplace_back("git.branch", (*lines)[2]);
        }
    }

    if (const std::string hostname = HostInfo::current().hostname; !hostname.empty())
        labels.emplace_back("host", hostname);
    return labels;
}

} // namespace buildscope
