#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace buildscope {

// One line of the run history's listing: what `buildscope history` shows per run.
struct RunRecord
{
    std::int64_t id = 0;
    std::string specName;
    std::filesystem::path specFile;
    std::filesystem::path context; // the spec's context folder (a `-- CMD` run's working folder)
    std::string status; // running | succeeded | failed | cancelled | interrupted
    std::chrono::system_clock::time_point startedAt;
    // Finished runs: end - start. Running or interrupted runs: up to the last recorded sample.
    double durationSeconds = 0;
    std::uint64_t treePeakRssBytes = 0; // 0 until the run finishes
    std::string hostname;
    std::vector<std::pair<std::string, std::string>> labels; // in the order they were given
};

} // namespace buildscope
