#include "context/ignorerules.h"

#include "context/contexterror.h"
#include "io/boundedfile.h"

#include <cerrno>
#include <cstdint>
#include <stdexcept>
#include <utility>

// A hand-written matcher: Docker's own one (moby/patternmatcher) is Go, and no
// maintained C++ library implements .dockerignore semantics. Go's filepath.Match
// (fnmatch-like, but '*' never crosses '/') plus Docker's "**" and parent-directory
// rules are small enough to implement exactly here; see docs/CONTEXT.md.

namespace buildscope {

namespace {

struct ClassRange
{
    char32_t lo;
    char32_t hi;
};

struct Token
{
    enum class Kind : std::uint8_t
    {
        Literal, // one byte
        Any, // '?': one character, not '/'
        Class, // '[...]': one character, not '/'
        Star, // '*': any run of characters without '/'
        GlobStar, // "**" followed by more pattern: nothing, or anything ending in '/'
        GlobStarEnd, // "**" at the end: anything
    };
    Kind kind = Kind::Literal;
    char literal = 0;
    bool negated = false; // Class
    std::uint32_t firstRange = 0; // Class: index into Pattern::ranges
    std::uint32_t rangeCount = 0;
};

struct Pattern
{
    enum class Mode : std::uint8_t
    {
        Exact, // no wildcard: string compare
        Suffix, // "**" then only literals: Docker matches any path ending in them
        Tokens,
    };
    Mode mode = Mode::Tokens;
    std::string literal; // Exact and Suffix
    std::vector<Token> tokens;
    std::vector<ClassRange> ranges;
    bool backtracks = false; // two or more star tokens: matched by matchPositions()
};

bool isSpace(char c) noexcept
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view trimSpace(std::string_view s) noexcept
{
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

// Go's path.Clean for '/'-separated paths: collapses "//", drops "." elements,
// resolves ".." against the preceding element, drops trailing '/'.
std::string cleanPath(std::string_view path)
{
    if (path.empty())
        return ".";
    const bool rooted = path.front() == '/';
    std::vector<std::string_view> parts;
    std::size_t i = 0;
    while (i < path.size()) {
        while (i < path.size() && path[i] == '/')
            ++i;
        std::size_t j = i;
        while (j < path.size() && path[j] != '/')
            ++j;
        const std::string_view part = path.substr(i, j - i);
        i = j;
        if (part.empty() || part == ".")
            continue;
        if (part == "..") {
            if (!parts.empty() && parts.back() != "..")
                parts.pop_back();
            else if (!rooted)
                parts.push_back(part);
            continue;
        }
        parts.push_back(part);
    }
    std::string out = rooted ? "/" : "";
    for (std::size_t k = 0; k < parts.size(); ++k) {
        if (k > 0)
            out += '/';
        out += parts[k];
    }
    return out.empty() ? std::string(".") : out;
}

// One UTF-8 character at s[pos]: its code point and length. Invalid bytes count as
// one character each, so matching never stalls on a name that is not UTF-8.
std::pair<char32_t, std::size_t> decodeUtf8(std::string_view s, std::size_t pos) noexcept
{
    const auto b0 = static_cast<unsigned char>(s[pos]);
    std::size_t len = 1;
    char32_t cp = b0;
    if (b0 >= 0xF0 && b0 < 0xF8) {
        len = 4;
        cp = b0 & 0x07u;
    } else if (b0 >= 0xE0) {
        len = 3;
        cp = b0 & 0x0Fu;
    } else if (b0 >= 0xC0) {
        len = 2;
        cp = b0 & 0x1Fu;
    } else {
        return {cp, 1};
    }
    if (b0 >= 0xF8 || pos + len > s.size())
        return {b0, 1};
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[pos + k]);
        if ((b & 0xC0u) != 0x80u)
            return {b0, 1};
        cp = (cp << 6) | (b & 0x3Fu);
    }
    return {cp, len};
}

[[noreturn]] void badPattern(std::string_view pattern, const char* why)
{
    throw std::invalid_argument("bad pattern \"" + std::string(pattern) + "\": " + why);
}

// A class member in Go's syntax: a character other than '-' and ']', or '\\' + any.
char32_t classChar(std::string_view p, std::size_t& i)
{
    if (i >= p.size() || p[i] == '-' || p[i] == ']')
        badPattern(p, "malformed character class");
    if (p[i] == '\\') {
        ++i;
        if (i >= p.size())
            badPattern(p, "trailing backslash in character class");
    }
    const auto [cp, len] = decodeUtf8(p, i);
    i += len;
    return cp;
}

Pattern compile(const std::string& p)
{
    Pattern out;
    if (p.find_first_of("*?[\\") == std::string::npos) {
        out.mode = Pattern::Mode::Exact;
        out.literal = p;
        return out;
    }
    // Docker (moby/patternmatcher) special-cases "**" followed only by literals:
    // it matches every path ending in them, so "**.log" catches "a/b/c.log".
    if (p.size() > 2 && p.starts_with("**") && p[2] != '/' && p.find_first_of("*?[\\", 2) == std::string::npos) {
        out.mode = Pattern::Mode::Suffix;
        out.literal = p.substr(2);
        return out;
    }

    int stars = 0;
    std::size_t i = 0;
    while (i < p.size()) {
        const char c = p[i];
        Token t;
        if (c == '*') {
            ++stars;
            if (i + 1 < p.size() && p[i + 1] == '*') {
                i += 2;
                if (i < p.size() && p[i] == '/')
                    ++i; // "**/" is "**": the group already ends in '/'
                t.kind = i == p.size() ? Token::Kind::GlobStarEnd : Token::Kind::GlobStar;
            } else {
                t.kind = Token::Kind::Star;
                ++i;
            }
        } else if (c == '?') {
            t.kind = Token::Kind::Any;
            ++i;
        } else if (c == '[') {
            t.kind = Token::Kind::Class;
            ++i;
            if (i < p.size() && p[i] == '^') {
                t.negated = true;
                ++i;
            }
            t.firstRange = static_cast<std::uint32_t>(out.ranges.size());
            for (;;) {
                if (i < p.size() && p[i] == ']' && t.rangeCount > 0) {
                    ++i;
                    break;
                }
                if (i >= p.size())
                    badPattern(p, "unterminated character class");
                ClassRange r;
                r.lo = classChar(p, i);
                r.hi = r.lo;
                if (i < p.size() && p[i] == '-') {
                    ++i;
                    r.hi = classChar(p, i);
                }
                out.ranges.push_back(r);
                ++t.rangeCount;
            }
        } else if (c == '\\') {
            if (i + 1 >= p.size())
                badPattern(p, "trailing backslash");
            t.literal = p[i + 1];
            i += 2;
        } else {
            t.literal = c;
            ++i;
        }
        out.tokens.push_back(t);
    }
    out.backtracks = stars >= 2;
    return out;
}

enum class MatchMode
{
    Full, // the pattern matches all of the text
    Prefix, // the text can be continued into something the pattern matches
};

bool inClass(const Pattern& p, const Token& tok, char32_t cp) noexcept
{
    bool hit = false;
    for (std::uint32_t r = tok.firstRange; r < tok.firstRange + tok.rangeCount; ++r) {
        if (p.ranges[r].lo <= cp && cp <= p.ranges[r].hi) {
            hit = true;
            break;
        }
    }
    return hit != tok.negated;
}

// Patterns with at most one star: a direct walk over tokens and text, recursing only at
// that star, so it needs no memory and never more than one level of recursion.
class TokenMatcher
{
public:
    TokenMatcher(const Pattern& pattern, std::string_view text, MatchMode mode)
        : m_p(pattern)
        , m_s(text)
        , m_mode(mode)
    { }

