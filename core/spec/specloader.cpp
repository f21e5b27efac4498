#include "spec/specloader.h"

#include "context/contexttar.h"
#include "context/ignorerules.h"
#include "io/boundedfile.h"
#include "io/decimalnumber.h"
#include "spec/imageuri.h"
#include "spec/presets.h"
#include "spec/substitution.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <system_error>
#include <unordered_map>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

namespace buildscope {

namespace {

std::string formatWhat(const SourceLocation& location, const std::string& message)
{
    std::string what = location.file;
    if (location.line > 0) {
        what += ':' + std::to_string(location.line);
        if (location.column > 0)
            what += ':' + std::to_string(location.column);
    }
    if (!what.empty())
        what += ": ";
    return what + message;
}

} // namespace

SpecError::SpecError(SourceLocation location, const std::string& message)
    : std::runtime_error(formatWhat(location, message))
    , m_location(std::move(location))
    , m_message(message)
{ }

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kChecksum = "checksum";
constexpr std::string_view kTar = "tar";
constexpr std::string_view kRun = "run";
constexpr std::string_view kContainer = "container";

const std::vector<std::string_view> kTopLevelKeys {
    "version", "name", "preset", "context", "ignore_file", "image", "build_args", "env", "sample_hz", "steps"};
const std::vector<std::string_view> kStepKeys {
    "name", kChecksum, kTar, kRun, kContainer, "timeout", "optional", "continue_on_error"};
const std::vector<std::string_view> kStepTypeKeys {kChecksum, kTar, kRun, kContainer};
const std::vector<std::string_view> kImageKeys {"registry", "repository", "tag"};
const std::vector<std::string_view> kTarKeys {"output"};
const std::vector<std::string_view> kContainerKeys {"runtime", "dockerfile"};
const std::vector<std::string_view> kNoKeys {};
const std::vector<std::string_view> kRuntimes {"auto", "docker", "podman"};
const std::vector<std::string_view> kBuiltinVariables {"IMAGE_URI", "DIGEST", "BUILD_ARG_FLAGS", "CONTEXT"};

constexpr double kMinSampleHz = 1.0;
constexpr double kMaxSampleHz = 1000.0;
// A spec is a few kilobytes; this is far beyond any real one, and keeps a hostile file
// (or /dev/zero) from costing more than a bounded read and parse.
constexpr std::uint64_t kMaxSpecBytes = 1024 * 1024;
// Longer than any real build: a bigger figure is more likely a slip (300h for 300s).
constexpr std::chrono::hours kMaxTimeout {720};

// Optimal string alignment distance (Levenshtein plus adjacent transpositions, so
// "rnu" is one edit from "run").
std::size_t editDistance(std::string_view a, std::string_view b)
{
    const std::size_t columns = b.size() + 1;
    std::vector<std::size_t> d((a.size() + 1) * columns);
    auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return d[i * columns + j]; };
    for (std::size_t i = 0; i <= a.size(); ++i)
        at(i, 0) = i;
    for (std::size_t j = 0; j <= b.size(); ++j)
        at(0, j) = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
        }
    }
    return at(a.size(), b.size());
}

// The candidate a typo most likely meant: the nearest within two edits or a third of its
// length, and never one as far away as the typo is long ("ab" is not a typo of "tar").
std::string_view closestMatch(std::string_view word, const std::vector<std::string_view>& candidates)
{
    std::string_view best;
    std::size_t bestDistance = 0;
    for (std::string_view candidate : candidates) {
        const std::size_t limit = std::max<std::size_t>(2, candidate.size() / 3);
        // The distance is at least the difference in length: skip candidates that cannot
        // be near, so a megabyte-long key costs no megabyte-sized table per candidate.
        const std::size_t lengthGap
            = word.size() > candidate.size() ? word.size() - candidate.size() : candidate.size() - word.size();
        if (lengthGap > limit)
            continue;
        const std::size_t distance = editDistance(word, candidate);
        if (distance >= word.size() || distance > limit)
            continue;
        if (best.empty() || distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

std::string didYouMean(std::string_view word, const std::vector<std::string_view>& candidates)
{
    const std::string_view match = closestMatch(word, candidates);
    return match.empty() ? std::string() : "; did you mean '" + std::string(match) + "'?";
}

std::string shown(std::string_view text)
{
    // Long or multi-line values are cut so the message stays one readable line.
    constexpr std::size_t kMaxShown = 60;
    std::string result = "'";
    for (char c : text.substr(0, kMaxShown)) {
        if (c == '\n')
            result += "\\n";
        else
            result += c;
    }
    if (text.size() > kMaxShown)
        result += "...";
    return result + "'";
}

std::string describe(const YAML::Node& node)
{
    switch (node.Type()) {
    case YAML::NodeType::Scalar:
        return shown(node.Scalar());
    case YAML::NodeType::Sequence:
        return node.size() == 0 ? "an empty list" : "a list";
    case YAML::NodeType::Map:
        return "a mapping";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        break;
    }
    return "no value";
}

// "a, b or c" for values a key accepts; "a, b, c" (lastSeparator ", ") for plain lists.
std::string joinAlternatives(const std::vector<std::string_view>& words, std::string_view lastSeparator = " or ")
{
    std::string text;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0)
            text += i + 1 == words.size() ? lastSeparator : ", ";
        text += words[i];
    }
    return text;
}

bool isNameStart(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool isDigit(char c) noexcept
{
    return c >= '0' && c <= '9';
}

bool isVariableName(std::string_view name) noexcept
{
    return !name.empty() && isNameStart(name.front())
        && std::all_of(name.begin(), name.end(), [](char c) { return isNameStart(c) || isDigit(c); });
}

bool isStepName(std::string_view name) noexcept
{
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return isNameStart(c) || isDigit(c) || c == '.' || c == '-';
    });
}

