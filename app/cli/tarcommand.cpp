#include "arguments.h"
#include "commands.h"
#include "context/contexterror.h"
#include "context/contexttar.h"
#include "contextoptions.h"
#include "exitcodes.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <unistd.h>

namespace buildscope::cli {

int tarCommand(const std::vector<std::string>& args)
{
    std::vector<Arguments::Option> options = ignoreOptions();
    options.push_back({"--output", "-o", true});
    const Arguments arguments(args, options);
    arguments.expectPositionals(1, 1);
    const std::filesystem::path directory = arguments.positional(0, "DIR");
    const std::optional<std::string> output = arguments.value("--output");
    if (!output)
        throw UsageError("missing -o FILE (or -o - for standard output)");
    try {
        const IgnoreRules rules = contextIgnoreRules(arguments, directory);
        if (*output == "-") {
            if (::isatty(STDOUT_FILENO))
                throw UsageError("refusing to write a tar archive to a terminal; redirect it or use -o FILE");
            // A reader that stops early (`| head`) is a write error to report, not a silent death.
            std::signal(SIGPIPE, SIG_IGN);
            writeContextTar(directory, rules, STDOUT_FILENO);
        } else {
            const TarResult result = writeContextTar(directory, rules, std::filesystem::path(*output));
            std::fprintf(stderr, "%s: %llu entries, %llu bytes\n", output->c_str(),
                static_cast<unsigned long long>(result.entries), static_cast<unsigned long long>(result.archiveBytes));
        }
        return ExitOk;
    } catch (const ContextError& error) {
        std::fprintf(stderr, "buildscope tar: %s\n", error.what());
        return ExitUsage;
    }
}

} // namespace buildscope::cli
