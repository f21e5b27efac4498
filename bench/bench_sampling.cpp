// One sample of a build's process tree, on a machine running about 1,000 processes:
// reading every process of /proc to find the tree (ledger off) against reading only the
// processes the process ledger knows (ledger on). Target: <= 50 us for a 10-process tree.
//
// The machine's other processes are made here: 1,000 sleeping children (the tree's 10
// among them, in a process group of their own), killed when the program exits.
#include "memory/processmemory.h"

#include <benchmark/benchmark.h>
#include <csignal>
#include <cstdlib>
#include <unistd.h>
#include <vector>

namespace {

constexpr int kMachineProcesses = 1000;
constexpr int kTreeProcesses = 10;

struct ProcessFarm
{
    std::vector<pid_t> everyone;
    std::vector<pid_t> tree; // the first kTreeProcesses, children of the tree's root
    pid_t root = 0;

    ProcessFarm()
    {
        // The tree: a root that forks its children then waits; its pid is the step's root.
        int ready[2];
        if (::pipe(ready) != 0)
            std::abort();
        root = ::fork();
        if (root == 0) {
            ::close(ready[0]);
            for (int i = 1; i < kTreeProcesses; ++i) {
                const pid_t child = ::fork();
                if (child == 0) {
                    ::close(ready[1]); // or the reader would never see the end of the pipe
                    ::pause();
                    ::_exit(0);
                }
                if (::write(ready[1], &child, sizeof child) != sizeof child)
                    ::_exit(1);
            }
            ::close(ready[1]);
            ::pause();
            ::_exit(0);
        }
        ::close(ready[1]);
        tree.push_back(root);
        pid_t child = 0;
        while (::read(ready[0], &child, sizeof child) == sizeof child)
            tree.push_back(child);
        ::close(ready[0]);
        // The rest of the machine.
        for (int i = kTreeProcesses; i < kMachineProcesses; ++i) {
            const pid_t pid = ::fork();
            if (pid == 0) {
                ::pause();
                ::_exit(0);
            }
            everyone.push_back(pid);
        }
    }
    ~ProcessFarm()
    {
        ::kill(root, SIGKILL);
        for (pid_t pid : tree)
            ::kill(pid, SIGKILL);
        for (pid_t pid : everyone)
            ::kill(pid, SIGKILL);
    }
};

ProcessFarm& farm()
{
    static ProcessFarm processes;
    return processes;
}

void BM_TreeSample_ScanProc(benchmark::State& state)
{
    buildscope::ProcessTreeSampler sampler;
    const pid_t root = farm().root;
    for (auto _ : state) {
        const buildscope::ProcessTreeMemory memory = sampler.sample(root, false);
        if (memory.processes != kTreeProcesses)
            state.SkipWithError("the tree was not found whole");
        benchmark::DoNotOptimize(memory.rssBytes);
    }
}
BENCHMARK(BM_TreeSample_ScanProc)->Unit(benchmark::kMicrosecond);

void BM_TreeSample_LedgerPids(benchmark::State& state)
{
    buildscope::ProcessTreeSampler sampler;
    const std::vector<pid_t>& tree = farm().tree;
    for (auto _ : state) {
        const buildscope::ProcessTreeMemory memory = sampler.sample(tree);
        if (memory.processes != kTreeProcesses)
            state.SkipWithError("a process of the tree was not read");
        benchmark::DoNotOptimize(memory.rssBytes);
    }
}
BENCHMARK(BM_TreeSample_LedgerPids)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
