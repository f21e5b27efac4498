#pragma once

// Internal to BuildScope::Context: the walk behind walkContext(), fingerprintContext(),
// writeContextTar() and discoverServiceBuild().

#include "context/contextwalker.h"
#include "context/ignorerules.h"

#include <filesystem>

namespace buildscope::detail {

// Receives entries in directory order (not sorted), on the walking thread.
class WalkSink
{
public:
    virtual void add(ContextEntry&& entry) = 0;

protected:
    ~WalkSink() = default;
};

enum class FileStat
{
    Stat, // lstat every entry: files carry size and executable bit
    // Files and directories known from the directory entry's type are reported without
    // a stat (size 0, not executable): for callers that open the files anyway and fstat()
    // the descriptor, which costs less than a second path lookup and describes the very
    // file they read.
    Defer,
};

// Opens the context directory; ContextError naming it when it is missing or unreadable.
int openContext(const std::filesystem::path& context);

// Walks the directory open at rootFd (not consumed), honouring the ignore rules.
void walkTree(int rootFd, const IgnoreRules& rules, FileStat stat, WalkSink& sink);

} // namespace buildscope::detail