bool isLowerAlnum(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || isDigit(c);
}

// Docker's reference grammar for a repository: components of [a-z0-9]+ joined by one
// separator ('.', '_', '__' or a run of '-'), separated by '/'.
bool isRepository(std::string_view repository) noexcept
{
    std::size_t i = 0;
    const std::size_t n = repository.size();
    auto alphanumerics = [&] {
        const std::size_t start = i;
        while (i < n && isLowerAlnum(repository[i]))
            ++i;
        return i > start;
    };
    if (!alphanumerics())
        return false;
    while (i < n) {
        const char c = repository[i++];
        if (c == '_' && i < n && repository[i] == '_')
            ++i;
        else if (c == '-')
            while (i < n && repository[i] == '-')
                ++i;
        else if (c != '.' && c != '_' && c != '/')
            return false;
        if (!alphanumerics())
            return false;
    }
    return true;
}

// A registry host with optional port and path ("localhost:5000", "ghcr.io/acme"); a URL
// scheme is the usual mistake, and neither docker nor podman accepts one.
bool isRegistry(std::string_view registry) noexcept
{
    if (registry.empty() || registry.front() == '/' || registry.back() == '/'
        || registry.find("//") != std::string_view::npos)
        return false;
    return std::all_of(registry.begin(), registry.end(), [](char c) {
        return isNameStart(c) || isDigit(c) || c == '.' || c == '-' || c == ':' || c == '/' || c == '[' || c == ']';
    });
}

// Docker's tag grammar: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
bool isTag(std::string_view tag) noexcept
{
    if (tag.empty() || tag.size() > 128 || tag.front() == '.' || tag.front() == '-')
        return false;
    return std::all_of(
        tag.begin(), tag.end(), [](char c) { return isNameStart(c) || isDigit(c) || c == '.' || c == '-'; });
}

struct Entry
{
    std::string key;
    YAML::Node keyNode;
    YAML::Node value;
    std::string where; // " in 'image'", " in step 'compile'", "" at the top level
};

// Everything a message needs to point into the file.
class Reader
{
public:
    Reader(std::string_view source, std::string fileName)
        : m_source(source)
        , m_fileName(std::move(fileName))
    { }

    const std::string& fileName() const noexcept { return m_fileName; }

    SourceLocation at(const YAML::Mark& mark) const
    {
        // yaml-cpp counts from 0 and uses -1 when it has no position.
        return SourceLocation {m_fileName, mark.line >= 0 ? mark.line + 1 : 0, mark.column >= 0 ? mark.column + 1 : 0};
    }
    SourceLocation at(const YAML::Node& node) const { return at(node.Mark()); }

    // Where a value was written. yaml-cpp marks an empty value ("key:" and nothing) at the
    // next token, often lines later, so point at its key instead.
    SourceLocation valueAt(const Entry& entry) const
    {
        return entry.value.IsNull() ? at(entry.keyNode) : at(entry.value);
    }

    [[noreturn]] void fail(const SourceLocation& location, const std::string& message) const
    {
        throw SpecError(location, message);
    }

    [[noreturn]] void expected(const Entry& entry, std::string_view what, std::string_view hint = {}) const
    {
        fail(valueAt(entry),
            "expected " + std::string(what) + " for '" + entry.key + "'" + entry.where + ", found "
                + describe(entry.value) + std::string(hint));
    }

    // Reads a mapping's entries in file order, rejecting non-scalar keys, duplicates (yaml-cpp
    // would silently keep the first) and, when `allowed` is not empty, unknown keys.
    std::vector<Entry> entries(const YAML::Node& map, const std::vector<std::string_view>& allowed,
        const std::string& where, bool topLevel = false) const
    {
        std::vector<Entry> result;
        if (map.IsNull())
            return result;
        result.reserve(map.size());
        // Key -> index in result: duplicates are found in linear time (a mapping of 100,000
        // keys is a bounded read, not a quadratic scan).
        std::unordered_map<std::string_view, std::size_t> seen;
        for (auto it = map.begin(); it != map.end(); ++it) {
            // Copies: it-> hands out a temporary, so references into it would dangle.
            const YAML::Node keyNode = it->first;
            const YAML::Node value = it->second;
            if (!keyNode.IsScalar())
                fail(at(keyNode), "expected a plain key" + where + ", found " + describe(keyNode));
            const std::string& key = keyNode.Scalar();
            if (const auto earlier = seen.find(key); earlier != seen.end()) {
                fail(at(keyNode),
                    "duplicate key '" + key + "'" + where + "; the first is at line "
                        + std::to_string(at(result[earlier->second].keyNode).line));
            }
            // The view points into the key node's scalar, which the Entry's node keeps alive.
            seen.emplace(key, result.size());
            if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
                fail(at(keyNode),
                    (topLevel ? "unknown top-level key '" : "unknown key '") + key + "'" + where
                        + didYouMean(key, allowed));
            }
            result.push_back(Entry {key, keyNode, value, where});
        }
        return result;
    }

    const std::string& scalar(const Entry& entry, std::string_view what) const
    {
        if (!entry.value.IsScalar())
            expected(entry, what);
        return entry.value.Scalar();
    }

    bool boolean(const Entry& entry) const
    {
        // YAML 1.2 booleans only: "yes", "on" and "y" are strings there, and a spec should
        // not mean different things to different YAML readers.
        if (entry.value.IsScalar()) {
            const std::string& text = entry.value.Scalar();
            if (text == "true" || text == "True" || text == "TRUE")
                return true;
            if (text == "false" || text == "False" || text == "FALSE")
                return false;
        }
        expected(entry, "true or false");
    }

    // The source location of one ${...} in a scalar: the scalar's own text is looked up in
    // the file from the node's position, so the column points at the '$' itself. Falls
    // back to the scalar's start when the text was written differently (escapes, folding).
    SourceLocation referenceAt(const YAML::Node& node, std::size_t index, const VariableReference& reference) const
    {
        const YAML::Mark mark = node.Mark();
        if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= m_source.size())
            return at(node);
        const std::size_t start = static_cast<std::size_t>(mark.pos);
        const bool block = m_source[start] == '|' || m_source[start] == '>';
        const std::string& value = node.Scalar();
        std::size_t linesLeft
            = static_cast<std::size_t>(std::count(value.begin(), value.end(), '\n')) + (block ? 2 : 1);
        std::size_t end = start;
        while (end < m_source.size() && !(m_source[end] == '\n' && --linesLeft == 0))
            ++end;
        const std::string_view window = m_source.substr(start, end - start);
        const std::vector<VariableReference> written = scanVariableReferences(window);
        if (index >= written.size() || written[index].name != reference.name)
            return at(node);
        SourceLocation location = at(node);
        for (std::size_t i = start; i < start + written[index].offset; ++i) {
            if (m_source[i] == '\n') {
                ++location.line;
                location.column = 1;
            } else {
                ++location.column;
            }
        }
        return location;
    }

