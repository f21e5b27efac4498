#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace buildscope::cli {

// Bad command-line usage; the message names the offending argument.
class UsageError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// A subcommand's arguments: "--name value", "--name=value", "-o value", boolean flags,
// repeatable options and positionals. Unknown options are errors.
class Arguments
{
public:
    struct Option
    {
        std::string name; // "--report"
        std::string shortName; // "-o", optional
        bool takesValue = true;
        bool repeatable = false;
    };

    Arguments(const std::vector<std::string>& args, const std::vector<Option>& options);

    bool has(std::string_view name) const;
    std::optional<std::string> value(std::string_view name) const;
    std::vector<std::string> values(std::string_view name) const;
    const std::vector<std::string>& positionals() const noexcept { return m_positionals; }

    // The positional at index or a UsageError "missing <what>".
    const std::string& positional(std::size_t index, std::string_view what) const;
    void expectPositionals(std::size_t min, std::size_t max) const;

private:
    std::map<std::string, std::vector<std::string>, std::less<>> m_values;
    std::vector<std::string> m_positionals;
};

} // namespace buildscope::cli
