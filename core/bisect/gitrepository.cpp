#include "bisect/gitrepository.h"

#include "bisect/bisecterror.h"
#include "engine/gitcommand.h"

namespace buildscope {

GitRepository::GitRepository(std::filesystem::path topLevel)
    : m_topLevel(std::move(topLevel))
{ }

GitRepository GitRepository::containing(const std::filesystem::path& directory)
{
    if (!gitInstalled())
        throw BisectError("bisect needs git, which is not installed (not found in PATH)");
    std::error_code error;
    if (!std::filesystem::is_directory(directory, error))
        throw BisectError("'" + directory.string() + "' is not a directory");
    const GitOutput output = runGit(directory, {"rev-parse", "--is-inside-work-tree", "--show-toplevel"});
    if (!output.ok() || output.out.size() != 2 || output.out[0] != "true")
        throw BisectError("'" + directory.string() + "' is not inside a git work tree: bisect checks out commits of "
            + "the repository the build lives in");
    return GitRepository(output.out[1]);
}

GitCommit GitRepository::resolve(const std::string& revision) const
{
    // "--end-of-options": a revision such as "--output=x" is a name, never an option.
    const GitOutput hash
        = runGit(m_topLevel, {"rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"});
    if (revision.empty() || !hash.ok() || hash.out.size() != 1)
        throw BisectError("'" + revision + "' is not a commit of " + m_topLevel.string());
    const GitOutput subject = runGit(m_topLevel, {"log", "-1", "--no-color", "--format=%s", hash.out[0]});
    return {hash.out[0], subject.ok() && !subject.out.empty() ? subject.out[0] : std::string()};
}

bool GitRepository::isAncestor(const std::string& ancestor, const std::string& descendant) const
{
    const GitOutput output = runGit(m_topLevel, {"merge-base", "--is-ancestor", ancestor, descendant});
    if (output.started && !output.timedOut && output.exitCode == 1)
        return false;
    if (!output.ok())
        throw BisectError("git merge-base failed: " + output.errorText());
    return true;
}

std::vector<GitCommit> GitRepository::firstParentRange(const std::string& good, const std::string& bad) const
{
    const GitOutput output = runGit(m_topLevel,
        {"log", "--first-parent", "--reverse", "--no-color", "--format=%H%x09%s", good + ".." + bad},
        std::chrono::milliseconds(60000));
    if (!output.ok())
        throw BisectError("git log " + good + ".." + bad + " failed: " + output.errorText());
    std::vector<GitCommit> commits;
    for (const std::string& line : output.out) {
        const std::size_t tab = line.find('\t');
        commits.push_back({line.substr(0, tab), tab == std::string::npos ? std::string() : line.substr(tab + 1)});
    }
    return commits;
}

} // namespace buildscope
