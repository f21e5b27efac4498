#include "engine/contextlabels.h"

#include "engine/gitcommand.h"
#include "run/runresult.h"

#include <charconv>
#include <chrono>
#include <ctime>
#include <optional>

namespace buildscope {

namespace {

constexpr std::chrono::milliseconds kGitTimeout {5000};

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
    if (std::filesystem::is_directory(context, error) && gitInstalled()) {
        // One git call answers three questions, one line each: inside a work tree ("true"),
        // the commit's full hash, and the branch ("HEAD" when detached). Without a commit (a
        // fresh repository) git fails and nothing is labelled.
        const GitOutput output
            = runGit(context, {"rev-parse", "--is-inside-work-tree", "HEAD", "--abbrev-ref", "HEAD"}, kGitTimeout);
        const std::vector<std::string>& lines = output.out;
        if (output.ok() && lines.size() == 3 && lines[0] == "true" && !lines[1].empty()) {
            const std::string& commit = lines[1];
            labels.emplace_back("git.commit", commit);
            // rev-parse cannot print a date and log cannot tell a work tree or a branch: the
            // committer time (history's commit order) takes a second call.
            const GitOutput time
                = runGit(context, {"-c", "log.showSignature=false", "log", "-1", "--format=%ct", commit}, kGitTimeout);
            if (time.ok() && time.out.size() == 1) {
                if (const std::optional<std::string> iso = isoTimeUtc(time.out.front()))
                    labels.emplace_back("git.commit_time", *iso);
            }
            if (lines[2] != "HEAD" && !lines[2].empty())
                labels.emplace_back("git.branch", lines[2]);
        }
    }

    if (const std::string hostname = HostInfo::current().hostname; !hostname.empty())
        labels.emplace_back("host", hostname);
    return labels;
}

} // namespace buildscope
