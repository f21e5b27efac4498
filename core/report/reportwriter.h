#pragma once

#include "engine/runresult.h"
#include "memory/timeseriesstore.h"
#include "report/sampletable.h"

#include <filesystem>
#include <stdexcept>

namespace buildscope {

// A report directory that cannot be written; what() names the path and the reason.
class ReportError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// File names inside a report directory (docs/REPORTS.md documents every column).
inline constexpr const char* kRunJson = "run.json";
inline constexpr const char* kSamplesCsv = "samples.csv";
inline constexpr const char* kStepsCsv = "steps.csv";
inline constexpr const char* kPoolsCsv = "pools.csv";

// Writes run.json, samples.csv, steps.csv and pools.csv into `directory` (created if
// needed). Each file is written to a temporary name and renamed into place, so a reader
// never sees half a file and a failed write leaves the previous report intact.
void writeRunReport(const RunResult& result, const SampleTable& samples, const std::filesystem::path& directory);
void writeRunReport(
    const RunResult& result, const TimeSeriesStore::Snapshot& samples, const std::filesystem::path& directory);

// The same, one file at a time (the dashboard exports them with QSaveFile).
void writeRunJson(const RunResult& result, std::ostream& out);
void writeSamplesCsv(const SampleTable& samples, std::ostream& out);
void writeStepsCsv(const RunResult& result, std::ostream& out);
void writePoolsCsv(const RunResult& result, std::ostream& out);

} // namespace buildscope
