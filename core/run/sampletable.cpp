#include "run/sampletable.h"

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

// Fills table.maxColumns and returns the series index of each.
std::vector<std::size_t> maxColumnIndexes(SampleTable& table)
{
    const SeriesColumns columns(table.series);
    std::vector<std::size_t> indexes;
    for (SeriesId id : kMaxColumnSeries) {
        if (columns.has(id)) {
            table.maxColumns.emplace_back(seriesName(id));
            indexes.push_back(static_cast<std::size_t>(columns[id]));
        }
    }
    return indexes;
}

} // namespace

SampleTable SampleTable::fromSnapshot(const RunResult& result, const TimeSeriesStore::Snapshot& snapshot)
{
    SampleTable table;
    table.series = snapshot.series();
    const std::vector<std::size_t> maxIndex = maxColumnIndexes(table);
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

SampleTable SampleTable::bucketed(
    const RunResult& result, const TimeSeriesStore::Snapshot& snapshot, double begin, double end, double bucketSeconds)
{
    SampleTable table;
    table.series = snapshot.series();
    const std::vector<std::size_t> maxIndex = maxColumnIndexes(table);
    if (!(end > begin) || !(bucketSeconds > 0))
        return table;
    const auto buckets = static_cast<std::size_t>(std::ceil((end - begin) / bucketSeconds));
    // range() is inclusive of `end`; stop just short of it so consecutive flushes never
    // count a sample twice.
    const TimeSeriesStore::Range range = snapshot.range(begin, std::nextafter(end, begin), buckets);
    for (std::size_t b = 0; b < range.buckets.size(); ++b) {
        const TimeSeriesStore::Bucket& bucket = range.buckets[b];
        if (bucket.begin < begin)
            continue;
        Row row;
        row.seconds = roundToNanoseconds(bucket.begin);
        row.bucketSeconds = roundToNanoseconds(bucket.end - bucket.begin);
        row.samples = bucket.samples;
        row.step = stepAt(result, bucket.begin);
        for (std::size_t s = 0; s < table.series.size(); ++s)
            row.values.push_back(range.meanAt(s, b));
        for (std::size_t index : maxIndex)
            row.maxima.push_back(range.maxAt(index, b));
        table.rows.push_back(std::move(row));
    }
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
