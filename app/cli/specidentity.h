#pragma once

#include <filesystem>
#include <set>
#include <string>

namespace buildscope::cli {

// What makes two runs runs of the same spec (issue 18.7): its name and its file, or for a
// `-- CMD` run (no file) the folder it ran in. Two spec files may carry the same `name:`;
// compare and history changes warn when the runs they put side by side differ here.
std::string specIdentity(
    const std::string& name, const std::filesystem::path& specFile, const std::filesystem::path& context);

// "'demo' (spec a/buildscope.yaml), 'demo' (spec b/buildscope.yaml)": for a warning.
std::string describeSpecIdentities(const std::set<std::string>& identities);

} // namespace buildscope::cli
