#include "spec/substitution.h"

#include <stdexcept>

namespace buildscope {

namespace {

bool isNameStart(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool isNameChar(char c) noexcept
{
    return isNameStart(c) || (c >= '0' && c <= '9');
}

bool isVariableName(std::string_view name) noexcept
{
    if (name.empty() || !isNameStart(name.front()))
        return false;
    for (char c : name) {
        if (!isNameChar(c))
            return false;
    }
    return true;
}

// Walks text once, calling onLiteral for runs of plain text and onReference for each
// "${...}". "$$" yields a literal "$"; any other '$' is plain text, so the shell still
// sees $HOME, $(cmd) and $1.
template<typename OnLiteral, typename OnReference>
void scan(std::string_view text, OnLiteral&& onLiteral, OnReference&& onReference)
{
    std::size_t literalStart = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] != '$' || i + 1 >= text.size()) {
            ++i;
            continue;
        }
        const char next = text[i + 1];
        if (next == '$') {
            onLiteral(text.substr(literalStart, i + 1 - literalStart)); // up to and including one '$'
            i += 2;
            literalStart = i;
            continue;
        }
        if (next != '{') {
            ++i;
            continue;
        }
        onLiteral(text.substr(literalStart, i - literalStart));
        VariableReference reference;
        reference.offset = i;
        const std::size_t close = text.find('}', i + 2);
        if (close == std::string_view::npos) {
            reference.length = text.size() - i;
            reference.name = text.substr(i + 2);
            reference.wellFormed = false;
        } else {
            reference.length = close + 1 - i;
            reference.name = text.substr(i + 2, close - i - 2);
            reference.wellFormed = isVariableName(reference.name);
        }
        onReference(reference);
        i += reference.length;
        literalStart = i;
    }
    onLiteral(text.substr(literalStart));
}

} // namespace

std::vector<VariableReference> scanVariableReferences(std::string_view text)
{
    std::vector<VariableReference> references;
    scan(
        text, [](std::string_view) {}, [&](const VariableReference& reference) { references.push_back(reference); });
    return references;
}

std::string describeMalformedReference(
    const VariableReference& reference, std::string_view text, std::string_view where)
{
    const bool unterminated = text.find('}', reference.offset + 2) == std::string_view::npos;
    std::string message = unterminated ? "unterminated variable reference '" : "malformed variable reference '";
    message.append(text.substr(reference.offset, reference.length)).append("'").append(where);
    message.append(unterminated
            ? ": expected ${NAME} with a closing '}'"
            : ": expected ${NAME} with NAME made of letters, digits and '_', not starting with a digit");
    message.append(" (write $$ for a literal '$')");
    return message;
}

std::string substituteVariables(std::string_view text, const VariableLookup& lookup)
{
    std::string result;
    result.reserve(text.size());
    scan(
        text, [&](std::string_view literal) { result.append(literal); },
        [&](const VariableReference& reference) {
            if (!reference.wellFormed)
                throw std::invalid_argument(describeMalformedReference(reference, text));
            std::optional<std::string> value = lookup(reference.name);
            if (!value)
                throw std::invalid_argument("undefined variable ${" + std::string(reference.name) + "}");
            result.append(*value);
        });
    return result;
}

std::vector<std::string> referencedVariables(std::string_view text)
{
    std::vector<std::string> names;
    scan(
        text, [](std::string_view) {},
        [&](const VariableReference& reference) {
            if (!reference.wellFormed)
                throw std::invalid_argument(describeMalformedReference(reference, text));
            names.emplace_back(reference.name);
        });
    return names;
}

} // namespace buildscope
