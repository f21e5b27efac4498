#pragma once

#include "run/runresult.h"

#include <QString>
#include <optional>
#include <vector>

namespace buildscope {

// What the status line says when the runs of a Run or Run N Times have ended: how many,
// how they ended, and what the build cost at its peak, e.g.
//   "Run succeeded in 6.88 s · compile peak 408.0 MiB"
//   "5 runs: 4 succeeded, 1 failed · compile peak 408.0 MiB (median)"
// The peak is that of the step with the highest median peak RSS over the runs (a step's
// process tree where one was measured, else the engine's own, marked so). Empty for none.
QString summarizeRuns(const std::vector<RunResult>& runs);

// Seconds left in a repeated run, from the rounds that already ended: the median of their
// durations for each round still to come, plus what the current round has left of it (at
// least nothing). No estimate before the first round ended, nor after the last one.
std::optional<double> estimateSecondsLeft(
    const std::vector<double>& finishedDurations, int runIndex, int runCount, double currentElapsed);

// "about 25 s left", "about 3m 10s left": a rounded estimate does not pretend to precision.
QString timeLeftText(double seconds);

} // namespace buildscope