private:
    std::string_view m_source;
    std::string m_fileName;
};

const Entry* find(const std::vector<Entry>& entries, std::string_view key)
{
    const auto it = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.key == key; });
    return it == entries.end() ? nullptr : &*it;
}

bool isExistingDirectory(const fs::path& path)
{
    std::error_code error;
    return fs::is_directory(path, error);
}

// Empty when the path can be reached, else what is wrong with it: "does not exist", or,
// for a path that exists as a name but leads nowhere, "is a loop of symbolic links" or
// the system's reason ("Permission denied"), rather than a misleading "does not exist".
std::string unreachable(const fs::path& path)
{
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (!error && fs::exists(status))
        return {};
    if (error.value() == ELOOP)
        return "is a loop of symbolic links (" + error.message() + ")";
    if (error && error.value() != ENOENT && error.value() != ENOTDIR)
        return "cannot be reached: " + error.message();
    std::error_code linkError;
    if (fs::is_symlink(fs::symlink_status(path, linkError)))
        return "is a symbolic link to nothing (a dangling link)";
    return "does not exist";
}

fs::path resolve(const fs::path& base, const std::string& written)
{
    fs::path path = (base / fs::path(written)).lexically_normal();
    // "build/" and "build" are the same directory; keep one spelling for comparisons.
    if (!path.has_filename() && path.has_parent_path() && path != path.root_path())
        path = path.parent_path();
    return path;
}

// Reads and parses the ignore file as the checksum, tar and container steps will, so that
// a bad pattern fails `validate` (and `run` before any step), naming the ignore file's
// line and where the spec names it, rather than the first step that walks the context.
void checkIgnoreFile(const Reader& reader, const Entry& entry, const fs::path& path)
{
    std::string text;
    try {
        text = io::readRegularFile(path, IgnoreRules::kMaxFileBytes, "an ignore file");
    } catch (const io::InputFileError& error) {
        reader.fail(reader.valueAt(entry), "cannot read the ignore file '" + path.string() + "': " + error.reason());
    }
    try {
        IgnoreRules::parse(text);
    } catch (const IgnorePatternError& error) {
        const SourceLocation named = reader.valueAt(entry);
        reader.fail(SourceLocation {path.string(), static_cast<int>(error.line()), 0},
            error.problem() + " (the ignore file of " + named.file + ":" + std::to_string(named.line) + ":"
                + std::to_string(named.column) + ")");
    }
}

int parseVersion(const Reader& reader, const Entry& entry)
{
    if (!entry.value.IsScalar() || entry.value.Scalar() != "1")
        reader.expected(entry, "1", " (this BuildScope reads version 1 specs)");
    return 1;
}

double parseSampleHz(const Reader& reader, const Entry& entry)
{
    constexpr std::string_view kWhat = "a number from 1 to 1000";
    const std::string& text = reader.scalar(entry, kWhat);
    double hz = 0;
    const auto [end, error] = io::parseDouble(text.data(), text.data() + text.size(), hz);
    if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(hz) || hz < kMinSampleHz
        || hz > kMaxSampleHz)
        reader.expected(entry, kWhat);
    return hz;
}

ImageSpec parseImage(const Reader& reader, const Entry& imageEntry)
{
    if (!imageEntry.value.IsMap() && !imageEntry.value.IsNull())
        reader.expected(imageEntry, "a mapping with registry, repository and tag");
    ImageSpec image;
    for (const Entry& entry : reader.entries(imageEntry.value, kImageKeys, " in 'image'")) {
        if (entry.key == "registry") {
            image.registry = reader.scalar(entry, "a registry like localhost:5000 or ghcr.io/acme");
            if (!isRegistry(image.registry))
                reader.expected(entry, "a registry like localhost:5000 or ghcr.io/acme (no scheme)");
        } else if (entry.key == "repository") {
            image.repository = reader.scalar(entry, "a repository like demo/app");
            if (!isRepository(image.repository))
                reader.expected(entry, "a lower-case repository like demo/app");
        } else {
            image.tag = reader.scalar(entry, "a tag like latest or {digest:12}");
            try {
                validateTagTemplate(image.tag);
            } catch (const std::invalid_argument& error) {
                reader.fail(reader.valueAt(entry), error.what());
            }
            if (!isTag(sampleTag(image.tag)))
                reader.expected(entry,
                    "a tag of letters, digits, '_', '.' and '-' (at most 128, not starting with '.' or '-'), "
                    "with optional {digest} or {digest:N}");
        }
    }
    return image;
}

