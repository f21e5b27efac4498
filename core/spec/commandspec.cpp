#include "spec/buildspec.h"

#include <stdexcept>

namespace buildscope {

BuildSpec commandSpec(const std::vector<std::string>& argv, const std::filesystem::path& directory)
{
    if (argv.empty() || argv.front().empty())
        throw std::invalid_argument("no command given after --");
    BuildSpec spec;
    spec.context = std::filesystem::absolute(directory).lexically_normal();
    // "make", "ninja", "cmake": the name a user recognises in a list of runs.
    std::string name = std::filesystem::path(argv.front()).filename().string();
    spec.name = name.empty() ? argv.front() : name;
    StepSpec step;
    step.name = spec.name;
    step.kind = StepKind::Run;
    step.argv = argv;
    for (const std::string& arg : argv)
        step.command += (step.command.empty() ? "" : " ") + arg; // for display only
    spec.steps.push_back(std::move(step));
    return spec;
}

} // namespace buildscope
