#include "contextoptions.h"

namespace buildscope::cli {

std::vector<Arguments::Option> ignoreOptions()
{
    return {{"--ignore-file", "", true}, {"--no-ignore", "", false}};
}

IgnoreRules contextIgnoreRules(const Arguments& arguments, const std::filesystem::path& directory)
{
    if (arguments.has("--no-ignore"))
        return {};
    if (const std::optional<std::string> file = arguments.value("--ignore-file"))
        return IgnoreRules::load(*file);
    const std::filesystem::path implicit = directory / ".dockerignore";
    return std::filesystem::exists(implicit) ? IgnoreRules::load(implicit) : IgnoreRules {};
}

} // namespace buildscope::cli
