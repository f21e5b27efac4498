#include "report/sampletable.h"

#include <algorithm>
#include <cmath>

namespace buildscope {

namespace {

// The step running at time t (steps do not overlap), or "".
std::string stepAt(const RunResult& result, double seconds)
{
    for (const StepResult& step : result.steps) {
        if (step.status != StepStatus::NotRun && step.status != StepStatus::Pending && seconds >= step.startSeconds
            && seconds <= step.endSeconds)
            return step.name;
    }
    return {};
}

// Clock differences carry float noise (0.000403854000000004); nanoseconds are the
// clock's resolution, so round there and the shortest text stays short.
double roundToNanoseconds(double value)
{
    return std::round(value * 1e9) / 1e9;
}

} // namespace

SampleTable SampleTable::fromSnapshot(const RunResult& result, const TimeSeriesStore::Snapshot& snapshot)
{
    SampleTable table;
    table.series = snapshot.series();
    std::vector<std::size_t> maxIndex;
    for (const char* name : kMaxColumnSeries) {
        for (std::size_t i = 0; i < table.series.size(); ++i) {
            if (table.series[i].name == name) {
                table.maxColumns.emplace_back(name);
                maxIndex.push_back(i);
            }
        }
    }
    snapshot.forEachRow([&](const TimeSeriesStore::Bucket& bucket, std::span<const double> mean,
                            std::span<const double>, std::span<const double> max) {
        Row row;
        row.seconds = roundToNanoseconds(bucket.begin);
        row.bucketSeconds = roundToNanoseconds(bucket.end - bucket.begin);
        row.samples = bucket.samples;
        row.step = stepAt(result, bucket.begin);
        row.values.assign(mean.begin(), mean.end());
        for (std::size_t index : maxIndex)
            row.maxima.push_back(max[index]);
        table.rows.push_back(std::move(row));
    });
    return table;
}

std::unique_ptr<TimeSeriesStore> SampleTable::toStore() const
{
    TimeSeriesStore::Config config;
    config.rawRows = std::max<std::size_t>(config.rawRows, rows.size() + 1);
    auto store = std::make_unique<TimeSeriesStore>(series, config);
    std::vector<std::size_t> maxTarget;
    for (const std::string& name : maxColumns) {
        const auto it = std::find_if(series.begin(), series.end(), [&](const SeriesSpec& s) { return s.name == name; });
        maxTarget.push_back(it == series.end() ? SIZE_MAX : static_cast<std::size_t>(it - series.begin()));
    }
    std::vector<double> values;
    for (const Row& row : rows) {
        values = row.values;
        for (std::size_t i = 0; i < maxTarget.size() && i < row.maxima.size(); ++i) {
            if (maxTarget[i] != SIZE_MAX && !std::isnan(row.maxima[i]))
                values[maxTarget[i]] = row.maxima[i];
        }
        store->append(row.seconds, values);
    }
    return store;
}

} // namespace buildscope
