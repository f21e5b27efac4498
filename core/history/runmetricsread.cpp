#include "history/historyconnection.h"
#include "history/runrows.h"
#include "history/sqlvalues.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace buildscope {

const std::vector<std::string>& storedRunMetrics()
{
    static const std::vector<std::string> metrics {
        "wall_s", "cpu_s", "peak_rss_bytes", "tree_peak_rss_bytes", "duration_s", "engine_peak_rss_bytes"};
    return metrics;
}

namespace runrows {

using namespace sqlvalues;

namespace {

constexpr const char* kStepPrefix = "step/";
constexpr const char* kProcessPrefix = "process/";
constexpr const char* kRunKey = "run";

// Collects values into series found by spec and key with one hash look-up per row; the
// metrics of a row are then at fixed offsets.
class SeriesCollector
{
public:
    SeriesCollector(RunMetrics& metrics, const RunMetricQuery& query)
        : m_metrics(metrics)
        , m_query(query)
    { }

    // The slots of one spec and key for `names` (metric, unit), created on first use.
    std::size_t slotsFor(
        const std::string& spec, const std::string& key, const std::vector<std::pair<const char*, const char*>>& names)
    {
        std::string id = spec;
        id += '\0';
        id += key;
        const auto [it, inserted] = m_slots.try_emplace(std::move(id), m_seriesOfSlot.size());
        if (inserted) {
            for (const auto& [metric, unit] : names) {
                if (!m_query.metric.empty() && m_query.metric != metric) {
                    m_seriesOfSlot.push_back(kNone);
                    continue;
                }
                m_seriesOfSlot.push_back(m_metrics.series.size());
                m_metrics.series.push_back({spec, key, metric, unit, {}});
            }
        }
        return it->second;
    }

