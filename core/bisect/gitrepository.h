#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace buildscope {

struct GitCommit
{
    std::string hash; // full
    std::string subject; // the first line of its message
    std::string shortHash() const { return hash.substr(0, 7); }
};

// The questions a bisection asks of the repository a build lives in; every answer comes
// from one git command (gitcommand.h). Read-only: nothing here changes the repository.
class GitRepository
{
public:
    // The repository whose work tree holds `directory`; BisectError when git is missing or
    // `directory` is not inside a git work tree.
    static GitRepository containing(const std::filesystem::path& directory);

    // The top of the work tree (as git prints it: symbolic links resolved).
    const std::filesystem::path& topLevel() const noexcept { return m_topLevel; }

    // REV (a hash, branch, tag, HEAD~3, ...) as a commit; BisectError when it names none.
    GitCommit resolve(const std::string& revision) const;
    bool isAncestor(const std::string& ancestor, const std::string& descendant) const;
    // The first-parent commits after `good` up to and including `bad`, oldest first
    // (`git rev-list --first-parent --reverse good..bad`, with subjects).
    std::vector<GitCommit> firstParentRange(const std::string& good, const std::string& bad) const;

private:
    explicit GitRepository(std::filesystem::path topLevel);
    std::filesystem::path m_topLevel;
};

} // namespace buildscope
