#include "engine/contextlabels.h"

#include "engine/gitcommand.h"
#include "run/runresult.h"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
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

// FNV-1a (64 bits, hex) of the diff's lines: the same on every platform; two different
// edits of one commit get different labels.
std::string diffHash(const std::vector<std::string>& lines)
{
    std::uint64_t hash = 14695981039346656037ull;
    for (const std::string& line : lines) {
        for (char c : line + '\n') {
            hash ^= static_cast<unsigned char>(c);
            hash *= 1099511628211ull;
        }
    }
    char text[24];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
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
            // A modified work tree is not its commit (issue 18.8): the diff against HEAD of
            // the tracked files (untracked files are often build output) and its hash, so
            // history tells the edit from the commit and two different edits apart.
            const GitOutput diff = runGit(context,
                {"-c", "core.quotePath=false", "diff", "HEAD", "--no-ext-diff", "--no-textconv", "--binary"},
                kGitTimeout);
            if (diff.ok() && !diff.out.empty()) {
                labels.emplace_back("git.dirty", "true");
                labels.emplace_back("git.diff_hash", diffHash(diff.out));
            }
        }
    }

    if (const std::string hostname = HostInfo::current().hostname; !hostname.empty())
        labels.emplace_back("host", hostname);
    return labels;
}

} // namespace buildscope
