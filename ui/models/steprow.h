#pragma once

#include "run/runresult.h"

#include <QList>
#include <QString>
#include <limits>
#include <vector>

namespace buildscope {

// One row of the steps table: a build step summarised over one or more runs. Numbers are
// in base units (seconds, bytes); NaN means unknown.
struct StepRow
{
    static constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();

    QString name;
    QString type; // "checksum", "tar", "run", "container"
    QString status; // stepStatusName() of the latest run
    int count = 0; // runs in which the step ran
    double wallP50Seconds = kUnknown;
    double wallP95Seconds = kUnknown;
    double cpuSeconds = kUnknown; // user + system
    double allocationsPerOp = kUnknown; // engine operator new calls per step run
    double bytesPerOp = kUnknown;
    double peakRssBytes = kUnknown;
    bool peakIsProcessTree = false; // false: the engine's RSS while an in-process step ran
};

// One row per step name, in the order steps first appear (the first run's order). For
// each step, over the runs in which it ran (any status but pending, not-run, skipped):
// wall p50/p95 by nearest rank, median CPU (user + sys), median engine allocations and
// bytes, the highest peak RSS; the status is the latest run's. A step still running has
// no measurements yet: it counts as having run but adds no samples.
QList<StepRow> stepRowsFromRuns(const std::vector<std::vector<StepResult>>& runs);

// Nearest-rank percentile (p in (0, 100]) of unsorted values; NaN when empty.
double nearestRankPercentile(std::vector<double> values, double p);

} // namespace buildscope
