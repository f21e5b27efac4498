#pragma once

#include <string>
#include <utility>
#include <vector>

namespace buildscope {

// BuildScope's version and the versions of the libraries it runs with, for run.json
// and `--version`.
std::string buildscopeVersion();
std::vector<std::pair<std::string, std::string>> libraryVersions();

} // namespace buildscope