bool isBuiltinVariable(std::string_view name)
{
    return std::find(kBuiltinVariables.begin(), kBuiltinVariables.end(), name) != kBuiltinVariables.end();
}

// build_args and env: string keys to scalar values, in file order. `noun` names a key
// in messages ("build arg").
std::vector<std::pair<std::string, std::string>> parseVariables(
    const Reader& reader, const Entry& mapEntry, std::string_view noun, bool builtinsReserved)
{
    if (!mapEntry.value.IsMap() && !mapEntry.value.IsNull())
        reader.expected(mapEntry, "a mapping of " + std::string(noun) + " names to values");
    std::vector<std::pair<std::string, std::string>> variables;
    for (const Entry& entry : reader.entries(mapEntry.value, kNoKeys, " in '" + mapEntry.key + "'")) {
        if (!isVariableName(entry.key)) {
            reader.fail(reader.at(entry.keyNode),
                "expected a " + std::string(noun) + " name of letters, digits and '_', not starting with a digit, in '"
                    + mapEntry.key + "', found " + shown(entry.key));
        }
        if (builtinsReserved && isBuiltinVariable(entry.key)) {
            // ${NAME} would be ambiguous: BuildScope's own value or this one?
            reader.fail(reader.at(entry.keyNode),
                "env key '" + entry.key
                    + "' is reserved: BuildScope sets IMAGE_URI, DIGEST, BUILD_ARG_FLAGS and "
                      "CONTEXT itself");
        }
        if (!entry.value.IsScalar())
            reader.expected(
                entry, "a string, number or boolean", entry.value.IsNull() ? " (write '' for an empty value)" : "");
        variables.emplace_back(entry.key, entry.value.Scalar());
    }
    return variables;
}

bool inProcessEnvironment(std::string_view name)
{
    return std::getenv(std::string(name).c_str()) != nullptr;
}

// The env keys by name, for the reference checks (a lookup per reference instead of a
// scan of every key: linear in the spec, however many keys and references it has).
struct EnvIndex
{
    std::vector<std::string_view> keys; // in file order
    std::unordered_map<std::string_view, std::size_t> positions;
};

// What a ${NAME} may refer to where it is written.
struct ReferenceScope
{
    std::string where; // " in step 'x'", " in env 'A'"
    // Env keys at positions below this are visible: all of them for a run command, those
    // above it for an env value (whose own position this is).
    std::size_t visibleEnv = 0;
    bool envValue = false;
    bool hasImage = false;
    bool tagNeedsDigest = false;
    // Set when ${DIGEST} has no value yet where this text is used: the step that would use it.
    std::string digestMissingIn;
    const SourceLocation* fixedLocation = nullptr; // preset steps: no text in the file
};

// Checks every ${NAME} in a run command or env value.
void checkReferences(const Reader& reader, const YAML::Node& node, const std::string& text, const EnvIndex& env,
    const ReferenceScope& scope)
{
    const std::string& where = scope.where;
    const std::vector<VariableReference> references = scanVariableReferences(text);
    for (std::size_t i = 0; i < references.size(); ++i) {
        const VariableReference& reference = references[i];
        auto location
            = [&] { return scope.fixedLocation ? *scope.fixedLocation : reader.referenceAt(node, i, reference); };
        if (!reference.wellFormed)
            reader.fail(location(), describeMalformedReference(reference, text, where));
        const std::string name(reference.name);
        if (isBuiltinVariable(name)) {
            if (name == "IMAGE_URI" && !scope.hasImage)
                reader.fail(location(), "${IMAGE_URI}" + where + " needs 'repository' in 'image'");
            // The run would fail the step with "undefined variable": say it now, and why.
            const bool needsDigest = name == "DIGEST" || (name == "IMAGE_URI" && scope.tagNeedsDigest);
            if (needsDigest && !scope.digestMissingIn.empty()) {
                reader.fail(location(),
                    "${" + name + "}" + where + " has no value yet: "
                        + (name == "DIGEST" ? "the context digest" : "the image tag's {digest}")
                        + " comes from a checksum step, and none runs before " + scope.digestMissingIn
                        + (scope.envValue ? " (every step that runs a command resolves every env value)" : ""));
            }
            continue;
        }
        const auto position = env.positions.find(name);
        const bool inEnv = position != env.positions.end();
        if ((inEnv && position->second < scope.visibleEnv) || inProcessEnvironment(name))
            continue;
        std::string message = "undefined variable ${" + name + "}" + where;
        if (scope.envValue && inEnv && position->second == scope.visibleEnv) {
            message += "; an env value can use its own key only when the environment defines it "
                       "(as in PATH: ${PATH}:/opt/bin)";
        } else if (scope.envValue && inEnv) {
            message += "; env '" + name + "' is defined further down, and an env value can only use keys above it";
        } else {
            std::vector<std::string_view> known = kBuiltinVariables;
            known.insert(known.end(), env.keys.begin(),
                env.keys.begin() + static_cast<std::ptrdiff_t>(std::min(scope.visibleEnv, env.keys.size())));
            const std::string_view match = closestMatch(name, known);
            if (!match.empty())
                message += "; did you mean ${" + std::string(match) + "}?";
            else
                message += "; expected " + joinAlternatives(kBuiltinVariables, ", ")
                    + (scope.envValue ? ", an env key above it" : ", a key of 'env'")
                    + " or a variable of the environment";
        }
        reader.fail(location(), message);
    }
}

