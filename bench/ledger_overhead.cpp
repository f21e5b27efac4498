// ledger_overhead [--untraced] [--verbose] -- PROGRAM ARGS...
//
// Runs one command the way the engine runs a step - ProcessRunner::run, output read line
// by line - with the process ledger on (default) or off (--untraced), and exits with the
// command's exit status. bench/ledger-overhead times it against the bare command to
// measure what the ledger costs the build it watches. --verbose prints the ledger's
// figures to stderr (records, largest peak, the note).
#include "engine/processrunner.h"

#include <atomic>
#include <cstdio>
#include <cstring>

int main(int argc, char** argv)
{
    using namespace buildscope;
    ProcessSpec spec;
    bool verbose = false;
    int i = 1;
    for (; i < argc && std::strcmp(argv[i], "--") != 0; ++i) {
        if (std::strcmp(argv[i], "--untraced") == 0)
            spec.traceProcesses = false;
        else if (std::strcmp(argv[i], "--verbose") == 0)
            verbose = true;
    }
    for (++i; i < argc; ++i)
        spec.argv.emplace_back(argv[i]);
    if (spec.argv.empty()) {
        std::fprintf(stderr, "usage: ledger_overhead [--untraced] [--verbose] -- PROGRAM ARGS...\n");
        return 2;
    }
    spec.environment = currentEnvironment();
    const std::atomic<bool> never {false};
    std::size_t lines = 0;
    const ProcessOutcome outcome = ProcessRunner::run(
        spec, [&lines](LogStream, std::string_view) { ++lines; }, never);
    if (verbose) {
        std::fprintf(stderr, "records %zu, largest peak %llu bytes, %zu output lines%s%s\n", outcome.processes.size(),
            static_cast<unsigned long long>(outcome.maxRssBytes), lines, outcome.ledgerNote.empty() ? "" : ", ",
            outcome.ledgerNote.c_str());
    }
    switch (outcome.end) {
    case ProcessOutcome::End::Exited:
        return outcome.exitCode;
    case ProcessOutcome::End::FailedToStart:
        std::fprintf(stderr, "ledger_overhead: %s\n", outcome.error.c_str());
        return 127;
    default:
        return 128 + outcome.signal;
    }
}
