#pragma once

#include <stdexcept>

namespace buildscope {

// A bisection that cannot start or go on: not a git work tree, a revision that does not
// resolve, good not an ancestor of bad, a worktree git would not create. The message
// says which and why.
class BisectError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

} // namespace buildscope
