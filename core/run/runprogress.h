#pragma once

#include "run/status.h"

#include <vector>

namespace buildscope {

// A consistent picture of a run in progress, for progress lines and status bars: taken
// from the engine in its own process, or from the live endpoint's messages in a viewer.
struct RunProgress
{
    RunStatus status = RunStatus::Running;
    int currentStep = -1; // running step, -1 when none
    double elapsedSeconds = 0; // on the run's clock
    double stepStartSeconds = 0;
    std::vector<StepStatus> steps;
};

} // namespace buildscope