    bool run(std::size_t ti, std::size_t pi)
    {
        const std::size_t n = m_s.size();
        const std::size_t t = m_p.tokens.size();
        for (;;) {
            if (m_mode == MatchMode::Prefix && pi == n)
                return ti < t;
            if (ti == t)
                return pi == n;
            const Token& tok = m_p.tokens[ti];
            switch (tok.kind) {
            case Token::Kind::Literal:
                if (pi < n && m_s[pi] == tok.literal) {
                    ++ti;
                    ++pi;
                    continue;
                }
                return false;
            case Token::Kind::Any:
            case Token::Kind::Class: {
                if (pi >= n || m_s[pi] == '/')
                    return false;
                const auto [cp, len] = decodeUtf8(m_s, pi);
                if (tok.kind == Token::Kind::Class && !inClass(m_p, tok, cp))
                    return false;
                pi += len;
                ++ti;
                continue;
            }
            case Token::Kind::GlobStarEnd:
                return true;
            case Token::Kind::Star:
                return star(ti, pi);
            case Token::Kind::GlobStar:
                return globStar(ti, pi);
            }
            return false;
        }
    }

private:
    bool star(std::size_t ti, std::size_t pi)
    {
        for (std::size_t j = pi;; ++j) {
            if (run(ti + 1, j))
                return true;
            if (j == m_s.size())
                return m_mode == MatchMode::Prefix; // the star itself can go on
            if (m_s[j] == '/')
                return false;
        }
    }

