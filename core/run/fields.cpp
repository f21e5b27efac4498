#include "run/fields.h"

#include "io/decimalnumber.h"

#include <charconv>
#include <cstdio>
#include <limits>

namespace buildscope::fields {

namespace {

std::string number(double value)
{
    char text[32];
    const auto [end, error] = std::to_chars(text, text + sizeof text, value);
    return error == std::errc() ? std::string(text, end) : std::to_string(value);
}

std::string range(double min, double max)
{
    return "from " + number(min) + " to " + number(max);
}

// Every numeric alternative as a double, for range checks (exact up to 2^53, which is
// the largest any field allows).
std::optional<double> asDouble(const FieldValue& value)
{
    if (const auto* v = std::get_if<std::int64_t>(&value))
        return static_cast<double>(*v);
    if (const auto* v = std::get_if<std::uint64_t>(&value))
        return static_cast<double>(*v);
    if (const auto* v = std::get_if<double>(&value))
        return *v;
    return std::nullopt;
}

} // namespace

std::string describe(const FieldValue& value)
{
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                return "null";
            else if constexpr (std::is_same_v<T, std::string>)
                return "\"" + (v.size() > 40 ? v.substr(0, 40) + "..." : v) + "\"";
            else if constexpr (std::is_same_v<T, bool>)
                return v ? "true" : "false";
            else if constexpr (std::is_same_v<T, double>)
                return number(v);
            else
                return std::to_string(v);
        },
        value);
}

std::string toInteger(const FieldValue& value, double min, double max, std::int64_t& out)
{
    const std::optional<double> real = asDouble(value);
    if (!real || !std::isfinite(*real) || std::trunc(*real) != *real || *real < min || *real > max)
        return "must be a whole number " + range(min, max) + ", got " + describe(value);
    if (const auto* v = std::get_if<std::int64_t>(&value))
        out = *v;
    else if (const auto* u = std::get_if<std::uint64_t>(&value))
        out = static_cast<std::int64_t>(*u);
    else
        out = static_cast<std::int64_t>(*real);
    return {};
}

std::string toUnsigned(const FieldValue& value, double max, std::uint64_t& out)
{
    const std::optional<double> real = asDouble(value);
    if (!real || !std::isfinite(*real) || std::trunc(*real) != *real || *real < 0 || *real > max)
        return "must be a whole number " + range(0, max) + ", got " + describe(value);
    if (const auto* u = std::get_if<std::uint64_t>(&value))
        out = *u;
    else if (const auto* v = std::get_if<std::int64_t>(&value))
        out = static_cast<std::uint64_t>(*v);
    else
        out = static_cast<std::uint64_t>(*real);
    return {};
}

std::string toReal(const FieldValue& value, double min, double max, double& out)
{
    const std::optional<double> real = asDouble(value);
    if (!real || !std::isfinite(*real) || *real < min || *real > max)
        return "must be a number " + range(min, max) + ", got " + describe(value);
    out = *real;
    return {};
}

std::string toText(const FieldValue& value, std::string& out)
{
    if (const auto* text = std::get_if<std::string>(&value)) {
        out = *text;
        return {};
    }
    return "must be text, got " + describe(value);
}

std::string toFlag(const FieldValue& value, bool& out)
{
    if (const auto* flag = std::get_if<bool>(&value)) {
        out = *flag;
        return {};
    }
    // CSV and SQL have no booleans: 0 and 1 stand for them.
    if (const std::optional<double> real = asDouble(value); real && (*real == 0 || *real == 1)) {
        out = *real == 1;
        return {};
    }
    return "must be true or false, got " + describe(value);
}

std::string parseText(FieldType type, std::string_view text, FieldValue& out)
{
    if (type == FieldType::Text) {
        out = std::string(text);
        return {};
    }
    if (text.empty()) {
        out = std::monostate {};
        return {};
    }
    if (type == FieldType::Flag && (text == "true" || text == "false")) {
        out = text == "true";
        return {};
    }
    const char* begin = text.data();
    const char* end = begin + text.size();
    if (type == FieldType::Integer || type == FieldType::Flag) {
        if (text.front() == '-') {
            std::int64_t value = 0;
            const auto [last, error] = std::from_chars(begin, end, value);
            if (error == std::errc() && last == end) {
                out = value;
                return {};
            }
        } else {
            std::uint64_t value = 0;
            const auto [last, error] = std::from_chars(begin, end, value);
            if (error == std::errc() && last == end) {
                out = value;
                return {};
            }
        }
    }
    // Integers written as reals (1e3, 12.0) are judged by the range check afterwards.
    double value = 0;
    const auto [last, error] = io::parseDouble(begin, end, value);
    if (error != std::errc() || last != end)
        return "is not a number: \"" + std::string(text.substr(0, 40)) + "\"";
    out = value;
    return {};
}

std::string formatText(const FieldValue& value)
{
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                return {};
            else if constexpr (std::is_same_v<T, std::string>)
                return v;
            else if constexpr (std::is_same_v<T, bool>)
                return v ? "1" : "0";
            else if constexpr (std::is_same_v<T, double>)
                return std::isnan(v) ? std::string() : number(v);
            else
                return std::to_string(v);
        },
        value);
}

} // namespace buildscope::fields
