#pragma once

#include <optional>
#include <string_view>

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

const char* stepStatusName(StepStatus status); // "succeeded", "failed", "timed-out", ...
const char* runStatusName(RunStatus status); // "running", "succeeded", "failed", "cancelled"
std::optional<StepStatus> parseStepStatus(std::string_view text);
std::optional<RunStatus> parseRunStatus(std::string_view text);

// A step that started (ran, is running, or was skipped when its turn came): it has a
// start and an end on the run's clock.
bool stepStarted(StepStatus status);
// A step that ran (or is running): it also has measurements (CPU, peak RSS, allocations).
bool stepRan(StepStatus status);

} // namespace buildscope
