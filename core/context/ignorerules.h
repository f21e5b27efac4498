#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace buildscope {

// .dockerignore rules (the syntax Docker documents): one pattern per line, '#'
// comments, blank lines skipped; patterns are anchored at the context root ("/" and
// "./" prefixes removed), '*' and '?' do not cross '/', "**" matches any number of
// directories, '[...]' classes, '\\' escapes; a leading '!' re-includes; the last
// matching rule wins. A pattern that matches a directory matches everything below it.
class IgnoreRules
{
public:
    IgnoreRules() = default; // ignores nothing
    // Throws std::invalid_argument naming the line for a malformed pattern (an unclosed
    // '[', a lone '!'), which Docker refuses too.
    static IgnoreRules parse(std::string_view text);
    // Reads the file; throws ContextError when it exists but cannot be read (or holds a
    // malformed pattern).
    static IgnoreRules load(const std::filesystem::path& ignoreFile);

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
