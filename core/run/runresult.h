#pragma once

#include "memory/heaptracker.h"
#include "memory/operationregistry.h"
#include "memory/poolstatistics.h"
#include "run/hostinfo.h"
#include "run/processrecord.h"
#include "run/status.h"
#include "run/stepresult.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace buildscope {

using Labels = std::vector<std::pair<std::string, std::string>>;

// One run of a build: what a report, a history entry and a live viewer hold. Filled by
// the engine; read back from reports and the history; compared by core/compare.
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
    // Every process of every step's tree, in the order they ended (the process ledger;
    // empty where the ledger was off or could not trace).
    std::vector<ProcessRecord> processes;
    std::vector<PoolStatistics> pools;
    std::vector<OperationStatistics> operations;
    HeapSnapshot heap; // the engine's heap at the end of the run
    std::int64_t heapPeakLiveBytes = 0; // during the run
    std::uint64_t enginePeakRssBytes = 0;
    std::uint64_t treePeakRssBytes = 0; // the largest step's tree peak (StepResult::treePeakRssBytes)
    Labels labels;

    double durationSeconds() const { return std::chrono::duration<double>(endedAt - startedAt).count(); }
    // A label's value, or empty.
    std::string label(std::string_view key) const;
};

} // namespace buildscope
