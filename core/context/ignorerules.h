#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace buildscope {

// A malformed pattern in an ignore file. what() reads "line N: problem".
class IgnorePatternError : public std::invalid_argument
{
public:
    IgnorePatternError(std::size_t line, const std::string& problem);
    std::size_t line() const noexcept { return m_line; }
    const std::string& problem() const noexcept { return m_problem; }

private:
    std::size_t m_line;
    std::string m_problem;
};

// .dockerignore rules (the syntax Docker documents): one pattern per line, '#'
// comments, blank lines skipped; patterns are anchored at the context root ("/" and
// "./" prefixes removed), '*' and '?' do not cross '/', "**" matches any number of
// directories, '[...]' classes, '\\' escapes; a leading '!' re-includes; the last
// matching rule wins. A pattern that matches a directory matches everything below it.
class IgnoreRules
{
public:
    IgnoreRules() = default; // ignores nothing
    // Throws IgnorePatternError (a std::invalid_argument) naming the line for a malformed
    // pattern (an unclosed '[', a lone '!'), which Docker refuses too.
    static IgnoreRules parse(std::string_view text);
    // Reads the file; a missing file ignores nothing. Throws ContextError naming the file
    // when it cannot be read, is not a regular file, is larger than kMaxFileBytes, or holds
    // a malformed pattern ("line N: ...").
    static IgnoreRules load(const std::filesystem::path& ignoreFile);

    // An ignore file is read whole; real ones are a few kilobytes.
    static constexpr std::uint64_t kMaxFileBytes = 1024 * 1024;

    // relativePath uses '/' separators and no leading "./".
    bool isIgnored(std::string_view relativePath) const;

    // True when some '!' rule could re-include something below this ignored directory,
    // so a walker must still descend into it.
    bool mayReincludeBelow(std::string_view relativeDirectory) const;

    bool empty() const noexcept { return m_rules.empty(); }

    struct Rule
    {
        std::string pattern; // cleaned, without '!'
        bool exclude = true; // false for '!' rules
    };
    const std::vector<Rule>& rules() const noexcept { return m_rules; }

private:
    struct Matcher; // the compiled patterns, parallel to m_rules (ignorerules.cpp)

    std::vector<Rule> m_rules;
    // Shared and immutable, so copies of the rules stay cheap and thread-safe to use.
    std::shared_ptr<const Matcher> m_matcher;
};

} // namespace buildscope
