#include "history/historyconnection.h"
#include "history/runrows.h"
#include "history/sqlvalues.h"

#include <QHash>
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

// How a value joins the one a series already has for the same run: several processes of
// one key in a run count once, as in compareRuns() (the largest peak, the total time).
enum class Combine
{
    Keep, // one value per run
    Largest,
    Total,
};

// Collects the values of one table into series found by spec and key with one hash
// look-up per row; the metrics of a key are consecutive slots.
class SeriesCollector
{
public:
    struct Metric
    {
        const char* name;
        const char* unit;
        Combine combine = Combine::Keep;
    };

    SeriesCollector(RunMetrics& metrics, const RunMetricQuery& query, const std::vector<std::string>& specNames,
        std::string prefix, std::vector<Metric> names)
        : m_metrics(metrics)
        , m_query(query)
        , m_specNames(specNames)
        , m_prefix(std::move(prefix))
        , m_names(std::move(names))
        , m_slots(specNames.size())
    { }

    // The first slot of a spec's key, created on first use.
    std::size_t slotsFor(std::size_t spec, const QString& name)
    {
        QHash<QString, std::size_t>& keys = m_slots.at(spec);
        if (const auto found = keys.constFind(name); found != keys.constEnd())
            return *found;
        const std::size_t first = m_seriesOfSlot.size();
        keys.insert(name, first);
        for (const Metric& metric : m_names) {
            if (!m_query.metric.empty() && m_query.metric != metric.name) {
                m_seriesOfSlot.push_back(kNone);
                continue;
            }
            m_seriesOfSlot.push_back(m_metrics.series.size());
            m_metrics.series.push_back(
                {m_specNames[spec], m_prefix + name.toStdString(), metric.name, metric.unit, {}});
        }
        return first;
    }

    // The value of metric `offset` of the key at `slot` (rows of one run come together).
    void add(std::size_t slot, std::size_t offset, std::size_t run, double value)
    {
        const std::size_t series = m_seriesOfSlot[slot + offset];
        if (series == kNone || std::isnan(value))
            return;
        std::vector<MetricSeries::Value>& values = m_metrics.series[series].values;
        const Combine combine = m_names[offset].combine;
        if (combine != Combine::Keep && !values.empty() && values.back().run == run) {
            double& stored = values.back().value;
            stored = combine == Combine::Largest ? std::max(stored, value) : stored + value;
            return;
        }
        values.push_back({run, value});
    }

    // Puts each series in run order and combines what add() could not: the rows of one
    // run are usually together (the join reads a run's rows at once), but SQL promises no
    // order without an ORDER BY, which would sort every row.
    void finish()
    {
        for (std::size_t slot = 0; slot < m_seriesOfSlot.size(); ++slot) {
            if (m_seriesOfSlot[slot] == kNone)
                continue;
            std::vector<MetricSeries::Value>& values = m_metrics.series[m_seriesOfSlot[slot]].values;
            std::stable_sort(values.begin(), values.end(),
                [](const MetricSeries::Value& a, const MetricSeries::Value& b) { return a.run < b.run; });
            const Combine combine = m_names[slot % m_names.size()].combine;
            std::size_t kept = 0;
            for (std::size_t i = 0; i < values.size(); ++i) {
                if (kept > 0 && values[kept - 1].run == values[i].run && combine != Combine::Keep) {
                    double& stored = values[kept - 1].value;
                    stored = combine == Combine::Largest ? std::max(stored, values[i].value) : stored + values[i].value;
                } else {
                    values[kept++] = values[i];
                }
            }
            values.resize(kept);
        }
    }

private:
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    RunMetrics& m_metrics;
    const RunMetricQuery& m_query;
    const std::vector<std::string>& m_specNames;
    std::string m_prefix;
    std::vector<Metric> m_names;
    std::vector<QHash<QString, std::size_t>> m_slots; // by spec
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
    // Per run: its index in metrics.runs and its spec's index in specNames.
    struct RunPlace
    {
        std::size_t index;
        std::size_t spec;
    };
    std::unordered_map<std::int64_t, RunPlace> places;
    std::vector<std::string> specNames;
    {
        QSqlQuery sql = connection.prepare(
            QStringLiteral("SELECT id, spec_name, started_at_ns, "
                           "(SELECT value FROM labels WHERE run_id = runs.id AND key = 'git.commit'), "
                           "(SELECT value FROM labels WHERE run_id = runs.id AND key = 'git.commit_time'), "
                           "(SELECT value FROM labels WHERE run_id = runs.id AND key = 'git.diff_hash') "
                           "FROM runs WHERE status = 'succeeded'%1 ORDER BY started_at_ns, id")
                .arg(specCondition(query)));
        sql.setForwardOnly(true);
        bindSpec(sql, query);
        connection.exec(sql, "cannot read the runs' figures");
        while (sql.next()) {
            MetricRun run;
            run.id = toSigned(sql.value(0));
            run.specName = toText(sql.value(1));
            run.startedAt = toTime(sql.value(2));
            run.commit = toText(sql.value(3));
            run.commitTime = toText(sql.value(4));
            // A modified work tree is a point of its own (issue 18.8): its commit with the
            // hash of its diff, so its runs are never one series with the clean commit's.
            if (const std::string diff = toText(sql.value(5)); !run.commit.empty() && !diff.empty())
                run.commit += kDirtyCommitMark + diff;
            auto spec = std::find(specNames.begin(), specNames.end(), run.specName);
            if (spec == specNames.end())
                spec = specNames.insert(specNames.end(), run.specName);
            places.emplace(run.id, RunPlace {metrics.runs.size(), static_cast<std::size_t>(spec - specNames.begin())});
            metrics.runs.push_back(std::move(run));
        }
    }

