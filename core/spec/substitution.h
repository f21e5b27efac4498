#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace buildscope {

// Looks a variable up by name; nullopt when it is not defined.
using VariableLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Replaces every ${NAME} (NAME: [A-Za-z_][A-Za-z0-9_]*) with its value; "$$" is a
// literal "$". Throws std::invalid_argument naming the variable when one is undefined
// or a reference is malformed ("${", "${1X}").
std::string substituteVariables(std::string_view text, const VariableLookup& lookup);

// The names referenced in text, in order of appearance (for validation before values exist).
std::vector<std::string> referencedVariables(std::string_view text);

// One "${...}" in text, well formed or not, so a caller can point at it (the spec loader
// reports the line and column of an undefined or malformed reference).
struct VariableReference
{
    std::size_t offset = 0; // of the '$' in text
    std::size_t length = 0; // "${NAME}" in full, or up to the end of text when the '}' is missing
    std::string_view name; // NAME (a view into text); for a malformed reference what is between the braces
    bool wellFormed = true;
};

// Every reference in text in order; "$$" and a '$' not followed by '{' are skipped. Never throws.
std::vector<VariableReference> scanVariableReferences(std::string_view text);

// Why a malformed reference is malformed: "malformed variable reference '${1X}'" + `where`
// (e.g. " in step 'compile'") + ": expected ...".
std::string describeMalformedReference(
    const VariableReference& reference, std::string_view text, std::string_view where = {});

} // namespace buildscope
