#pragma once

#include "memory/heaptracker.h"
#include "memory/operationregistry.h"
#include "memory/poolstatistics.h"
#include "spec/buildspec.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace buildscope {

enum class StepStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Cancelled,
    Skipped,
    NotRun
};
enum class RunStatus
{
    Running,
    Succeeded,
    Failed,
    Cancelled
};

struct StepResult
{
    std::string name;
    StepKind kind = StepKind::Run;
    StepStatus status = StepStatus::Pending;
    double startSeconds = 0; // on the run's clock (seconds since the run started)
    double endSeconds = 0;
    std::optional<int> exitCode; // processes that exited
    std::optional<int> signal; // processes ended by a signal
    double userCpuSeconds = 0; // child processes; the engine's threads for in-process steps
    double systemCpuSeconds = 0;
    // Process steps: peak RSS of the step's process tree (max of the sampled sums and the
    // largest single process's ru_maxrss). In-process steps (checksum, tar): the engine's
    // peak RSS while the step ran.
    std::uint64_t peakRssBytes = 0;
    bool peakIsProcessTree = false;
    std::uint64_t engineAllocations = 0; // operator new calls in the engine during the step
    std::uint64_t engineAllocatedBytes = 0;
    std::string note; // why it failed or was skipped; digest or archive size for in-process steps

    double wallSeconds() const { return endSeconds - startSeconds; }
};

struct HostInfo
{
    std::string hostname;
    std::string os; // "Linux 6.1.0-18-amd64 x86_64"
    unsigned cpus = 0;
    std::uint64_t memoryBytes = 0;
};

struct RunResult
{
    std::string specName;
    std::filesystem::path specFile;
    std::filesystem::path context;
    std::string digest; // from the checksum step, if any
    std::string imageUri; // if it could be computed
    HostInfo host;
    std::chrono::system_clock::time_point startedAt;
    std::chrono::system_clock::time_point endedAt;
    RunStatus status = RunStatus::Running;
    std::string failure; // first failure, human-readable
    double sampleHz = 0;
    std::vector<StepResult> steps;
    std::vector<PoolStatistics> pools;
    std::vector<OperationStatistics> operations;
    HeapSnapshot heap; // at the end of the run
    std::int64_t heapPeakLiveBytes = 0; // during the run
    std::uint64_t enginePeakRssBytes = 0;
    std::uint64_t treePeakRssBytes = 0; // largest step process tree
    std::vector<std::pair<std::string, std::string>> labels;

    double durationSeconds() const { return std::chrono::duration<double>(endedAt - startedAt).count(); }
};

const char* stepStatusName(StepStatus status); // "succeeded", "failed", "timed-out", ...
const char* runStatusName(RunStatus status); // "running", "succeeded", "failed", "cancelled"
const char* stepKindName(StepKind kind); // "checksum", "tar", "run", "container"

HostInfo currentHost();

} // namespace buildscope
