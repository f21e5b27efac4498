#include "trends/historychanges.h"

#include "compare/falsediscoveryrate.h"
#include "compare/practicaleffect.h"
#include "history/runhistory.h"
#include "trends/commitorder.h"

#include <algorithm>
#include <cmath>
#include <memory>

namespace buildscope {

namespace {

// A series in commit order with the flags saying where a change may start.
struct OrderedSeries
{
    TrendSeries trend;
    std::vector<double> values;
    std::unique_ptr<bool[]> allowed; // std::vector<bool> has no span
};

std::vector<ChangePoint> detect(const OrderedSeries& series, ChangePointOptions options, double alpha)
{
    options.alpha = alpha;
    options.correctForPositions = true;
    options.minimumEffect = std::max(options.minimumEffect, minimumEffect(series.trend.metric));
    return detectChangePoints(
        series.values, options, std::span<const bool>(series.allowed.get(), series.values.size()));
}

} // namespace

std::vector<TrendSeries> findChanges(
    const RunMetrics& metrics, const ChangePointOptions& options, const std::vector<std::string>& onlyMetrics)
{
    const std::vector<std::size_t> order = commitOrder(metrics.runs);
    std::vector<std::size_t> position(order.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        position[order[i]] = i;

    std::vector<OrderedSeries> all;
    all.reserve(metrics.series.size());
    std::vector<const MetricSeries::Value*> sorted;
    for (const MetricSeries& series : metrics.series) {
        if (!onlyMetrics.empty()
            && std::find(onlyMetrics.begin(), onlyMetrics.end(), series.metric) == onlyMetrics.end())
            continue;
        sorted.clear();
        for (const MetricSeries::Value& value : series.values)
            sorted.push_back(&value);
        std::sort(sorted.begin(), sorted.end(), [&](const MetricSeries::Value* a, const MetricSeries::Value* b) {
            return position[a->run] < position[b->run];
        });
        OrderedSeries ordered {{series.specName, series.key, series.metric, series.unit, {}, {}}, {}, {}};
        TrendSeries& trend = ordered.trend;
        trend.points.reserve(sorted.size());
        for (const MetricSeries::Value* value : sorted) {
            const MetricRun& run = metrics.runs[value->run];
            trend.points.push_back({run.id, run.commit, parseCommitTime(run.commitTime), run.startedAt, value->value});
            ordered.values.push_back(value->value);
        }
        // A change starts where a commit does (or anywhere among runs without one): runs of
        // one commit built the same code.
        const std::size_t count = trend.points.size();
        ordered.allowed = std::make_unique<bool[]>(count);
        for (std::size_t i = 0; i < count; ++i) {
            const std::string& commit = trend.points[i].commit;
            ordered.allowed[i] = i == 0 || commit.empty() || commit != trend.points[i - 1].commit;
        }
        all.push_back(std::move(ordered));
    }

    // Pass 1: every series searched at alpha (position-corrected): the candidates. The
    // family: one hypothesis per series searched, one more per further candidate in a series.
    std::vector<double> candidates;
    std::size_t family = all.size();
    for (const OrderedSeries& series : all) {
        const std::vector<ChangePoint> found = detect(series, options, options.alpha);
        for (const ChangePoint& change : found)
            candidates.push_back(change.adjustedP);
        family += found.size() > 1 ? found.size() - 1 : 0;
    }
    // Benjamini-Hochberg: the cutoff is the largest corrected p whose q is below alpha.
    const std::vector<double> q = benjaminiHochberg(candidates, family);
    double cutoff = 0;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (q[i] < options.alpha)
            cutoff = std::max(cutoff, candidates[i]);
    }

    // Pass 2: each series searched again at the cutoff, so that a change that does not
    // survive no longer shapes its neighbours' segments.
    std::vector<TrendSeries> trends;
    trends.reserve(all.size());
    std::vector<ChangePoint*> reported;
    for (OrderedSeries& series : all) {
        if (cutoff > 0)
            series.trend.changes = detect(series, options, std::nextafter(cutoff, 1.0));
        trends.push_back(std::move(series.trend));
    }
    std::vector<double> kept;
    for (TrendSeries& trend : trends) {
        for (ChangePoint& change : trend.changes) {
            reported.push_back(&change);
            kept.push_back(change.adjustedP);
        }
    }
    const std::vector<double> keptQ = benjaminiHochberg(kept, family);
    for (std::size_t i = 0; i < reported.size(); ++i)
        reported[i]->adjustedP = keptQ[i];
    return trends;
}

std::vector<TrendSeries> findHistoryChanges(
    const RunHistory& history, const TrendQuery& query, const ChangePointOptions& options)
{
    return findChanges(history.readRunMetrics({query.spec, query.key, query.metric}), options, query.metrics);
}

} // namespace buildscope
