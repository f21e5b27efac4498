#include "arguments.h"

#include "io/decimalnumber.h"

#include <algorithm>

#include <charconv>
#include <cmath>

namespace buildscope::cli {

namespace {

// "0.05", "1000", "1e-09": the shortest text that reads back the same (locale-free).
std::string formatNumber(double value)
{
    char text[32];
    const auto result = std::to_chars(text, text + sizeof text, value);
    return std::string(text, result.ptr);
}

std::string shownText(std::string_view text)
{
    constexpr std::size_t kMaxShown = 40;
    return "'" + std::string(text.substr(0, kMaxShown)) + (text.size() > kMaxShown ? "...'" : "'");
}

} // namespace

OptionsAndCommand splitAtCommand(const std::vector<std::string>& args)
{
    const auto separator = std::find(args.begin(), args.end(), "--");
    return {std::vector<std::string>(args.begin(), separator),
        std::vector<std::string>(separator == args.end() ? separator : separator + 1, args.end()),
        separator != args.end()};
}

std::int64_t parseInteger(std::string_view what, std::string_view text, std::int64_t min, std::int64_t max)
{
    std::int64_t value = 0;
    // from_chars: no locale, no leading blanks or '+', and out-of-range is an error, not a wrap.
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < min || value > max)
        throw UsageError(std::string(what) + " expects an integer from " + std::to_string(min) + " to "
            + std::to_string(max) + ", got " + shownText(text));
    return value;
}

double parseNumber(std::string_view what, std::string_view text, double min, double max)
{
    double value = 0;
    const auto [end, error] = io::parseDouble(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)
        || value < min || value > max)
        throw UsageError(std::string(what) + " expects a number from " + formatNumber(min) + " to "
            + formatNumber(max) + ", got " + shownText(text));
    return value;
}

std::int64_t Arguments::integerOption(
    std::string_view name, std::int64_t min, std::int64_t max, std::int64_t fallback) const
{
    const std::optional<std::string> text = value(name);
    return text ? parseInteger(name, *text, min, max) : fallback;
}

double Arguments::numberOption(std::string_view name, double min, double max, double fallback) const
{
    const std::optional<std::string> text = value(name);
    return text ? parseNumber(name, *text, min, max) : fallback;
}

Arguments::Arguments(const std::vector<std::string>& args, const std::vector<Option>& options)
{
    auto find = [&](std::string_view name) -> const Option* {
        for (const Option& option : options) {
            if (option.name == name || (!option.shortName.empty() && option.shortName == name))
                return &option;
        }
        return nullptr;
    };
    bool onlyPositionals = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (onlyPositionals || arg.size() < 2 || arg[0] != '-' || arg == "-") {
            m_positionals.push_back(arg);
            continue;
        }
        if (arg == "--") {
            onlyPositionals = true;
            continue;
        }
        std::string name = arg;
        std::optional<std::string> inlineValue;
        if (const std::size_t equals = arg.find('='); arg.starts_with("--") && equals != std::string::npos) {
            name = arg.substr(0, equals);
            inlineValue = arg.substr(equals + 1);
        }
        const Option* option = find(name);
        if (!option)
            throw UsageError("unknown option '" + name + "'");
        std::vector<std::string>& slot = m_values[option->name];
        if (!slot.empty() && !option->repeatable)
            throw UsageError("option '" + option->name + "' given more than once");
        if (!option->takesValue) {
            if (inlineValue)
                throw UsageError("option '" + option->name + "' takes no value");
            slot.emplace_back();
            continue;
        }
        if (inlineValue) {
            slot.push_back(*inlineValue);
        } else if (i + 1 < args.size()) {
            // "--store --report X": the next word is an option of this command, not a value
            // (a value that starts like one is given as --store=--odd-name).
            const std::string& next = args[i + 1];
            if (next.starts_with("--") && find(next.substr(0, next.find('='))))
                throw UsageError("option '" + option->name + "' needs a value, found the option '" + next + "'");
            slot.push_back(args[++i]);
        } else {
            throw UsageError("option '" + option->name + "' needs a value");
        }
    }
}

bool Arguments::has(std::string_view name) const
{
    return m_values.find(name) != m_values.end();
}

std::optional<std::string> Arguments::value(std::string_view name) const
{
    const auto it = m_values.find(name);
    if (it == m_values.end() || it->second.empty())
        return std::nullopt;
    return it->second.back();
}

std::vector<std::string> Arguments::values(std::string_view name) const
{
    const auto it = m_values.find(name);
    return it == m_values.end() ? std::vector<std::string> {} : it->second;
}

const std::string& Arguments::positional(std::size_t index, std::string_view what) const
{
    if (index >= m_positionals.size())
        throw UsageError("missing " + std::string(what));
    return m_positionals[index];
}

void Arguments::expectPositionals(std::size_t min, std::size_t max) const
{
    if (m_positionals.size() < min)
        throw UsageError("missing argument");
    if (m_positionals.size() > max)
        throw UsageError("unexpected argument '" + m_positionals[max] + "'");
}

} // namespace buildscope::cli
