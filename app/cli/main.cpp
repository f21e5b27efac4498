// buildscope: the headless CLI. Runs builds, validates specs, fingerprints and packages
// build contexts. Never needs a display.
#include "arguments.h"
#include "commands.h"
#include "exitcodes.h"
#include "report/libraryversions.h"

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace {

const char* const kUsage = R"(usage: buildscope <command> [options]

commands:
  run SPEC [--report DIR] [--repeat N] [--label K=V]... [--progress tty|plain|none] [--sample-hz HZ]
                 run the build described by SPEC (buildscope.yaml)
  validate SPEC  check a spec and report the first problem with file:line:column
  checksum DIR [--json] [--threads N] [--ignore-file FILE | --no-ignore]
                 XXH3-128 fingerprint of a build context
  tar DIR -o FILE|- [--ignore-file FILE | --no-ignore]
                 reproducible tar of a build context

options:
  -h, --help     show this help
  --version      show versions

exit codes: 0 ok, 1 build failed, 2 bad usage or input, 130 interrupted
)";

void printVersion()
{
    std::printf("buildscope %s\n", buildscope::buildscopeVersion().c_str());
    for (const auto& [name, version] : buildscope::libraryVersions()) {
        if (name != "buildscope")
            std::printf("  %-11s %s\n", name.c_str(), version.c_str());
    }
}

} // namespace

int main(int argc, char** argv)
{
    using namespace buildscope::cli;
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::fputs(kUsage, stderr);
        return ExitUsage;
    }
    const std::string& command = args.front();
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "-h" || command == "--help" || command == "help") {
        std::fputs(kUsage, stdout);
        return ExitOk;
    }
    if (command == "--version" || command == "version") {
        printVersion();
        return ExitOk;
    }
    try {
        if (command == "run")
            return runCommand(rest);
        if (command == "validate")
            return validateCommand(rest);
        if (command == "checksum")
            return checksumCommand(rest);
        if (command == "tar")
            return tarCommand(rest);
        throw UsageError("unknown command '" + command + "'");
    } catch (const UsageError& error) {
        std::fprintf(
            stderr, "buildscope %s: %s\n%s", command.c_str(), error.what(), "run 'buildscope --help' for usage\n");
        return ExitUsage;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "buildscope %s: %s\n", command.c_str(), error.what());
        return ExitUsage;
    }
}
