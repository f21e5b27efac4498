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
    // Process steps: the largest peak of one process of the step (the kernel's
    // high-water mark after exec, read by the process ledger: exact, what /usr/bin/time
    // reports for the same command); without the ledger, the largest sampled sum of the
    // tree's RSS. In-process steps (checksum, tar): the engine's peak RSS while it ran.
    std::uint64_t peakRssBytes = 0;
    bool peakIsProcessTree = false; // the figure is the step's processes', not the engine's
    bool peakExact = false; // peakRssBytes is a kernel high-water mark, not a sample
    // Process steps: the peak of the whole tree's memory — the largest sampled sum of its
    // processes' RSS (20 Hz; shared pages count once per process), or its largest single
    // process if that is higher (a peak between two samples).
    std::uint64_t treePeakRssBytes = 0;
    std::uint64_t engineAllocations = 0; // operator new calls in the engine during the step
    std::uint64_t engineAllocatedBytes = 0;
    std::string note; // why it failed or was skipped; digest or archive size for in-process steps

    double wallSeconds() const { return endSeconds - startSeconds; }
    double cpuSeconds() const { return userCpuSeconds + systemCpuSeconds; }
};

} // namespace buildscope
