#include "models/steprow.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace buildscope {

namespace {

bool ran(StepStatus status)
{
    return status != StepStatus::Pending && status != StepStatus::NotRun && status != StepStatus::Skipped;
}

struct StepSamples
{
    QString name;
    QString type;
    StepStatus latestStatus = StepStatus::Pending;
    int count = 0;
    std::vector<double> wall;
    std::vector<double> cpu;
    std::vector<double> allocations;
    std::vector<double> bytes;
    std::uint64_t peakRss = 0;
    bool peakIsProcessTree = false;
};

} // namespace

double nearestRankPercentile(std::vector<double> values, double p)
{
    if (values.empty())
        return StepRow::kUnknown;
    std::sort(values.begin(), values.end());
    const double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
    const std::size_t index = rank <= 1.0 ? 0 : std::min(values.size(), static_cast<std::size_t>(rank)) - 1;
    return values[index];
}

QList<StepRow> stepRowsFromRuns(const std::vector<std::vector<StepResult>>& runs)
{
    std::vector<StepSamples> steps;
    std::unordered_map<std::string, std::size_t> indexByName;
    for (const std::vector<StepResult>& run : runs) {
        for (const StepResult& step : run) {
            auto [it, inserted] = indexByName.try_emplace(step.name, steps.size());
            if (inserted) {
                steps.emplace_back();
                steps.back().name = QString::fromStdString(step.name);
                steps.back().type = QString::fromLatin1(stepKindName(step.kind));
            }
            StepSamples& samples = steps[it->second];
            // Runs are oldest first, so the last one seen is the latest status.
            samples.latestStatus = step.status;
            if (!ran(step.status))
                continue;
            ++samples.count;
            if (step.status == StepStatus::Running)
                continue;
            samples.wall.push_back(step.wallSeconds());
            samples.cpu.push_back(step.userCpuSeconds + step.systemCpuSeconds);
            samples.allocations.push_back(static_cast<double>(step.engineAllocations));
            samples.bytes.push_back(static_cast<double>(step.engineAllocatedBytes));
            if (step.peakRssBytes > samples.peakRss) {
                samples.peakRss = step.peakRssBytes;
                samples.peakIsProcessTree = step.peakIsProcessTree;
            }
        }
    }

    QList<StepRow> rows;
    rows.reserve(static_cast<qsizetype>(steps.size()));
    for (const StepSamples& samples : steps) {
        StepRow row;
        row.name = samples.name;
        row.type = samples.type;
        row.status = QString::fromLatin1(stepStatusName(samples.latestStatus));
        row.count = samples.count;
        row.wallP50Seconds = nearestRankPercentile(samples.wall, 50);
        row.wallP95Seconds = nearestRankPercentile(samples.wall, 95);
        row.cpuSeconds = nearestRankPercentile(samples.cpu, 50);
        row.allocationsPerOp = nearestRankPercentile(samples.allocations, 50);
        row.bytesPerOp = nearestRankPercentile(samples.bytes, 50);
        // No process has a zero RSS: zero means the peak was never measured.
        row.peakRssBytes = samples.peakRss ? static_cast<double>(samples.peakRss) : StepRow::kUnknown;
        row.peakIsProcessTree = samples.peakIsProcessTree;
        rows.append(std::move(row));
    }
    return rows;
}

} // namespace buildscope
