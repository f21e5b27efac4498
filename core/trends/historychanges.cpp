#include "trends/historychanges.h"

#include "history/runhistory.h"
#include "trends/commitorder.h"

#include <algorithm>
#include <memory>

namespace buildscope {

std::vector<TrendSeries> findChanges(const RunMetrics& metrics, const ChangePointOptions& options)
{
    const std::vector<std::size_t> order = commitOrder(metrics.runs);
    std::vector<std::size_t> position(order.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        position[order[i]] = i;

    std::vector<TrendSeries> trends;
    trends.reserve(metrics.series.size());
    std::vector<const MetricSeries::Value*> sorted;
    std::vector<double> values;
    for (const MetricSeries& series : metrics.series) {
        sorted.clear();
        for (const MetricSeries::Value& value : series.values)
            sorted.push_back(&value);
        std::sort(sorted.begin(), sorted.end(), [&](const MetricSeries::Value* a, const MetricSeries::Value* b) {
            return position[a->run] < position[b->run];
        });
        TrendSeries trend {series.specName, series.key, series.metric, series.unit, {}, {}};
        trend.points.reserve(sorted.size());
        values.clear();
        for (const MetricSeries::Value* value : sorted) {
            const MetricRun& run = metrics.runs[value->run];
            trend.points.push_back({run.id, run.commit, parseCommitTime(run.commitTime), run.startedAt, value->value});
            values.push_back(value->value);
        }
        // A change starts where a commit does (or anywhere among runs without one): runs of
        // one commit built the same code.
        const std::size_t count = trend.points.size();
        const auto allowed = std::make_unique<bool[]>(count); // std::vector<bool> has no span
        for (std::size_t i = 0; i < count; ++i) {
            const std::string& commit = trend.points[i].commit;
            allowed[i] = i == 0 || commit.empty() || commit != trend.points[i - 1].commit;
        }
        trend.changes = detectChangePoints(values, options, std::span<const bool>(allowed.get(), count));
        trends.push_back(std::move(trend));
    }
    return trends;
}

std::vector<TrendSeries> findHistoryChanges(
    const RunHistory& history, const TrendQuery& query, const ChangePointOptions& options)
{
    return findChanges(history.readRunMetrics({query.spec, query.key, query.metric}), options);
}

} // namespace buildscope