    bool globStar(std::size_t ti, std::size_t pi)
    {
        if (m_mode == MatchMode::Prefix)
            return true; // it can swallow the rest of the text and still go on
        if (run(ti + 1, pi))
            return true;
        for (std::size_t j = pi; j < m_s.size(); ++j) {
            if (m_s[j] == '/' && run(ti + 1, j + 1))
                return true;
        }
        return false;
    }

    const Pattern& m_p;
    std::string_view m_s;
    MatchMode m_mode;
};

// Patterns with two or more stars: one pass per token over the set of text positions the
// tokens so far can reach. O(tokens x text) time, O(text) memory and no recursion, so no
// pattern takes exponential time or a deep stack (the memoised recursive matcher this
// replaces was O(tokens x text x name length) and recursed once per star: a long line
// of "*a" in an ignore file could overflow the stack). Same results as TokenMatcher.
bool matchPositions(const Pattern& p, std::string_view s, MatchMode mode)
{
    const std::size_t n = s.size();
    // Reused per thread: matching runs for every walked entry and rule.
    thread_local std::vector<std::uint8_t> current;
    thread_local std::vector<std::uint8_t> next;
    current.assign(n + 1, 0);
    current[0] = 1;
    for (const Token& tok : p.tokens) {
        // The text can be continued into a match when its end is reached with pattern left.
        if (mode == MatchMode::Prefix && current[n])
            return true;
        next.assign(n + 1, 0);
        bool any = false;
        switch (tok.kind) {
        case Token::Kind::Literal:
            for (std::size_t pi = 0; pi < n; ++pi) {
                if (current[pi] && s[pi] == tok.literal) {
                    next[pi + 1] = 1;
                    any = true;
                }
            }
            break;
        case Token::Kind::Any:
        case Token::Kind::Class:
            for (std::size_t pi = 0; pi < n; ++pi) {
                if (!current[pi] || s[pi] == '/')
                    continue;
                const auto [cp, len] = decodeUtf8(s, pi);
                if (tok.kind == Token::Kind::Class && !inClass(p, tok, cp))
                    continue;
                next[pi + len] = 1;
                any = true;
            }
            break;
        case Token::Kind::GlobStarEnd:
            return true; // some position was reached: anything may follow
        case Token::Kind::Star: {
            // Any run of characters but '/': from each reached position up to the next '/'.
            bool active = false;
            for (std::size_t pi = 0; pi <= n; ++pi) {
                active = active || current[pi];
                if (active) {
                    next[pi] = 1;
                    any = true;
                }
                if (pi < n && s[pi] == '/')
                    active = false;
            }
            // In prefix mode a star that reaches the end can go on.
            if (mode == MatchMode::Prefix && next[n])
                return true;
            break;
        }
        case Token::Kind::GlobStar: {
            if (mode == MatchMode::Prefix)
                return true; // it can swallow the rest of the text and still go on
            // Nothing, or anything ending in '/'.
            bool active = false;
            for (std::size_t pi = 0; pi <= n; ++pi) {
                if (current[pi]) {
                    active = true;
                    next[pi] = 1;
                    any = true;
                }
                if (active && pi < n && s[pi] == '/')
                    next[pi + 1] = 1;
            }
            break;
        }
        }
        if (!any)
            return false;
        current.swap(next);
    }
    return mode == MatchMode::Full && current[n];
}

bool matches(const Pattern& p, std::string_view path)
{
    switch (p.mode) {
    case Pattern::Mode::Exact:
        return path == p.literal;
    case Pattern::Mode::Suffix:
        return path.ends_with(p.literal);
    case Pattern::Mode::Tokens:
        break;
    }
    return p.backtracks ? matchPositions(p, path, MatchMode::Full) : TokenMatcher(p, path, MatchMode::Full).run(0, 0);
}

// Docker's rule: a pattern applies to a path when it matches the path or one of its
// parent directories.
bool matchesSelfOrParent(const Pattern& p, std::string_view path)
{
    if (matches(p, path))
        return true;
    for (std::size_t slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
        if (matches(p, path.substr(0, slash)))
            return true;
    }
    return false;
}

// Could the pattern match some path that starts with `prefix` (which ends in '/')?
bool mayMatchBelow(const Pattern& p, std::string_view prefix)
{
    switch (p.mode) {
    case Pattern::Mode::Exact:
        return p.literal.size() > prefix.size() && std::string_view(p.literal).starts_with(prefix);
    case Pattern::Mode::Suffix:
        return true;
    case Pattern::Mode::Tokens:
        break;
    }
    return p.backtracks ? matchPositions(p, prefix, MatchMode::Prefix)
                        : TokenMatcher(p, prefix, MatchMode::Prefix).run(0, 0);
}

} // namespace

