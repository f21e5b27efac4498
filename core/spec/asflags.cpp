#include "spec/asflags.h"

#include <algorithm>

namespace buildscope {

namespace {

constexpr std::string_view kVerboseFlag = "--verbose";
constexpr std::string_view kProtoPackageFlag = "--proto-package";
constexpr std::string_view kProtoFileFlag = "--proto-file";
constexpr std::string_view kBuildArgFlag = "--build-arg";

} // namespace

std::vector<std::string_view> asFlags(const BuildSettings& settings)
{
    // The exact count first, so the vector allocates once and never grows: the seed's Go
    // version got from 2 allocations to 1 the same way.
    const std::size_t count = 2 * settings.options.size() + (settings.verbose ? 1 : 0)
        + 2 * settings.protoPackages.size() + 2 * settings.protoFiles.size();
    std::vector<std::string_view> flags;
    flags.reserve(count);
    for (const auto& [flag, value] : settings.options) {
        flags.emplace_back(flag);
        flags.emplace_back(value);
    }
    if (settings.verbose)
        flags.push_back(kVerboseFlag);
    for (const std::string& package : settings.protoPackages) {
        flags.push_back(kProtoPackageFlag);
        flags.emplace_back(package);
    }
    for (const std::string& file : settings.protoFiles) {
        flags.push_back(kProtoFileFlag);
        flags.emplace_back(file);
    }
    return flags;
}

namespace {

// POSIX single quoting: inside '...' nothing is special, so a ' is written as '\''
// (close, escaped quote, reopen).
constexpr std::string_view kQuoteEscape = "'\\''";

std::size_t quoteCount(std::string_view text) noexcept
{
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\''));
}

void appendEscaped(std::string& out, std::string_view text)
{
    for (char c : text) {
        if (c == '\'')
            out.append(kQuoteEscape);
        else
            out.push_back(c);
    }
}

} // namespace

std::string buildArgFlagsForShell(const std::vector<std::pair<std::string, std::string>>& buildArgs)
{
    // Sized first so the string allocates once.
    std::size_t bytes = 0;
    for (const auto& [key, value] : buildArgs) {
        const std::size_t word
            = key.size() + 1 + value.size() + (kQuoteEscape.size() - 1) * (quoteCount(key) + quoteCount(value));
        bytes += (bytes == 0 ? 0 : 1) + kBuildArgFlag.size() + 1 + 2 + word;
    }
    std::string result;
    result.reserve(bytes);
    for (const auto& [key, value] : buildArgs) {
        if (!result.empty())
            result.push_back(' ');
        result.append(kBuildArgFlag);
        // K=V quoted as one word, so the shell passes exactly one argument whatever V holds.
        result.append(" '");
        appendEscaped(result, key);
        result.push_back('=');
        appendEscaped(result, value);
        result.push_back('\'');
    }
    return result;
}

} // namespace buildscope