// A tar step writes inside its context (the archive leaves its own output out) and may
// replace only an earlier output there, never an input: not the spec, not a source file,
// not a symbolic link (`buildscope tar DIR -o FILE` writes anywhere; a spec does not).
void checkTarOutput(const Reader& reader, const Entry& entry, const fs::path& context, const fs::path& output,
    const fs::path& specFile)
{
    const std::string shownOutput = "tar output '" + output.string() + "'";
    const fs::path relative = output.lexically_relative(context);
    if (relative.empty() || *relative.begin() == ".." || relative == ".")
        reader.fail(reader.valueAt(entry),
            shownOutput + " is outside the context '" + context.string()
                + "'; a tar step writes inside its context (buildscope tar DIR -o FILE writes anywhere)");
    std::error_code error;
    const fs::path root = fs::canonical(context, error);
    const fs::path parent = fs::weakly_canonical(output.parent_path(), error);
    if (!root.empty() && !parent.empty()) {
        const fs::path physical = parent.lexically_relative(root);
        if (physical.empty() || *physical.begin() == "..")
            reader.fail(reader.valueAt(entry),
                shownOutput + " leaves the context through a symbolic link (its directory is '" + parent.string()
                    + "')");
    }
    if (!fs::exists(fs::symlink_status(output, error)))
        return;
    if (fs::weakly_canonical(output, error) == fs::weakly_canonical(specFile, error))
        reader.fail(reader.valueAt(entry), shownOutput + " is the spec itself; the step would replace it");
    if (fs::is_symlink(fs::symlink_status(output, error)) || !isTarArchive(output))
        reader.fail(reader.valueAt(entry),
            shownOutput
                + " is a file of the context and not a tar archive; the step would replace an input (and leave "
                  "it out of the archive)");
}

struct ParsedStep
{
    StepSpec step;
    YAML::Node commandNode; // run: for locating ${...} references
};

ParsedStep parseStep(const Reader& reader, const YAML::Node& node, std::size_t index, const fs::path& context,
    const fs::path& specFile)
{
    const std::string ordinal = "step " + std::to_string(index + 1);
    if (!node.IsMap()) {
        reader.fail(reader.at(node),
            "expected " + ordinal + " to be a mapping with 'name' and one of " + joinAlternatives(kStepTypeKeys, ", ")
                + ", found " + describe(node));
    }

    // The name first, so every later message can say which step it is about.
    std::string label = ordinal;
    const YAML::Node nameNode = node["name"];
    if (nameNode && nameNode.IsScalar() && isStepName(nameNode.Scalar()))
        label = "step '" + nameNode.Scalar() + "'";
    const std::string where = " in " + label;

    ParsedStep parsed;
    StepSpec& step = parsed.step;
    step.location = reader.at(node);
    const std::vector<Entry> entries = reader.entries(node, kStepKeys, where);

    const Entry* typeEntry = nullptr;
    for (const Entry& entry : entries) {
        if (std::find(kStepTypeKeys.begin(), kStepTypeKeys.end(), entry.key) == kStepTypeKeys.end())
            continue;
        if (typeEntry) {
            reader.fail(reader.at(entry.keyNode),
                label + " has both '" + typeEntry->key + "' and '" + entry.key + "'; a step has exactly one of "
                    + joinAlternatives(kStepTypeKeys, ", "));
        }
        typeEntry = &entry;
    }

    const Entry* name = find(entries, "name");
    if (!name)
        reader.fail(step.location, "missing required key 'name'" + where);
    step.name = reader.scalar(*name, "a step name");
    if (!isStepName(step.name))
        reader.expected(*name, "a step name of letters, digits, '_', '.' and '-'");

    if (!typeEntry)
        reader.fail(step.location, label + " needs one of " + joinAlternatives(kStepTypeKeys, ", "));

    const Entry& type = *typeEntry;
    if (type.key == kChecksum) {
        step.kind = StepKind::Checksum;
        // "checksum: {}" or a bare "checksum:"; there is nothing to configure yet.
        if (!type.value.IsNull() && !(type.value.IsMap() && type.value.size() == 0))
            reader.expected(type, "{}");
    } else if (type.key == kTar) {
        step.kind = StepKind::Tar;
        if (!type.value.IsMap() && !type.value.IsNull())
            reader.expected(type, "a mapping with 'output'");
        const std::vector<Entry> tar = reader.entries(type.value, kTarKeys, " in 'tar' of " + label);
        const Entry* output = find(tar, "output");
        if (!output)
            reader.fail(reader.valueAt(type), "missing required key 'output' in 'tar' of " + label);
        const std::string& written = reader.scalar(*output, "a file path");
        if (written.empty())
            reader.expected(*output, "a file path");
        step.tarOutput = resolve(context, written);
        if (isExistingDirectory(step.tarOutput))
            reader.fail(reader.valueAt(*output),
                "tar output '" + step.tarOutput.string() + "' is a directory; expected a file path");
        checkTarOutput(reader, *output, context, step.tarOutput, specFile);
    } else if (type.key == kRun) {
        step.kind = StepKind::Run;
        if (!type.value.IsScalar() || type.value.Scalar().empty())
            reader.expected(type, "a shell command");
        step.command = type.value.Scalar();
        parsed.commandNode = type.value;
    } else {
        step.kind = StepKind::Container;
        if (!type.value.IsMap() && !type.value.IsNull())
            reader.expected(type, "a mapping with runtime and dockerfile");
        for (const Entry& entry : reader.entries(type.value, kContainerKeys, " in 'container' of " + label)) {
            if (entry.key == "runtime") {
                const std::string& runtime = reader.scalar(entry, joinAlternatives(kRuntimes));
                if (std::find(kRuntimes.begin(), kRuntimes.end(), runtime) == kRuntimes.end())
                    reader.expected(entry, joinAlternatives(kRuntimes), didYouMean(runtime, kRuntimes));
                step.containerRuntime = runtime;
            } else {
                const std::string& dockerfile = reader.scalar(entry, "a path relative to the context");
                if (dockerfile.empty())
                    reader.expected(entry, "a path relative to the context");
                step.dockerfile = fs::path(dockerfile).lexically_normal();
            }
        }
    }

    if (const Entry* timeout = find(entries, "timeout")) {
        constexpr std::string_view kWhat = "a duration like 300s or 5m";
        const std::optional<std::chrono::milliseconds> duration = parseDuration(reader.scalar(*timeout, kWhat));
        if (!duration)
            reader.expected(*timeout, kWhat);
        if (duration->count() <= 0)
            reader.expected(*timeout, "a positive duration like 300s or 5m");
        if (*duration > kMaxTimeout)
            reader.expected(*timeout, "a duration of at most 720h");
        step.timeout = *duration;
    }
    if (const Entry* optional = find(entries, "optional"))
        step.optional = reader.boolean(*optional);
    if (const Entry* continueOnError = find(entries, "continue_on_error"))
        step.continueOnError = reader.boolean(*continueOnError);
    return parsed;
}

