// ledgerhelper [--untraced] [--records] -- PROGRAM ARGS...
//
// Runs one command through ProcessRunner as the engine does, for the ledger tests that
// need the engine in a process of its own: one that gets kill -9'd mid-step, or one run
// under strace -f. Prints the step's output, then
//   outcome end=N exit=N signal=N records=N maxrss=BYTES
//   note <the ledger note>
// and with --records one line per process record:
//   record pid parent execCount peakExact peakBytes exit signal executable argv0
#include "engine/processrunner.h"

#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char** argv)
{
    using namespace buildscope;
    ProcessSpec spec;
    bool records = false;
    int i = 1;
    for (; i < argc && std::strcmp(argv[i], "--") != 0; ++i) {
        if (std::strcmp(argv[i], "--untraced") == 0)
            spec.traceProcesses = false;
        else if (std::strcmp(argv[i], "--records") == 0)
            records = true;
    }
    for (++i; i < argc; ++i)
        spec.argv.emplace_back(argv[i]);
    if (spec.argv.empty()) {
        std::fprintf(stderr, "usage: ledgerhelper [--untraced] [--records] -- PROGRAM ARGS...\n");
        return 2;
    }
    spec.environment = currentEnvironment();
    ProcessRunner::becomeSubreaper();
    const std::atomic<bool> never {false};
    const ProcessOutcome outcome = ProcessRunner::run(
        spec,
        [](LogStream, std::string_view line) {
            std::printf("%.*s\n", static_cast<int>(line.size()), line.data());
            std::fflush(stdout);
        },
        never);
    std::printf("outcome end=%d exit=%d signal=%d records=%zu maxrss=%llu\n", static_cast<int>(outcome.end),
        outcome.exitCode, outcome.signal, outcome.processes.size(),
        static_cast<unsigned long long>(outcome.maxRssBytes));
    std::printf("note %s\n", outcome.ledgerNote.c_str());
    if (!outcome.error.empty())
        std::printf("error %s\n", outcome.error.c_str());
    if (records) {
        for (const ProcessRecord& record : outcome.processes) {
            std::printf("record %d %d %u %d %llu %d %d %s %s %.6f %.6f %.4f %.4f %s\n", record.pid, record.parentPid,
                record.execCount, record.peakExact ? 1 : 0, static_cast<unsigned long long>(record.peakRssBytes),
                record.exitCode.value_or(-1), record.signal.value_or(0), record.executable.c_str(),
                record.argv.empty() ? "-" : record.argv[0].c_str(), record.startSeconds, record.endSeconds,
                record.userCpuSeconds, record.systemCpuSeconds, record.note.c_str());
        }
    }
    return 0;
}