IgnorePatternError::IgnorePatternError(std::size_t line, const std::string& problem)
    : std::invalid_argument("line " + std::to_string(line) + ": " + problem)
    , m_line(line)
    , m_problem(problem)
{ }

struct IgnoreRules::Matcher
{
    std::vector<Pattern> patterns; // parallel to m_rules
    bool hasExceptions = false;
};

IgnoreRules IgnoreRules::parse(std::string_view text)
{
    IgnoreRules result;
    auto matcher = std::make_shared<Matcher>();
    std::size_t lineNumber = 0;
    while (!text.empty() || lineNumber == 0) {
        const std::size_t eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
        ++lineNumber;
        if (line.ends_with('\r'))
            line.remove_suffix(1);
        if (lineNumber == 1 && line.starts_with("\xEF\xBB\xBF"))
            line.remove_prefix(3);
        // As Docker: only a '#' in the first column starts a comment.
        if (line.starts_with('#'))
            continue;
        line = trimSpace(line);
        if (line.empty())
            continue;
        Rule rule;
        if (line.front() == '!') {
            rule.exclude = false;
            line = trimSpace(line.substr(1));
            if (line.empty())
                throw IgnorePatternError(lineNumber, "illegal exclusion pattern \"!\"");
        }
        rule.pattern = cleanPath(line);
        if (rule.pattern.size() > 1 && rule.pattern.front() == '/')
            rule.pattern.erase(0, 1);
        // Docker documents that "." is ignored (it would otherwise exclude the context).
        if (rule.pattern == ".")
            continue;
        try {
            matcher->patterns.push_back(compile(rule.pattern));
        } catch (const std::invalid_argument& e) {
            throw IgnorePatternError(lineNumber, e.what());
        }
        matcher->hasExceptions = matcher->hasExceptions || !rule.exclude;
        result.m_rules.push_back(std::move(rule));
    }
    if (!result.m_rules.empty())
        result.m_matcher = std::move(matcher);
    return result;
}

IgnoreRules IgnoreRules::load(const std::filesystem::path& ignoreFile)
{
    std::string text;
    try {
        text = io::readRegularFile(ignoreFile, kMaxFileBytes, "an ignore file");
    } catch (const io::InputFileError& error) {
        if (error.error() == ENOENT)
            return {}; // no ignore file: nothing is ignored
        throw ContextError(ignoreFile, error.reason());
    }
    try {
        return parse(text);
    } catch (const std::invalid_argument& e) {
        throw ContextError(ignoreFile, e.what());
    }
}

bool IgnoreRules::isIgnored(std::string_view relativePath) const
{
    if (!m_matcher)
        return false;
    bool ignored = false;
    for (std::size_t i = 0; i < m_rules.size(); ++i) {
        // A rule that would leave the verdict as it is need not be evaluated.
        if (m_rules[i].exclude == ignored)
            continue;
        if (matchesSelfOrParent(m_matcher->patterns[i], relativePath))
            ignored = m_rules[i].exclude;
    }
    return ignored;
}

bool IgnoreRules::mayReincludeBelow(std::string_view relativeDirectory) const
{
    if (!m_matcher || !m_matcher->hasExceptions)
        return false;
    // Everything below the directory is matched (through its parent) by the last rule
    // that matches the directory, so only '!' rules after that one can win below it.
    std::size_t first = 0;
    for (std::size_t i = m_rules.size(); i-- > 0;) {
        if (matchesSelfOrParent(m_matcher->patterns[i], relativeDirectory)) {
            first = i + 1;
            break;
        }
    }
    std::string prefix(relativeDirectory);
    prefix += '/';
    for (std::size_t i = first; i < m_rules.size(); ++i) {
        if (!m_rules[i].exclude && mayMatchBelow(m_matcher->patterns[i], prefix))
            return true;
    }
    return false;
}

} // namespace buildscope