    // The run's own figures.
    if ((query.key.empty() || query.key == kRunKey)
        && wantsMetric(query, {"duration_s", "tree_peak_rss_bytes", "engine_peak_rss_bytes"})) {
        SeriesCollector collector(metrics, query, specNames, kRunKey,
            {{"duration_s", "s"}, {"tree_peak_rss_bytes", "bytes"}, {"engine_peak_rss_bytes", "bytes"}});
        QSqlQuery sql = connection.prepare(
            QStringLiteral("SELECT id, (ended_at_ns - started_at_ns) / 1e9, tree_peak_rss_bytes, engine_peak_rss_bytes "
                           "FROM runs WHERE status = 'succeeded'%1")
                .arg(specCondition(query)));
        sql.setForwardOnly(true);
        bindSpec(sql, query);
        connection.exec(sql, "cannot read the runs' figures");
        while (sql.next()) {
            const auto place = places.find(toSigned(sql.value(0)));
            if (place == places.end())
                continue;
            const std::size_t slot = collector.slotsFor(place->second.spec, QString());
            collector.add(slot, 0, place->second.index, toDouble(sql.value(1)));
            collector.add(slot, 1, place->second.index, positive(sql.value(2)));
            collector.add(slot, 2, place->second.index, positive(sql.value(3)));
        }
        collector.finish();
    }

    // Steps that succeeded, as compareRuns() counts them.
    if (wantsTable(query, kStepPrefix)
        && wantsMetric(query, {"wall_s", "cpu_s", "peak_rss_bytes", "tree_peak_rss_bytes"})) {
        SeriesCollector collector(metrics, query, specNames, kStepPrefix,
            {{"wall_s", "s"}, {"cpu_s", "s"}, {"peak_rss_bytes", "bytes"}, {"tree_peak_rss_bytes", "bytes"}});
        const bool oneStep = query.key.starts_with(kStepPrefix);
        QSqlQuery sql = connection.prepare(
            QStringLiteral("SELECT steps.run_id, steps.name, steps.end_s - steps.start_s, "
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
            const auto place = places.find(toSigned(sql.value(0)));
            if (place == places.end())
                continue;
            const std::size_t slot = collector.slotsFor(place->second.spec, sql.value(1).toString());
            const std::size_t run = place->second.index;
            collector.add(slot, 0, run, toDouble(sql.value(2)));
            collector.add(slot, 1, run, toDouble(sql.value(3)));
            collector.add(slot, 2, run, positive(sql.value(4)));
            collector.add(slot, 3, run, positive(sql.value(5)));
        }
        collector.finish();
    }

    // Per command key, as compareRuns() counts it: processes killed by a signal are left
    // out. Combined here rather than by GROUP BY, which would sort every row.
    if (wantsTable(query, kProcessPrefix) && wantsMetric(query, {"wall_s", "cpu_s", "peak_rss_bytes"})) {
        SeriesCollector collector(metrics, query, specNames, kProcessPrefix,
            {{"wall_s", "s", Combine::Total}, {"cpu_s", "s", Combine::Total},
                {"peak_rss_bytes", "bytes", Combine::Largest}});
        const bool oneKey = query.key.starts_with(kProcessPrefix);
        QSqlQuery sql = connection.prepare(
            QStringLiteral("SELECT processes.run_id, processes.key, processes.end_s - processes.start_s, "
                           "processes.cpu_user_s + processes.cpu_sys_s, processes.peak_rss_bytes "
                           "FROM processes JOIN runs ON runs.id = processes.run_id "
                           "WHERE runs.status = 'succeeded' AND processes.key != '' AND processes.signal IS NULL%1%2")
                .arg(specCondition(query), oneKey ? QStringLiteral(" AND processes.key = :key") : QString()));
        sql.setForwardOnly(true);
        bindSpec(sql, query);
        if (oneKey)
            sql.bindValue(QStringLiteral(":key"), fromText(query.key.substr(std::string_view(kProcessPrefix).size())));
        connection.exec(sql, "cannot read the processes' figures");
        while (sql.next()) {
            const auto place = places.find(toSigned(sql.value(0)));
            if (place == places.end())
                continue;
            const std::size_t slot = collector.slotsFor(place->second.spec, sql.value(1).toString());
            const std::size_t run = place->second.index;
            collector.add(slot, 0, run, toDouble(sql.value(2)));
            collector.add(slot, 1, run, toDouble(sql.value(3)));
            collector.add(slot, 2, run, positive(sql.value(4)));
        }
        collector.finish();
    }

    std::erase_if(metrics.series, [](const MetricSeries& series) { return series.values.empty(); });
    std::sort(metrics.series.begin(), metrics.series.end(), [](const MetricSeries& a, const MetricSeries& b) {
        return std::tie(a.specName, a.key, a.metric) < std::tie(b.specName, b.key, b.metric);
    });
    return metrics;
}

} // namespace runrows

} // namespace buildscope
