#include "run/commandline.h"

#include <algorithm>

namespace buildscope {

namespace {

bool needsQuotes(std::string_view argument)
{
    if (argument.empty())
        return true;
    return std::any_of(argument.begin(), argument.end(), [](char c) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || std::string_view("-_./=:,+@%").find(c) != std::string_view::npos;
        return !plain;
    });
}

} // namespace

std::string joinArguments(const std::vector<std::string>& arguments)
{
    std::string line;
    for (const std::string& argument : arguments) {
        if (!line.empty())
            line += ' ';
        if (!needsQuotes(argument)) {
            line += argument;
            continue;
        }
        line += '\'';
        for (char c : argument) {
            if (c == '\'')
                line += "'\\''";
            else
                line += c;
        }
        line += '\'';
    }
    return line;
}

std::optional<std::vector<std::string>> splitArguments(std::string_view line)
{
    std::vector<std::string> arguments;
    std::string current;
    bool inArgument = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == ' ') {
            if (inArgument)
                arguments.push_back(std::move(current));
            current.clear();
            inArgument = false;
        } else if (c == '\'') {
            const std::size_t close = line.find('\'', i + 1);
            if (close == std::string_view::npos)
                return std::nullopt;
            current.append(line.substr(i + 1, close - i - 1));
            i = close;
            inArgument = true;
        } else if (c == '\\' && i + 1 < line.size()) {
            current += line[++i];
            inArgument = true;
        } else {
            current += c;
            inArgument = true;
        }
    }
    if (inArgument)
        arguments.push_back(std::move(current));
    return arguments;
}

} // namespace buildscope
