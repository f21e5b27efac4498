#include "arguments.h"
#include "commands.h"
#include "exitcodes.h"
#include "spec/specloader.h"

#include <cstdio>

namespace buildscope::cli {

int validateCommand(const std::vector<std::string>& args)
{
    const Arguments arguments(args, {});
    arguments.expectPositionals(1, 1);
    const std::string& file = arguments.positional(0, "SPEC");
    try {
        const BuildSpec spec = loadSpec(file);
        std::printf("%s: valid: '%s', %zu step%s:", file.c_str(), spec.name.c_str(), spec.steps.size(),
            spec.steps.size() == 1 ? "" : "s");
        for (const StepSpec& step : spec.steps)
            std::printf(" %s", step.name.c_str());
        std::printf("\n");
        return ExitOk;
    } catch (const SpecError& error) {
        std::fprintf(stderr, "%s\n", error.what());
        return ExitUsage;
    }
}

} // namespace buildscope::cli
