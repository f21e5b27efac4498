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
    std::filesystem::path file = directory / ".dockerignore";
    if (const std::optional<std::string> explicitFile = arguments.value("--ignore-file"))
        file = *explicitFile;
    else if (!std::filesystem::exists(file))
        return {};
    try {
        return IgnoreRules::load(file);
    } catch (const std::invalid_argument& error) {
        // A malformed pattern: name the file; the message carries the line.
        throw UsageError(file.string() + ": " + error.what());
    }
}

} // namespace buildscope::cli
