#pragma once

#include "run/status.h"
#include "run/stepkind.h"

#include <cstdint>
#include <optional>
#include <string>

namespace buildscope {

// What one step of a run did. Its fields, with names and units, are listed once in
// run/fields.h; run.json, steps.csv and the history's steps table all follow that list.
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
    // Process steps: the largest exact per-process peak (kernel high-water mark after
    // exec) or the largest sampled sum of the tree's RSS, whichever is higher.
    // In-process steps (checksum, tar): the engine's peak RSS while the step ran.
    std::uint64_t peakRssBytes = 0;
    bool peakIsProcessTree = false;
    std::uint64_t engineAllocations = 0; // operator new calls in the engine during the step
    std::uint64_t engineAllocatedBytes = 0;
    std::string note; // why it failed or was skipped; digest or archive size for in-process steps

    double wallSeconds() const { return endSeconds - startSeconds; }
    double cpuSeconds() const { return userCpuSeconds + systemCpuSeconds; }
};

} // namespace buildscope
