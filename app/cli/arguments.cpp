#include "arguments.h"

namespace buildscope::cli {

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
