#pragma once

#include <cstdint>
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

    // A numeric option bounded to [min, max], or fallback when it is absent. Anything else
    // (not a number, trailing text, out of range) is a UsageError that states the range:
    // "--threads expects an integer from 1 to 256, got '100000'". Every numeric option of
    // every command goes through these, so none can ask for 100,000 threads or -1 items.
    std::int64_t integerOption(std::string_view name, std::int64_t min, std::int64_t max, std::int64_t fallback) const;
    double numberOption(std::string_view name, double min, double max, double fallback) const;

    // The positional at index or a UsageError "missing <what>".
    const std::string& positional(std::size_t index, std::string_view what) const;
    void expectPositionals(std::size_t min, std::size_t max) const;

private:
    std::map<std::string, std::vector<std::string>, std::less<>> m_values;
    std::vector<std::string> m_positionals;
};

// The same for any text (a positional, another parser's value): `what` names it in the
// message ("--limit", "run id").
// `[OPTIONS] -- CMD ARGS...` (run, bisect): the options before the first "--", and the
// command after it (empty without one, or with nothing after it).
struct OptionsAndCommand
{
    std::vector<std::string> options;
    std::vector<std::string> command;
    bool separated = false; // a "--" was given
};
OptionsAndCommand splitAtCommand(const std::vector<std::string>& args);

std::int64_t parseInteger(std::string_view what, std::string_view text, std::int64_t min, std::int64_t max);
double parseNumber(std::string_view what, std::string_view text, double min, double max);

// Ranges shared by the CLI and the dashboard.
inline constexpr std::int64_t kMaxRepeat = 1000; // run --repeat: more is a loop, not a measurement
inline constexpr std::int64_t kMaxThreads = 256; // checksum --threads: hashing threads

} // namespace buildscope::cli
