#pragma once

#include "memory/timeseriesstore.h"
#include "run/runresult.h"
#include "run/seriesid.h"

#include <memory>
#include <string>
#include <vector>

namespace buildscope {

// The rows of samples.csv: what the sampler recorded at the best resolution still held
// (raw samples, then 1 s / 10 s / 60 s buckets for older parts of long runs). The one
// form in which samples are written, read back, stored in the run history and exported.
struct SampleTable
{
    struct Row
    {
        double seconds = 0; // time of the sample, or of the bucket's first sample
        double bucketSeconds = 0; // 0 for a raw sample
        std::uint64_t samples = 1;
        std::string step; // the step running at `seconds`, empty between steps
        std::vector<double> values; // per series: the sample, or the bucket's mean; NaN: no value
        std::vector<double> maxima; // per max column: the bucket's maximum
    };

    std::vector<SeriesSpec> series;
    std::vector<std::string> maxColumns; // series that also get a "<name>_max" column
    std::vector<Row> rows;

    // Every row a store snapshot holds, with the step of each row taken from the run.
    static SampleTable fromSnapshot(const RunResult& result, const TimeSeriesStore::Snapshot& snapshot);

    // Buckets of about `bucketSeconds` covering [begin, end) of a snapshot (means and
    // maxima), for flushing a running build to the run history as it goes.
    static SampleTable bucketed(const RunResult& result, const TimeSeriesStore::Snapshot& snapshot, double begin,
        double end, double bucketSeconds);

    // The rows as a store, for the charts: raw rows as samples, bucket rows as one
    // sample at the bucket's time (its maximum where a max column exists, so peaks stay
    // visible, else its mean).
    std::unique_ptr<TimeSeriesStore> toStore() const;
};

} // namespace buildscope
