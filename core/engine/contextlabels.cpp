#include "engine/contextlabels.h"

#include "engine/processrunner.h"
#include "run/runresult.h"

#include <atomic>
#include <chrono>

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

} // namespace

std::vector<std::pair<std::string, std::string>> detectContextLabels(const std::filesystem::path& context)
{
    std::vector<std::pair<std::string, std::string>> labels;

    std::error_code error;
    if (std::filesystem::is_directory(context, error) && !ProcessRunner::findInPath("git").empty()) {
        // One git call answers all three questions, one line each: inside a work tree
        // ("true"), the commit's full hash, and the branch ("HEAD" when detached). Without a
        // commit (a fresh repository) git fails and nothing is labelled.
        ProcessSpec spec;
        spec.argv = {"git", "rev-parse", "--is-inside-work-tree", "HEAD", "--abbrev-ref", "HEAD"};
        spec.workingDirectory = context;
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
        if (outcome.end == ProcessOutcome::End::Exited && outcome.exitCode == 0 && lines.size() == 3
            && lines[0] == "true" && !lines[1].empty()) {
            labels.emplace_back("git.commit", lines[1]);
            if (lines[2] != "HEAD" && !lines[2].empty())
                labels.emplace_back("git.branch", lines[2]);
        }
    }

    if (const std::string hostname = HostInfo::current().hostname; !hostname.empty())
        labels.emplace_back("host", hostname);
    return labels;
}

} // namespace buildscope
