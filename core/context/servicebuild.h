#pragma once

#include "context/ignorerules.h"

#include <filesystem>
#include <string>
#include <vector>

namespace buildscope {

// The seed's NewServiceBuild: what a service build needs to know about its context,
// found in one walk that honours the ignore rules.
struct ServiceBuild
{
    std::vector<std::string> protoFiles; // every *.proto, relative, sorted
    std::vector<std::string> protoPackages; // directories holding them ("." for the root), sorted, unique
};

ServiceBuild discoverServiceBuild(const std::filesystem::path& context, const IgnoreRules& rules);

} // namespace buildscope
