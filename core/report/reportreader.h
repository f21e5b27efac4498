#pragma once

#include "run/runresult.h"
#include "run/sampletable.h"

#include <filesystem>
#include <vector>

namespace buildscope {

// A report directory read back: everything writeRunReport() wrote.
struct LoadedReport
{
    std::filesystem::path directory;
    RunResult result; // run.json, steps.csv (steps and operations) and pools.csv
    SampleTable samples; // samples.csv
};

// Reads and validates a report directory. Throws ReportError whose message names the
// file and, where it applies, the line: "DIR/steps.csv:14: expected 22 fields, found 9".
LoadedReport readRunReport(const std::filesystem::path& directory);

} // namespace buildscope
