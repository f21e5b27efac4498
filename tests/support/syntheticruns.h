#pragma once

// Small synthetic runs for the history and comparison tests: three steps (an in-process
// fingerprint, then compile and link with a build process tree) and their tree RSS at 10 Hz.

#include "report/reportreader.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace buildscope::testing {

struct RunShape
{
    int index = 0; // jitter, start time
    double fingerprintSeconds = 0.5; // compile starts here
    double compileSeconds = 6.0;
    double linkSeconds = 2.0;
    double compilePeakBytes = 400e6;
    std::string spec = "demo";
    std::vector<std::pair<std::string, std::string>> labels = {};
    RunStatus status = RunStatus::Succeeded;
};

inline StepResult makeStep(const char* name, StepKind kind, double start, double end, std::uint64_t peak)
{
    StepResult step;
    step.name = name;
    step.kind = kind;
    step.status = StepStatus::Succeeded;
    step.startSeconds = start;
    step.endSeconds = end;
    step.userCpuSeconds = (end - start) * 0.9;
    step.peakRssBytes = peak;
    step.peakIsProcessTree = kind != StepKind::Checksum;
    return step;
}

// Tree RSS at `t` seconds into a step: compile ramps up to its peak, link holds 60 % of it.
inline double treeRss(const RunShape& shape, const std::string& step, double intoStep)
{
    if (step == "compile")
        return shape.compilePeakBytes * std::min(1.0, 0.3 + 0.7 * intoStep / shape.compileSeconds);
    if (step == "link")
        return shape.compilePeakBytes * 0.6;
    return std::numeric_limits<double>::quiet_NaN(); // in-process: no build process
}

inline LoadedReport makeReport(const RunShape& shape)
{
    const double jitter = 0.01 * ((shape.index * 7) % 5);
    const double compileStart = shape.fingerprintSeconds;
    const double compileEnd = compileStart + shape.compileSeconds + jitter;
    const double linkEnd = compileEnd + shape.linkSeconds;
    const auto peak = static_cast<std::uint64_t>(shape.compilePeakBytes + 100'000.0 * ((shape.index * 3) % 5));

    LoadedReport report;
    RunResult& run = report.result;
    run.specName = shape.spec;
    run.status = shape.status;
    if (shape.status == RunStatus::Failed)
        run.failure = "link failed";
    run.startedAt = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000 + 600 * shape.index));
    run.endedAt = run.startedAt + std::chrono::milliseconds(static_cast<int>(linkEnd * 1000));
    run.sampleHz = 10;
    run.host.hostname = "builder";
    run.steps = {makeStep("fingerprint", StepKind::Checksum, 0, compileStart, 20'000'000),
        makeStep("compile", StepKind::Run, compileStart, compileEnd, peak),
        makeStep("link", StepKind::Run, compileEnd, linkEnd, static_cast<std::uint64_t>(shape.compilePeakBytes * 0.6))};
    run.treePeakRssBytes = peak;
    run.enginePeakRssBytes = 60'000'000;
    run.labels = shape.labels;

    SampleTable& samples = report.samples;
    samples.series = {{"tree_rss_bytes", "bytes"}};
    for (int i = 0; i * 0.1 <= linkEnd + 1e-9; ++i) {
        const double t = i * 0.1;
        SampleTable::Row row;
        row.seconds = t;
        for (const StepResult& step : run.steps) {
            if (t >= step.startSeconds && t < step.endSeconds) {
                row.step = step.name;
                row.values = {treeRss(shape, step.name, t - step.startSeconds)};
            }
        }
        if (row.values.empty())
            row.values = {std::numeric_limits<double>::quiet_NaN()};
        samples.rows.push_back(row);
    }
    return report;
}

} // namespace buildscope::testing
