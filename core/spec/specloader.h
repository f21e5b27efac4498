#pragma once

#include "spec/buildspec.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace buildscope {

// A spec that cannot be used. what() reads "FILE:LINE:COLUMN: message" (as compilers
// print), e.g. "buildscope.yaml:12:5: unknown key 'rnu' in step 'compile'; did you mean 'run'?"
class SpecError : public std::runtime_error
{
public:
    SpecError(SourceLocation location, const std::string& message);
    const SourceLocation& location() const noexcept { return m_location; }
    const std::string& message() const noexcept { return m_message; }

private:
    SourceLocation m_location;
    std::string m_message;
};

// Reads, parses and validates a spec file; relative paths resolve against the file's
// directory. Throws SpecError (missing or unreadable file: line 0).
BuildSpec loadSpec(const std::filesystem::path& file);

// The same from text; `fileName` is used in messages, `baseDirectory` to resolve paths.
BuildSpec parseSpec(std::string_view yaml, const std::string& fileName, const std::filesystem::path& baseDirectory);

// A timeout as a spec writes it: "300s", "5m", "1h30m", "250ms", "1.5h" (units h, m, s and
// ms, each at most once, largest first) or a plain number of seconds ("90", "0.5"); the
// result is rounded to whole milliseconds. nullopt when text is none of these. Zero parses
// (the loader is what requires a timeout to be positive).
std::optional<std::chrono::milliseconds> parseDuration(std::string_view text);

// The keys a step mapping may hold, and the keys that give a step its type (for editors,
// completion and messages).
const std::vector<std::string_view>& knownStepKeys();
const std::vector<std::string_view>& stepTypeKeys();

} // namespace buildscope
