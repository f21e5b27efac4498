#include "specidentity.h"

namespace buildscope::cli {

std::string specIdentity(
    const std::string& name, const std::filesystem::path& specFile, const std::filesystem::path& context)
{
    if (!specFile.empty())
        return "'" + name + "' (spec " + specFile.string() + ")";
    return "'" + name + "' (command in " + context.string() + ")";
}

std::string describeSpecIdentities(const std::set<std::string>& identities)
{
    std::string text;
    for (const std::string& identity : identities)
        text += (text.empty() ? "" : ", ") + identity;
    return text;
}

} // namespace buildscope::cli
