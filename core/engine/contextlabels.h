#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace buildscope {

// Labels describing where a build ran, recorded with every run so runs can be selected
// by commit or branch: "git.commit" (full hash), "git.commit_time" (its committer time,
// ISO 8601 UTC: "2026-11-30T14:05:09Z", which orders history by commit without the
// repository) and "git.branch" when `context` is inside a git work tree with a commit
// checked out (no branch label on a detached HEAD), "git.dirty" ("true") and
// "git.diff_hash" (16 hex digits of `git diff HEAD`) when tracked files differ from the
// commit, and
// "host" (this machine's hostname). git runs with a 5 s timeout; when it is missing, times
// out or `context` is not in a repository, there are no git labels.
std::vector<std::pair<std::string, std::string>> detectContextLabels(const std::filesystem::path& context);

} // namespace buildscope
