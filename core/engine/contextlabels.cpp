#include "engine/contextlabels.h"

#include "engine/gitcommand.h"
#include "run/runresult.h"

#include <chrono>

namespace buildscope {

namespace {

constexpr std::chrono::milliseconds kGitTimeout {5000};

} // namespace

std::vector<std::pair<std::string, std::string>> detectContextLabels(const std::filesystem::path& context)
{
    std::vector<std::pair<std::string, std::string>> labels;

    std::error_code error;
    if (std::filesystem::is_directory(context, error) && gitInstalled()) {
        // One git call answers all three questions, one line each: inside a work tree
        // ("true"), the commit's full hash, and the branch ("HEAD" when detached). Without a
        // commit (a fresh repository) git fails and nothing is labelled.
        const GitOutput output
            = runGit(context, {"rev-parse", "--is-inside-work-tree", "HEAD", "--abbrev-ref", "HEAD"}, kGitTimeout);
        const std::vector<std::string>& lines = output.out;
        if (output.ok() && lines.size() == 3 && lines[0] == "true" && !lines[1].empty()) {
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
