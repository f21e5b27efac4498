#pragma once

#include "spec/buildspec.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace buildscope {

// What a bisection builds, as the user named it in their own work tree: a spec file, or
// the command of `bisect -- CMD ARGS...` run in a directory.
struct BisectTarget
{
    std::optional<std::filesystem::path> specFile; // absolute
    std::vector<std::string> command; // when there is no spec file
    std::filesystem::path directory; // the spec's context, or the command's directory
};

// The build of `target` in a checkout of the same repository at `checkoutRoot`: every
// path under `userTopLevel` (the spec file, its context, ignore file and tar outputs, the
// command's directory) moves to the same relative place under `checkoutRoot`. The spec is
// the commit's own when the commit has the file, else the user's file read again with
// its paths mapped. SpecError when the commit's spec is not valid.
BuildSpec specInCheckout(
    const BisectTarget& target, const std::filesystem::path& userTopLevel, const std::filesystem::path& checkoutRoot);

// `path` (absolute) relative to `topLevel`, or nullopt when it is not inside it.
// Symbolic links are resolved on both sides first (git prints its top level resolved).
std::optional<std::filesystem::path> pathInside(
    const std::filesystem::path& path, const std::filesystem::path& topLevel);

} // namespace buildscope