// One component of a duration: digits with an optional fraction ("1", "1.5").
std::optional<double> parseNumber(std::string_view text, std::size_t& i)
{
    const std::size_t start = i;
    while (i < text.size() && isDigit(text[i]))
        ++i;
    if (i == start)
        return std::nullopt;
    if (i < text.size() && text[i] == '.') {
        const std::size_t fraction = ++i;
        while (i < text.size() && isDigit(text[i]))
            ++i;
        if (i == fraction)
            return std::nullopt;
    }
    double value = 0;
    const auto [end, error] = io::parseDouble(text.data() + start, text.data() + i, value);
    if (error != std::errc() || end != text.data() + i)
        return std::nullopt;
    return value;
}

std::string readFile(const fs::path& file)
{
    try {
        return io::readRegularFile(file, kMaxSpecBytes, "a spec");
    } catch (const io::InputFileError& error) {
        throw SpecError(SourceLocation {file.string(), 0, 0}, "cannot read the spec: " + error.reason());
    }
}

// Where each document of a YAML stream starts (its root node), without building it.
class DocumentRoots : public YAML::EventHandler
{
public:
    std::vector<YAML::Mark> roots;

    void OnDocumentStart(const YAML::Mark&) override { m_rootSeen = false; }
    void OnDocumentEnd() override { }
    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override
    {
        node(mark);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override
    {
        node(mark);
    }
    void OnSequenceEnd() override { }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override
    {
        node(mark);
    }
    void OnMapEnd() override { }

private:
    void node(const YAML::Mark& mark)
    {
        if (!m_rootSeen)
            roots.push_back(mark);
        m_rootSeen = true;
    }
    bool m_rootSeen = false;
};

// The spec's one YAML document. Not YAML::LoadAll: in yaml-cpp 0.7 it never returns, and
// allocates a null document per turn, when the stream holds a token no document can start
// with (a leading ','; jbeder/yaml-cpp#1319, fixed in 0.8; found by fuzz/fuzz_spec). A first
// pass counts the documents through the event interface and stops when one starts where
// the previous one did, which only a parser that consumes nothing does; YAML::Load then
// builds the first document alone.
YAML::Node loadSingleDocument(const Reader& reader, std::string_view yaml)
{
    const std::string text(yaml);
    try {
        std::istringstream in(text);
        YAML::Parser parser(in);
        DocumentRoots documents;
        while (parser.HandleNextDocument(documents)) {
            const std::vector<YAML::Mark>& roots = documents.roots;
            if (roots.size() >= 2 && roots.back().pos == roots[roots.size() - 2].pos) {
                const YAML::Mark& stuck = roots.back();
                const auto pos = static_cast<std::size_t>(std::max(stuck.pos, 0));
                reader.fail(reader.at(stuck),
                    pos < text.size() ? "invalid YAML: unexpected " + shown(text.substr(pos, 1))
                                      : std::string("invalid YAML: unexpected end of the file"));
            }
        }
        const YAML::Node root = YAML::Load(text);
        if (root.IsNull())
            reader.fail(SourceLocation {reader.fileName(), 0, 0},
                "the spec is empty; expected a mapping with version, name and steps");
        if (documents.roots.size() > 1) {
            reader.fail(reader.at(documents.roots[1]),
                "expected one YAML document, found " + std::to_string(documents.roots.size()));
        }
        return root;
    } catch (const YAML::ParserException& error) {
        reader.fail(reader.at(error.mark), "invalid YAML: " + error.msg);
    }
}

} // namespace

