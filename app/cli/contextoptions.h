#pragma once

#include "arguments.h"
#include "context/ignorerules.h"

#include <filesystem>
#include <vector>

namespace buildscope::cli {

// --ignore-file FILE and --no-ignore, shared by `checksum` and `tar`.
std::vector<Arguments::Option> ignoreOptions();

// The context's own .dockerignore applies unless --ignore-file or --no-ignore says otherwise.
IgnoreRules contextIgnoreRules(const Arguments& arguments, const std::filesystem::path& directory);

} // namespace buildscope::cli
