#pragma once

#include "memory/timeseriesstore.h"
#include "report/reportfolder.h"
#include "run/runresult.h"
#include "run/sampletable.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <vector>

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
inline constexpr const char* kOperationsCsv = "operations.csv";
inline constexpr const char* kPoolsCsv = "pools.csv";
inline constexpr const char* kProcessesCsv = "processes.csv";
// Every line the run logged (engine messages and build output), written as it happens;
// the other files are written when the run ends.
inline constexpr const char* kLogTxt = "log.txt";

// run.json's format_version. 2: operations moved from steps.csv to operations.csv, and
// every record's columns follow its field list (run/recordfields.h). Readers accept 1 and 2.
inline constexpr int kRunReportFormatVersion = 2;

// Writes run.json, samples.csv, steps.csv, processes.csv, operations.csv and pools.csv into `directory` (created if
// needed, 0700 when private). Each file is listed in the folder's manifest (reportfolder.h),
// then written to a temporary name (0600 when private) and renamed into place, so a reader
// never sees half a file and a failed write leaves the previous report intact. Whether the
// folder may be written is the caller's to check first (reportFolderProblem).
void writeRunReport(const RunResult& result, const SampleTable& samples, const std::filesystem::path& directory,
    ReportSharing sharing = ReportSharing::Private);
void writeRunReport(const RunResult& result, const TimeSeriesStore::Snapshot& samples,
    const std::filesystem::path& directory, ReportSharing sharing = ReportSharing::Private);

// The files of a report in the order they are written: run.json last, since its
// presence marks a complete report. `result` and `samples` must outlive the list.
struct ReportFile
{
    const char* name;
    std::function<void(std::ostream&)> write;
};
std::vector<ReportFile> reportFiles(const RunResult& result, const SampleTable& samples);

// The same, one file at a time (the dashboard exports them with QSaveFile).
void writeRunJson(const RunResult& result, std::ostream& out);
void writeSamplesCsv(const SampleTable& samples, std::chrono::system_clock::time_point startedAt, std::ostream& out);
void writeStepsCsv(const RunResult& result, std::ostream& out);
void writeOperationsCsv(const RunResult& result, std::ostream& out);
void writePoolsCsv(const RunResult& result, std::ostream& out);
void writeProcessesCsv(const RunResult& result, std::ostream& out);

} // namespace buildscope
