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
  run SPEC | -- CMD ARGS... [--report DIR [--shared-report]] [--repeat N] [--label K=V]...
           [--store PATH | --no-store] [--progress tty|plain|none] [--sample-hz HZ] [--no-live] [--no-ledger]
                 run the build described by SPEC (buildscope.yaml), or any command as a one-step build;
                 every process is recorded with its exact peak (--no-ledger: not, for builds that run
                 strace or gdb); viewers can attach (--no-live: not published); every run is kept in
                 the run history; the report folder is new, empty or an earlier report, readable by
                 this user only (--shared-report: as the umask allows)
  compare BASE CANDIDATE [--threshold PCT] [--alpha A] [--format text|csv|json] [--fail-on-regression]
          [--metrics NAME,...] [--keys KEY,...] [--allow-unknown]
                 compare two sets of runs (run ids, label:K=V, spec:NAME, last[:N], or report folders,
                 comma-separated) with Mann-Whitney U, the error rate controlled over the whole
                 comparison; --fail-on-regression exits 1 if the gate finds a regression: by default
                 on the peak memory of the steps and the run (per-process rows and timings explain);
                 --metrics limits the comparison and names what the gate covers (e.g. wall_s),
                 --keys which subjects it covers (e.g. 'process/*,step/*,run')
  history list [--spec NAME] [--label K=V] [--status S] [--limit N]
  history show ID|SELECTOR [--log]
  history changes [--spec S] [--key K] [--metric M,...|all] [--threshold PCT] [--alpha A] [--min-segment N]
                  [--format text|csv|json]
                 change points over the runs that succeeded, in commit order, per spec, key
                 (step/NAME, process/KEY, run) and metric (peak memory by default; E-divisive means
                 with Mann-Whitney U, false discoveries controlled over every key, metric and commit)
  history export ID --report DIR [--force]
  history import DIR...
  history delete ID
                 the run history (SQLite; --store PATH or BUILDSCOPE_STORE to choose the file)
  bisect --good REV --bad REV SPEC | -- CMD ARGS... [--repeat N] [--metric M] [--key K] [--threshold PCT]
         [--alpha A] [--format text|json] [--label K=V]... [--store PATH | --no-store] [--no-ledger]
                 find the first commit (first parents, good..bad) whose build regresses on the metric
                 (peak_rss_bytes of any step or process by default): each tested commit is built N times
                 (default 5) in a scratch git worktree, never in yours; exit 0 found, 1 no regression or
                 cannot tell
  validate SPEC  check a spec and report the first problem with file:line:column
  checksum DIR [--json] [--threads N] [--ignore-file FILE | --no-ignore]
                 XXH3-128 fingerprint of a build context
  tar DIR -o FILE|- [--ignore-file FILE | --no-ignore]
                 reproducible tar of a build context

options:
  -h, --help     show this help
  --version      show versions

exit codes: 0 ok, 1 build failed or regression found (bisect: none found or cannot tell), 2 bad usage or
            input, 130 interrupted
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
        if (command == "compare")
            return compareCommand(rest);
        if (command == "history")
            return historyCommand(rest);
        if (command == "bisect")
            return bisectCommand(rest);
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
