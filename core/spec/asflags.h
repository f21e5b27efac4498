#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace buildscope {

// A service build's settings (the seed's container.Build), as passed to a builder CLI.
struct BuildSettings
{
    std::vector<std::pair<std::string, std::string>> options; // flag -> value, e.g. {"--image", "demo/app"}
    bool verbose = false; // adds "--verbose"
    std::vector<std::string> protoPackages; // each adds "--proto-package" <package>
    std::vector<std::string> protoFiles; // each adds "--proto-file" <file>
};

// The settings as a flag vector of views into `settings` and static flag names: one
// allocation (the vector) however many flags. The views live as long as `settings`.
std::vector<std::string_view> asFlags(const BuildSettings& settings);

// Container build arguments as one shell-quoted string for ${BUILD_ARG_FLAGS}: "--build-arg 'K=V' ...".
std::string buildArgFlagsForShell(const std::vector<std::pair<std::string, std::string>>& buildArgs);

} // namespace buildscope
