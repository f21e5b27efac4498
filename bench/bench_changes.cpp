// Change points over history at the scale of a busy project: 10,000 runs x 50 keys x 3
// metrics (150 series of 10,000 values). Three figures (docs/PERFORMANCE.md):
//   BM_DetectChangePoints  detection alone over the 150 series
//   BM_ReadRunMetrics      the bulk read of those figures from a store (four statements)
//   BM_HistoryChanges      both, as `buildscope history changes` does them
// The store (10,000 imported runs of 25 steps and 25 process keys) is made once and kept
// under the temporary directory, as it takes a while to import.
#include "benchsupport.h"
#include "compare/changepoints.h"
#include "history/runhistory.h"
#include "trends/historychanges.h"

#include <benchmark/benchmark.h>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace buildscope;

constexpr std::size_t kRuns = 10'000;
constexpr std::size_t kSteps = 25;
constexpr std::size_t kProcessKeys = 25;
constexpr std::size_t kSeries = (kSteps + kProcessKeys) * 3;

// A series with three level changes and 2 % noise (uniform: the distribution does not
// matter to the cost).
std::vector<double> series(std::uint64_t seed)
{
    std::mt19937_64 random(seed);
    std::vector<double> values(kRuns);
    double level = 1e8 + static_cast<double>(random() % 1000) * 1e6;
    for (std::size_t i = 0; i < kRuns; ++i) {
        if (i == 2500 || i == 6000 || i == 9000)
            level *= 1.15;
        values[i] = level * (1.0 + 0.02 * (static_cast<double>(random() >> 11) * 0x1.0p-53 - 0.5));
    }
    return values;
}

void BM_DetectChangePoints(benchmark::State& state)
{
    std::vector<std::vector<double>> all;
    for (std::size_t s = 0; s < kSeries; ++s)
        all.push_back(series(s + 1));
    std::size_t found = 0;
    for (auto _ : state) {
        found = 0;
        for (const std::vector<double>& values : all)
            found += detectChangePoints(values).size();
        benchmark::DoNotOptimize(found);
    }
    state.counters["series"] = static_cast<double>(all.size());
    state.counters["changes"] = static_cast<double>(found);
}
BENCHMARK(BM_DetectChangePoints)->Unit(benchmark::kMillisecond)->MinTime(2.0);

std::filesystem::path benchStore()
{
    const std::filesystem::path file = std::filesystem::temp_directory_path() / "buildscope-bench-changes-v1.sqlite";
    if (std::filesystem::exists(file))
        return file;
    const std::filesystem::path partial = file.string() + ".partial";
    std::filesystem::remove(partial);
    {
        RunHistory history(partial);
        std::mt19937_64 random(7);
        auto jitter = [&] { return 1.0 + 0.02 * (static_cast<double>(random() >> 11) * 0x1.0p-53 - 0.5); };
        for (std::size_t r = 0; r < kRuns; ++r) {
            LoadedReport report;
            RunResult& run = report.result;
            run.specName = "bench";
            run.status = RunStatus::Succeeded;
            run.startedAt = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000 + 600 * r));
            run.endedAt = run.startedAt + std::chrono::seconds(60);
            run.host.hostname = "bench";
            run.labels = {{"git.commit", std::to_string(1'000'000 + r)}};
            const double level = r < 5000 ? 1.0 : 1.2;
            for (std::size_t s = 0; s < kSteps; ++s) {
                StepResult step;
                step.name = "step-" + std::to_string(s);
                step.status = StepStatus::Succeeded;
                step.startSeconds = static_cast<double>(s);
                step.endSeconds = step.startSeconds + jitter();
                step.userCpuSeconds = jitter();
                step.peakRssBytes = static_cast<std::uint64_t>(level * 2e8 * jitter());
                run.steps.push_back(step);
            }
            for (std::size_t k = 0; k < kProcessKeys; ++k) {
                ProcessRecord process;
                process.pid = static_cast<pid_t>(100 + k);
                process.executable = "/usr/bin/cc";
                process.argv = {"cc", "-c", "file" + std::to_string(k) + ".c"};
                process.step = "step-0";
                process.key = "cc file" + std::to_string(k) + ".c";
                process.startSeconds = 0;
                process.endSeconds = jitter();
                process.userCpuSeconds = jitter();
                process.exitCode = 0;
                process.peakRssBytes = static_cast<std::uint64_t>(level * 1e8 * jitter());
                run.processes.push_back(process);
            }
            history.importReport(report);
        }
    }
    std::filesystem::rename(partial, file);
    return file;
}

void BM_ReadRunMetrics(benchmark::State& state)
{
    const RunHistory history(benchStore());
    std::size_t values = 0;
    for (auto _ : state) {
        const RunMetrics metrics = history.readRunMetrics({.specName = "bench"});
        values = 0;
        for (const MetricSeries& series : metrics.series)
            values += series.values.size();
        benchmark::DoNotOptimize(values);
    }
    state.counters["values"] = static_cast<double>(values);
}
BENCHMARK(BM_ReadRunMetrics)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_HistoryChanges(benchmark::State& state)
{
    const RunHistory history(benchStore());
    std::size_t series = 0;
    std::size_t changes = 0;
    for (auto _ : state) {
        // Every series of the spec, as `history changes --spec bench` reads them: peak,
        // wall and CPU of each step and process key, and the run's own three.
        const std::vector<TrendSeries> trends = findHistoryChanges(history, {.spec = "bench"});
        series = trends.size();
        changes = 0;
        for (const TrendSeries& trend : trends)
            changes += trend.changes.size();
        benchmark::DoNotOptimize(changes);
    }
    state.counters["series"] = static_cast<double>(series);
    state.counters["changes"] = static_cast<double>(changes);
}
BENCHMARK(BM_HistoryChanges)->Unit(benchmark::kMillisecond)->MinTime(2.0);

} // namespace

BENCHMARK_MAIN();
