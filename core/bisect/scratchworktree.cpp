#include "bisect/scratchworktree.h"

#include "bisect/bisecterror.h"
#include "bisect/gitrepository.h"
#include "engine/gitcommand.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <unistd.h> // mkdtemp on macOS
#include <vector>

namespace buildscope {

namespace {

constexpr std::chrono::milliseconds kCheckoutTimeout {600000}; // a large repository's checkout

// Hooks are the user's automation for their own checkouts (post-checkout and friends):
// they have no business running in a scratch tree, once per tested commit.
std::vector<std::string> withoutHooks(std::vector<std::string> args)
{
    args.insert(args.begin(), {"-c", "core.hooksPath=/dev/null"});
    return args;
}

} // namespace

ScratchWorktree::ScratchWorktree(
    const GitRepository& repository, const std::string& commit, const std::atomic<bool>& cancel)
    : m_repository(repository.topLevel())
    , m_cancel(cancel)
{
    std::error_code error;
    std::string pattern = (std::filesystem::temp_directory_path(error) / "buildscope-bisect-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        throw BisectError(
            "cannot create a temporary directory for the bisection's worktree: " + std::string(std::strerror(errno)));
    m_directory = pattern;
    m_root = m_directory / "tree";
    const GitOutput added = runGit(m_repository,
        withoutHooks({"worktree", "add", "--detach", "--quiet", m_root.string(), commit}), kCheckoutTimeout, &m_cancel);
    if (!added.ok()) {
        const std::string problem = added.errorText();
        remove();
        throw BisectError("git worktree add failed: " + problem);
    }
}

ScratchWorktree::~ScratchWorktree()
{
    remove();
}

void ScratchWorktree::checkout(const std::string& commit)
{
    const GitOutput cleaned = runGit(m_root, {"clean", "-ffdxq"}, kCheckoutTimeout, &m_cancel);
    if (!cleaned.ok())
        throw BisectError("git clean in the bisection's worktree failed: " + cleaned.errorText());
    const GitOutput checkedOut = runGit(
        m_root, withoutHooks({"checkout", "--detach", "--force", "--quiet", commit}), kCheckoutTimeout, &m_cancel);
    if (!checkedOut.ok())
        throw BisectError("git checkout " + commit + " failed: " + checkedOut.errorText());
}

std::string ScratchWorktree::remove()
{
    if (m_removed)
        return {};
    m_removed = true;
    std::string problem;
    if (!m_root.empty()) {
        const GitOutput removed = runGit(m_repository, {"worktree", "remove", "--force", "--force", m_root.string()},
            std::chrono::milliseconds(120000));
        if (!removed.ok())
            problem = "git worktree remove failed: " + removed.errorText();
    }
    std::error_code error;
    std::filesystem::remove_all(m_directory, error);
    if (error && problem.empty())
        problem = "cannot remove " + m_directory.string() + ": " + error.message();
    // Whatever git still lists of a tree that is gone (a failed add, a failed remove).
    runGit(m_repository, {"worktree", "prune"});
    return problem;
}

} // namespace buildscope
