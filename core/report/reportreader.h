#pragma once

#include "engine/runresult.h"
#include "memory/timeseriesstore.h"

#include <filesystem>
#include <memory>
#include <vector>

namespace buildscope {

// A report directory read back: everything writeRunReport() wrote.
struct LoadedReport
{
    std::filesystem::path directory;
    RunResult result; // run.json, steps.csv (steps and operations) and pools.csv
    std::vector<SeriesSpec> series; // samples.csv columns after time_s, bucket_s, samples, step
    struct SampleRow
    {
        double seconds = 0;
        double bucketSeconds = 0;
        std::uint64_t samples = 1;
        std::string step;
        std::vector<double> values; // one per series; NaN for empty cells
        std::vector<double> maxima; // the row's *_max columns, in maxColumns order
    };
    std::vector<SampleRow> samples;
    std::vector<std::string> maxColumns; // series that have a *_max column

    // The samples as a store, for the charts: raw rows as samples, bucket rows as one
    // sample at the bucket's time (the bucket's maximum where a *_max column exists, so
    // peaks stay visible, else its mean).
    std::unique_ptr<TimeSeriesStore> toStore() const;
};

// Reads and validates a report directory. Throws ReportError whose message names the
// file and, where it applies, the line: "DIR/steps.csv:14: expected 22 fields, found 9".
LoadedReport readRunReport(const std::filesystem::path& directory);

} // namespace buildscope