std::optional<std::chrono::milliseconds> parseDuration(std::string_view text)
{
    using Milliseconds = std::chrono::milliseconds;
    // Beyond this a double no longer holds whole milliseconds exactly, and no build runs
    // for 300 years.
    constexpr double kLimitMs = 1e13;
    std::size_t i = 0;
    const std::optional<double> first = parseNumber(text, i);
    if (!first)
        return std::nullopt;
    if (i == text.size()) { // a plain number of seconds
        const double ms = *first * 1000.0;
        return ms > kLimitMs ? std::nullopt : std::optional(Milliseconds(std::llround(ms)));
    }

    struct Unit
    {
        std::string_view suffix;
        double ms;
    };
    // Largest first; "ms" before "m" so the longer suffix wins.
    constexpr std::array<Unit, 4> kUnits {{{"h", 3'600'000.0}, {"ms", 1.0}, {"m", 60'000.0}, {"s", 1000.0}}};
    constexpr std::array<int, 4> kRank {0, 3, 1, 2}; // order of h, ms, m, s in a duration
    double totalMs = 0;
    int lastRank = -1;
    std::optional<double> number = first;
    while (true) {
        const Unit* unit = nullptr;
        int rank = 0;
        for (std::size_t u = 0; u < kUnits.size(); ++u) {
            if (text.substr(i).starts_with(kUnits[u].suffix)) {
                unit = &kUnits[u];
                rank = kRank[u];
                break;
            }
        }
        if (!unit || rank <= lastRank)
            return std::nullopt;
        lastRank = rank;
        i += unit->suffix.size();
        totalMs += *number * unit->ms;
        if (totalMs > kLimitMs)
            return std::nullopt;
        if (i == text.size())
            break;
        number = parseNumber(text, i);
        if (!number)
            return std::nullopt;
    }
    return Milliseconds(std::llround(totalMs));
}

const std::vector<std::string_view>& knownStepKeys()
{
    return kStepKeys;
}

const std::vector<std::string_view>& stepTypeKeys()
{
    return kStepTypeKeys;
}

BuildSpec parseSpec(std::string_view yaml, const std::string& fileName, const fs::path& baseDirectory)
{
    const Reader reader(yaml, fileName);
    const fs::path base = fs::absolute(baseDirectory).lexically_normal();

    const YAML::Node root = loadSingleDocument(reader, yaml);
    if (!root.IsMap())
        reader.fail(reader.at(root), "expected a mapping with version, name and steps, found " + describe(root));
    const SourceLocation rootLocation = reader.at(root);

    const std::vector<Entry> top = reader.entries(root, kTopLevelKeys, "", true);
    auto required = [&](std::string_view key) -> const Entry& {
        const Entry* entry = find(top, key);
        if (!entry)
            reader.fail(rootLocation, "missing required key '" + std::string(key) + "'");
        return *entry;
    };

    BuildSpec spec;
    spec.file = base / fs::path(fileName).filename();
    spec.version = parseVersion(reader, required("version"));

    const Entry& name = required("name");
    spec.name = reader.scalar(name, "a non-empty name");
    if (spec.name.empty() || spec.name.find('\n') != std::string::npos)
        reader.expected(name, "a non-empty, single-line name");

    const BuildPreset* preset = nullptr;
    const Entry* presetEntry = find(top, "preset");
    if (presetEntry) {
        std::vector<std::string_view> names;
        for (const BuildPreset& p : buildPresets())
            names.push_back(p.name);
        const std::string& written = reader.scalar(*presetEntry, joinAlternatives(names));
        preset = findPreset(written);
        if (!preset)
            reader.expected(*presetEntry, joinAlternatives(names), didYouMean(written, names));
        spec.preset = written;
    }

    spec.context = base;
    if (const Entry* context = find(top, "context")) {
        const std::string& written = reader.scalar(*context, "a directory");
        if (written.empty())
            reader.expected(*context, "a directory");
        spec.context = resolve(base, written);
        if (const std::string problem = unreachable(spec.context); !problem.empty())
            reader.fail(reader.valueAt(*context), "context directory '" + spec.context.string() + "' " + problem);
        if (!isExistingDirectory(spec.context))
            reader.fail(reader.valueAt(*context), "context '" + spec.context.string() + "' is not a directory");
    } else if (!isExistingDirectory(spec.context)) {
        reader.fail(rootLocation, "context directory '" + spec.context.string() + "' does not exist");
    }

    if (const Entry* ignore = find(top, "ignore_file")) {
        const std::string& written = reader.scalar(*ignore, "a file path relative to the context");
        if (written.empty())
            reader.expected(*ignore, "a file path relative to the context");
        const fs::path path = resolve(spec.context, written);
        if (const std::string problem = unreachable(path); !problem.empty())
            reader.fail(reader.valueAt(*ignore), "ignore file '" + path.string() + "' " + problem);
        std::error_code error;
        if (!fs::is_regular_file(path, error))
            reader.fail(reader.valueAt(*ignore), "ignore file '" + path.string() + "' is not a regular file");
        checkIgnoreFile(reader, *ignore, path);
        spec.ignoreFile = path;
    }

    const Entry* imageEntry = find(top, "image");
    if (imageEntry)
        spec.image = parseImage(reader, *imageEntry);
    if (const Entry* buildArgs = find(top, "build_args"))
        spec.buildArgs = parseVariables(reader, *buildArgs, "build arg", false);

    std::vector<std::string_view> envKeys; // views into spec.env, complete before they are used
    const Entry* envEntry = find(top, "env");
    if (envEntry) {
        spec.env = parseVariables(reader, *envEntry, "variable", true);
        for (const auto& [key, value] : spec.env)
            envKeys.push_back(key);
    }

    if (const Entry* sampleHz = find(top, "sample_hz"))
        spec.sampleHz = parseSampleHz(reader, *sampleHz);

    std::vector<YAML::Node> commandNodes;
    std::unordered_map<std::string, std::size_t> stepNames; // name -> index, for duplicates
    const Entry* stepsEntry = find(top, "steps");
    if (stepsEntry) {
        if (!stepsEntry->value.IsSequence() || (stepsEntry->value.size() == 0 && !preset))
            reader.expected(*stepsEntry, "a non-empty list of steps");
        for (std::size_t i = 0; i < stepsEntry->value.size(); ++i) {
            ParsedStep parsed = parseStep(reader, stepsEntry->value[i], i, spec.context, spec.file);
            if (const auto earlier = stepNames.find(parsed.step.name); earlier != stepNames.end()) {
                reader.fail(reader.at(stepsEntry->value[i]["name"]),
                    "duplicate step name '" + parsed.step.name + "'; the first is at line "
                        + std::to_string(spec.steps[earlier->second].location.line));
            }
            stepNames.emplace(parsed.step.name, spec.steps.size());
            spec.steps.push_back(std::move(parsed.step));
            commandNodes.push_back(parsed.commandNode);
        }
    } else if (!preset) {
        reader.fail(rootLocation, "missing required key 'steps'");
    }

    if (preset) {
        const bool presetSteps = spec.steps.empty();
        applyPreset(spec, *preset);
        if (presetSteps) {
            const SourceLocation presetLocation = reader.at(presetEntry->keyNode);
            for (StepSpec& step : spec.steps)
                step.location = presetLocation;
            commandNodes.assign(spec.steps.size(), YAML::Node());
        }
    }

    // Content-addressed by default: the same context always gets the same tag.
    if (!spec.image.repository.empty() && spec.image.tag.empty())
        spec.image.tag = "{digest:12}";

    const bool hasImage = !spec.image.repository.empty();
    for (const StepSpec& step : spec.steps) {
        if (step.kind == StepKind::Container && !hasImage) {
            reader.fail(imageEntry ? reader.valueAt(*imageEntry) : step.location,
                "missing 'repository' in 'image'; step '" + step.name + "' builds a container image");
        }
    }

    // The context digest exists once a checksum step has run: a container step whose tag
    // needs it, or a ${DIGEST} used before, would fail the run; fail validation instead.
    const bool tagNeedsDigest = spec.image.tag.find("{digest") != std::string::npos;
    std::size_t firstChecksum = spec.steps.size();
    std::size_t firstCommand = spec.steps.size(); // the first step that resolves env values
    for (std::size_t i = 0; i < spec.steps.size(); ++i) {
        const StepSpec& step = spec.steps[i];
        if (step.kind == StepKind::Checksum && firstChecksum == spec.steps.size())
            firstChecksum = i;
        if ((step.kind == StepKind::Run || step.kind == StepKind::Container) && firstCommand == spec.steps.size())
            firstCommand = i;
        if (step.kind == StepKind::Container && hasImage && tagNeedsDigest && firstChecksum > i) {
            reader.fail(step.location,
                "step '" + step.name + "' builds the image tagged '" + spec.image.tag
                    + "', which needs the context digest: put a checksum step before it");
        }
    }

    // Values can reference only what exists when they are substituted: an env value sees
    // the env keys above it, a run command sees them all.
    EnvIndex env;
    env.keys = envKeys;
    env.positions.reserve(envKeys.size());
    for (std::size_t i = 0; i < envKeys.size(); ++i)
        env.positions.emplace(envKeys[i], i);
    if (envEntry) {
        const std::vector<Entry> envEntries = reader.entries(envEntry->value, kNoKeys, "");
        for (std::size_t i = 0; i < envEntries.size(); ++i) {
            ReferenceScope scope;
            scope.where = " in env '" + spec.env[i].first + "'";
            scope.visibleEnv = i;
            scope.envValue = true;
            scope.hasImage = hasImage;
            scope.tagNeedsDigest = tagNeedsDigest;
            if (firstCommand < spec.steps.size() && firstChecksum > firstCommand)
                scope.digestMissingIn = "step '" + spec.steps[firstCommand].name + "'";
            checkReferences(reader, envEntries[i].value, spec.env[i].second, env, scope);
        }
    }
    for (std::size_t i = 0; i < spec.steps.size(); ++i) {
        const StepSpec& step = spec.steps[i];
        if (step.kind != StepKind::Run)
            continue;
        const bool written = commandNodes[i].IsDefined() && commandNodes[i].IsScalar();
        ReferenceScope scope;
        scope.where = " in step '" + step.name + "'";
        scope.visibleEnv = envKeys.size();
        scope.hasImage = hasImage;
        scope.tagNeedsDigest = tagNeedsDigest;
        if (firstChecksum > i)
            scope.digestMissingIn = "step '" + step.name + "'";
        scope.fixedLocation = written ? nullptr : &step.location;
        checkReferences(reader, commandNodes[i], step.command, env, scope);
    }
    return spec;
}

BuildSpec loadSpec(const fs::path& file)
{
    const std::string text = readFile(file);
    const fs::path absolute = fs::absolute(file).lexically_normal();
    BuildSpec spec = parseSpec(text, file.string(), absolute.parent_path());
    spec.file = absolute;
    return spec;
}

} // namespace buildscope
