#include "spec/buildspec.h"

#include <cstdint>
#include <cstdio>
#include <stdexcept>

namespace buildscope {

namespace {

// An argument as a POSIX shell would need it to read it back: bare when it holds only
// characters no shell treats specially, else in single quotes.
std::string shellQuoted(const std::string& arg)
{
    const bool plain = !arg.empty()
        && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "0123456789-_./=:,+@%")
            == std::string::npos;
    if (plain)
        return arg;
    std::string quoted = "'";
    for (char c : arg)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

// FNV-1a, 64 bits: the same on every platform and standard library (std::hash is not).
std::uint64_t fnv1a(const std::string& text)
{
    std::uint64_t hash = 14695981039346656037ull;
    for (char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
    }
    return hash;
}

// Names longer than this are cut, with a hash of the whole command line so that two long
// commands that differ only at the end keep different names.
constexpr std::size_t kMaxNameLength = 120;

} // namespace

BuildSpec commandSpec(const std::vector<std::string>& argv, const std::filesystem::path& directory)
{
    if (argv.empty() || argv.front().empty())
        throw std::invalid_argument("no command given after --");
    BuildSpec spec;
    spec.context = std::filesystem::absolute(directory).lexically_normal();
    StepSpec step;
    step.kind = StepKind::Run;
    step.argv = argv;
    for (const std::string& arg : argv)
        step.command += (step.command.empty() ? "" : " ") + shellQuoted(arg);
    // The run is named by its whole command line: `sh -c 'make -j8'` and `sh -c 'ninja'` are
    // two series in the history, not one "sh" (issue 18.7). The folder (the context) is
    // recorded with every run and is part of its identity where runs are compared.
    spec.name = step.command;
    if (spec.name.size() > kMaxNameLength) {
        char hash[20];
        std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a(step.command)));
        spec.name = spec.name.substr(0, kMaxNameLength - 24) + "... #" + std::string(hash, 8);
    }
    // The step is named after the program ("make", "ninja"): the name a user recognises in
    // the step table.
    const std::string program = std::filesystem::path(argv.front()).filename().string();
    step.name = program.empty() ? argv.front() : program;
    spec.steps.push_back(std::move(step));
    return spec;
}

} // namespace buildscope