    void add(std::size_t slot, std::size_t run, double value)
    {
        const std::size_t series = m_seriesOfSlot[slot];
        if (series != kNone && !std::isnan(value))
            m_metrics.series[series].values.push_back({run, value});
    }

private:
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    RunMetrics& m_metrics;
    const RunMetricQuery& m_query;
    std::unordered_map<std::string, std::size_t> m_slots;
    std::vector<std::size_t> m_seriesOfSlot;
};

bool wantsTable(const RunMetricQuery& query, const char* prefix)
{
    return query.key.empty() || query.key.starts_with(prefix);
}

bool wantsMetric(const RunMetricQuery& query, std::initializer_list<const char*> metrics)
{
    return query.metric.empty() || std::find(metrics.begin(), metrics.end(), query.metric) != metrics.end();
}

QString specCondition(const RunMetricQuery& query)
{
    return query.specName.empty() ? QString() : QStringLiteral(" AND runs.spec_name = :spec");
}

void bindSpec(QSqlQuery& sql, const RunMetricQuery& query)
{
    if (!query.specName.empty())
        sql.bindValue(QStringLiteral(":spec"), fromText(query.specName));
}

double positive(const QVariant& value)
{
    // compareRuns() leaves out peaks of 0 (not measured).
    const double number = toDouble(value);
    return number > 0 ? number : std::nan("");
}

} // namespace

RunMetrics readRunMetrics(const HistoryConnection& connection, const RunMetricQuery& query)
{
    RunMetrics metrics;
    std::unordered_map<std::int64_t, std::size_t> runIndex;
    {
        QSqlQuery sql = connection.prepare(QStringLiteral(
            "SELECT id, spec_name, started_at_ns, ended_at_ns, tree_peak_rss_bytes, engine_peak_rss_bytes, "
            "(SELECT value FROM labels WHERE run_id = runs.id AND key = 'git.commit'), "
            "(SELECT value FROM labels WHERE run_id = runs.id AND key = 'git.commit_time') "
            "FROM runs WHERE status = 'succeeded'%1 ORDER BY started_at_ns, id")
                                               .arg(specCondition(query)));
        sql.setForwardOnly(true);
        bindSpec(sql, query);
        connection.exec(sql, "cannot read the runs' figures");
        SeriesCollector collector(metrics, query);
        const bool runFigures = wantsTable(query, kRunKey) && (query.key.empty() || query.key == kRunKey)
            && wantsMetric(query, {"duration_s", "tree_peak_rss_bytes", "engine_peak_rss_bytes"});
        while (sql.next()) {
            MetricRun run;
            run.id = toSigned(sql.value(0));
            run.specName = toText(sql.value(1));
            run.startedAt = toTime(sql.value(2));
            run.commit = toText(sql.value(6));
            run.commitTime = toText(sql.value(7));
            const std::size_t index = metrics.runs.size();
            runIndex.emplace(run.id, index);
            if (runFigures) {
                const std::size_t slot = collector.slotsFor(run.specName, kRunKey,
                    {{"duration_s", "s"}, {"tree_peak_rss_bytes", "bytes"}, {"engine_peak_rss_bytes", "bytes"}});
                if (!sql.value(3).isNull())
                    collector.add(
                        slot, index, static_cast<double>(toSigned(sql.value(3)) - toSigned(sql.value(2))) / 1e9);
                collector.add(slot + 1, index, positive(sql.value(4)));
                collector.add(slot + 2, index, positive(sql.value(5)));
            }
            metrics.runs.push_back(std::move(run));
        }
    }
    SeriesCollector collector(metrics, query);

    // Steps that succeeded, as compareRuns() counts them.
    if (wantsTable(query, kStepPrefix)
        && wantsMetric(query, {"wall_s", "cpu_s", "peak_rss_bytes", "tree_peak_rss_bytes"})) {
        const bool oneStep = query.key.starts_with(kStepPrefix);
        QSqlQuery sql = connection.prepare(
            QStringLiteral("SELECT steps.run_id, runs.spec_name, steps.name, steps.end_s - steps.start_s, "
                           "steps.cpu_user_s + steps.cpu_sys_s, steps.peak_rss_bytes, steps.tree_peak_rss_bytes "
                           "FROM steps JOIN runs ON runs.id = steps.run_id "
                           "WHERE runs.status = 'succeeded' AND steps.status = 'succeeded'%1%2")
                .arg(specCondition(query), oneStep ? QStringLiteral(" AND steps.name = :name") : QString()));
        sql.setForwardOnly(true);
        bindSpec(sql, query);
        if (oneStep)
            sql.bindValue(QStringLiteral(":name"), fromText(query.key.substr(std::string_view(kStepPrefix).size())));
        connection.exec(sql, "cannot read the steps' figures");
        while (sql.next()) {
            const auto run = runIndex.find(toSigned(sql.value(0)));
            if (run == runIndex.end())
                continue;
            const std::size_t slot = collector.slotsFor(toText(sql.value(1)), kStepPrefix + toText(sql.value(2)),
                {{"wall_s", "s"}, {"cpu_s", "s"}, {"peak_rss_bytes", "bytes"}, {"tree_peak_rss_bytes", "bytes"}});
            collector.add(slot, run->second, toDouble(sql.value(3)));
            collector.add(slot + 1, run->second, toDouble(sql.value(4)));
            collector.add(slot + 2, run->second, positive(sql.value(5)));
            collector.add(slot + 3, run->second, positive(sql.value(6)));
        }
    }

    // Per command key, as compareRuns() counts it: a key that ran several times in a run
    // counts once (its largest peak, its total wall and CPU time); processes killed by a
    // signal are left out.
    if (wantsTable(query, kProcessPrefix) && wantsMetric(query, {"wall_s", "cpu_s", "peak_rss_bytes"})) {
        const bool oneKey = query.key.starts_with(kProcessPrefix);
        QSqlQuery sql = connection.prepare(
            QStringLiteral("SELECT processes.run_id, runs.spec_name, processes.key, "
                           "SUM(processes.end_s - processes.start_s), "
                           "SUM(processes.cpu_user_s + processes.cpu_sys_s), MAX(processes.peak_rss_bytes) "
                           "FROM processes JOIN runs ON runs.id = processes.run_id "
                           "WHERE runs.status = 'succeeded' AND processes.key != '' AND processes.signal IS NULL%1%2 "
                           "GROUP BY processes.run_id, processes.key")
                .arg(specCondition(query), oneKey ? QStringLiteral(" AND processes.key = :key") : QString()));
        sql.setForwardOnly(true);
        bindSpec(sql, query);
        if (oneKey)
            sql.bindValue(QStringLiteral(":key"), fromText(query.key.substr(std::string_view(kProcessPrefix).size())));
        connection.exec(sql, "cannot read the processes' figures");
        while (sql.next()) {
            const auto run = runIndex.find(toSigned(sql.value(0)));
            if (run == runIndex.end())
                continue;
            const std::size_t slot = collector.slotsFor(toText(sql.value(1)), kProcessPrefix + toText(sql.value(2)),
                {{"wall_s", "s"}, {"cpu_s", "s"}, {"peak_rss_bytes", "bytes"}});
            collector.add(slot, run->second, toDouble(sql.value(3)));
            collector.add(slot + 1, run->second, toDouble(sql.value(4)));
            collector.add(slot + 2, run->second, positive(sql.value(5)));
        }
    }

    for (MetricSeries& series : metrics.series) {
        std::stable_sort(series.values.begin(), series.values.end(),
            [](const MetricSeries::Value& a, const MetricSeries::Value& b) { return a.run < b.run; });
    }
    std::erase_if(metrics.series, [](const MetricSeries& series) { return series.values.empty(); });
    std::sort(metrics.series.begin(), metrics.series.end(), [](const MetricSeries& a, const MetricSeries& b) {
        return std::tie(a.specName, a.key, a.metric) < std::tie(b.specName, b.key, b.metric);
    });
    return metrics;
}

} // namespace runrows

} // namespace buildscope
