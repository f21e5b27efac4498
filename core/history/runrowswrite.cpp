#include "history/doubleblob.h"
#include "history/historyconnection.h"
#include "history/runrows.h"
#include "history/sqlrecords.h"
#include "history/sqlvalues.h"
#include "run/recordfields.h"

#include <QStringList>

namespace buildscope::runrows {

using namespace sqlvalues;

namespace {

// The runs columns that hold RunResult fields, in one list so INSERT and UPDATE cannot
// drift apart. Each is bound from a placeholder of the same name.
const QStringList& resultColumns()
{
    static const QStringList columns {
        QStringLiteral("spec_name"),
        QStringLiteral("spec_file"),
        QStringLiteral("context"),
        QStringLiteral("status"),
        QStringLiteral("failure"),
        QStringLiteral("started_at_ns"),
        QStringLiteral("ended_at_ns"),
        QStringLiteral("sample_hz"),
        QStringLiteral("digest"),
        QStringLiteral("image_uri"),
        QStringLiteral("host_name"),
        QStringLiteral("host_os"),
        QStringLiteral("host_cpus"),
        QStringLiteral("host_memory_bytes"),
        QStringLiteral("engine_peak_rss_bytes"),
        QStringLiteral("tree_peak_rss_bytes"),
        QStringLiteral("heap_tracking"),
        QStringLiteral("heap_paused"),
        QStringLiteral("heap_allocations"),
        QStringLiteral("heap_frees"),
        QStringLiteral("heap_allocated_bytes"),
        QStringLiteral("heap_freed_bytes"),
        QStringLiteral("heap_live_bytes_at_end"),
        QStringLiteral("heap_snapshot_peak_live_bytes"),
        QStringLiteral("heap_peak_live_bytes"),
    };
    return columns;
}

void bindResult(QSqlQuery& query, const RunResult& result, const std::string& status, bool finished)
{
    auto bind = [&](const char* column, const QVariant& value) {
        query.bindValue(QLatin1Char(':') + QLatin1String(column), value);
    };
    bind("spec_name", fromText(result.specName));
    bind("spec_file", fromText(result.specFile.string()));
    bind("context", fromText(result.context.string()));
    bind("status", fromText(status));
    bind("failure", fromText(result.failure));
    bind("started_at_ns", fromTime(result.startedAt));
    bind("ended_at_ns", finished ? fromTime(result.endedAt) : QVariant());
    bind("sample_hz", fromDouble(result.sampleHz));
    bind("digest", fromText(result.digest));
    bind("image_uri", fromText(result.imageUri));
    bind("host_name", fromText(result.host.hostname));
    bind("host_os", fromText(result.host.os));
    bind("host_cpus", fromUnsigned(result.host.cpus));
    bind("host_memory_bytes", fromUnsigned(result.host.memoryBytes));
    bind("engine_peak_rss_bytes", fromUnsigned(result.enginePeakRssBytes));
    bind("tree_peak_rss_bytes", fromUnsigned(result.treePeakRssBytes));
    bind("heap_tracking", result.heap.installed ? 1 : 0);
    bind("heap_paused", result.heap.paused ? 1 : 0);
    bind("heap_allocations", fromUnsigned(result.heap.totals.allocations));
    bind("heap_frees", fromUnsigned(result.heap.totals.frees));
    bind("heap_allocated_bytes", fromUnsigned(result.heap.totals.bytesAllocated));
    bind("heap_freed_bytes", fromUnsigned(result.heap.totals.bytesFreed));
    bind("heap_live_bytes_at_end", fromSigned(result.heap.liveBytes));
    bind("heap_snapshot_peak_live_bytes", fromSigned(result.heap.peakLiveBytes));
    bind("heap_peak_live_bytes", fromSigned(result.heapPeakLiveBytes));
}

void deleteRows(const HistoryConnection& connection, const char* table, std::int64_t runId)
{
    QSqlQuery query
        = connection.prepare(QStringLiteral("DELETE FROM %1 WHERE run_id = :run").arg(QLatin1String(table)));
    query.bindValue(QStringLiteral(":run"), fromSigned(runId));
    connection.exec(query, "cannot replace a run's rows");
}

void insertSampleColumns(const HistoryConnection& connection, std::int64_t runId, const SampleTable& samples)
{
    QSqlQuery query
        = connection.prepare(QStringLiteral("INSERT INTO sample_columns (run_id, kind, position, name, unit) "
                                            "VALUES (:run, :kind, :position, :name, :unit)"));
    auto insert = [&](const char* kind, std::size_t position, const std::string& name, const std::string& unit) {
        query.bindValue(QStringLiteral(":run"), fromSigned(runId));
        query.bindValue(QStringLiteral(":kind"), QString::fromLatin1(kind));
        query.bindValue(QStringLiteral(":position"), fromUnsigned(position));
        query.bindValue(QStringLiteral(":name"), fromText(name));
        query.bindValue(QStringLiteral(":unit"), fromText(unit));
        connection.exec(query, "cannot store the sample columns");
    };
    for (std::size_t i = 0; i < samples.series.size(); ++i)
        insert("series", i, samples.series[i].name, samples.series[i].unit);
    for (std::size_t i = 0; i < samples.maxColumns.size(); ++i)
        insert("max", i, samples.maxColumns[i], {});
}

// Checked row by row as the rows go in: a row of the wrong width is refused, and the
// caller's transaction takes back whatever was already written.
void insertSampleRows(
    const HistoryConnection& connection, std::int64_t runId, const SampleTable& samples, std::int64_t firstSeq)
{
    QSqlQuery query = connection.prepare(
        QStringLiteral("INSERT INTO samples (run_id, seq, time_s, bucket_s, samples, step, value_blob, max_blob) "
                       "VALUES (:run, :seq, :time, :bucket, :samples, :step, :values, :maxima)"));
    std::int64_t seq = firstSeq;
    for (std::size_t index = 0; index < samples.rows.size(); ++index) {
        const SampleTable::Row& row = samples.rows[index];
        if (row.values.size() != samples.series.size() || row.maxima.size() != samples.maxColumns.size())
            connection.fail("run " + std::to_string(runId) + ": samples row " + std::to_string(index + 1) + " has "
                + std::to_string(row.values.size()) + " values and " + std::to_string(row.maxima.size())
                + " maxima, but the table has " + std::to_string(samples.series.size()) + " series and "
                + std::to_string(samples.maxColumns.size()) + " max columns; nothing was stored");
        query.bindValue(QStringLiteral(":run"), fromSigned(runId));
        query.bindValue(QStringLiteral(":seq"), fromSigned(seq++));
        query.bindValue(QStringLiteral(":time"), fromDouble(row.seconds));
        query.bindValue(QStringLiteral(":bucket"), fromDouble(row.bucketSeconds));
        query.bindValue(QStringLiteral(":samples"), fromUnsigned(row.samples));
        query.bindValue(QStringLiteral(":step"), fromText(row.step));
        query.bindValue(QStringLiteral(":values"), encodeDoubles(row.values));
        query.bindValue(QStringLiteral(":maxima"), encodeDoubles(row.maxima));
        connection.exec(query, "cannot store samples");
    }
}

bool sameColumns(const SampleTable& stored, const SampleTable& incoming)
{
    if (stored.series.size() != incoming.series.size() || stored.maxColumns != incoming.maxColumns)
        return false;
    for (std::size_t i = 0; i < stored.series.size(); ++i) {
        if (stored.series[i].name != incoming.series[i].name || stored.series[i].unit != incoming.series[i].unit)
            return false;
    }
    return true;
}

} // namespace

std::int64_t insertRun(const HistoryConnection& connection, const RunResult& fields, const std::string& status,
    bool finished, const std::optional<ProcessIdentity>& recorder)
{
    QStringList placeholders;
    for (const QString& column : resultColumns())
        placeholders << QLatin1Char(':') + column;
    QSqlQuery query = connection.prepare(
        QStringLiteral("INSERT INTO runs (%1, pid, pid_start_ticks, boot_id) VALUES (%2, :pid, :ticks, :boot)")
            .arg(resultColumns().join(QStringLiteral(", ")), placeholders.join(QStringLiteral(", "))));
    bindResult(query, fields, status, finished);
    query.bindValue(QStringLiteral(":pid"), recorder ? fromSigned(recorder->pid) : QVariant());
    query.bindValue(
        QStringLiteral(":ticks"), recorder && recorder->startTicks ? fromUnsigned(*recorder->startTicks) : QVariant());
    query.bindValue(QStringLiteral(":boot"), recorder ? fromText(recorder->bootId) : QVariant());
    connection.exec(query, "cannot store a run");
    const QVariant id = query.lastInsertId();
    if (!id.isValid())
        connection.fail("cannot store a run: no row id returned");
    const std::int64_t runId = toSigned(id);
    mergeLabels(connection, runId, fields.labels);
    return runId;
}

void updateFinishedRun(const HistoryConnection& connection, std::int64_t runId, const RunResult& result)
{
    QStringList assignments;
    for (const QString& column : resultColumns())
        assignments << column + QStringLiteral(" = :") + column;
    QSqlQuery query = connection.prepare(
        QStringLiteral("UPDATE runs SET %1 WHERE id = :id").arg(assignments.join(QStringLiteral(", "))));
    bindResult(query, result, runStatusName(result.status), true);
    query.bindValue(QStringLiteral(":id"), fromSigned(runId));
    connection.exec(query, "cannot store the finished run");
}

void updateRunningPeaks(const HistoryConnection& connection, std::int64_t runId, const RunResult& partial)
{
    QSqlQuery query = connection.prepare(QStringLiteral(
        "UPDATE runs SET tree_peak_rss_bytes = :tree, engine_peak_rss_bytes = :engine WHERE id = :id"));
    query.bindValue(QStringLiteral(":tree"), fromUnsigned(partial.treePeakRssBytes));
    query.bindValue(QStringLiteral(":engine"), fromUnsigned(partial.enginePeakRssBytes));
    query.bindValue(QStringLiteral(":id"), fromSigned(runId));
    connection.exec(query, "cannot store the run's peaks so far");
}

void mergeLabels(const HistoryConnection& connection, std::int64_t runId, const Labels& labels)
{
    QSqlQuery query = connection.prepare(QStringLiteral(
        "INSERT INTO labels (run_id, position, key, value) "
        "VALUES (:run, (SELECT COALESCE(MAX(position) + 1, 0) FROM labels WHERE run_id = :run2), :key, :value) "
        "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value"));
    for (const auto& [key, value] : labels) {
        query.bindValue(QStringLiteral(":run"), fromSigned(runId));
        query.bindValue(QStringLiteral(":run2"), fromSigned(runId));
        query.bindValue(QStringLiteral(":key"), fromText(key));
        query.bindValue(QStringLiteral(":value"), fromText(value));
        connection.exec(query, "cannot store a label");
    }
}

void replaceDetails(const HistoryConnection& connection, std::int64_t runId, const RunResult& result)
{
    for (const char* table : {"steps", "processes", "operations", "pools"})
        deleteRows(connection, table, runId);
    sqlrecords::insert(connection, "steps", runId, stepFields(), result.steps);
    sqlrecords::insert(connection, "processes", runId, processFields(), result.processes);
    sqlrecords::insert(connection, "operations", runId, operationFields(), result.operations);
    sqlrecords::insert(connection, "pools", runId, poolFields(), result.pools);
}

void replaceSamples(const HistoryConnection& connection, std::int64_t runId, const SampleTable& samples)
{
    deleteRows(connection, "samples", runId);
    deleteRows(connection, "sample_columns", runId);
    insertSampleColumns(connection, runId, samples);
    insertSampleRows(connection, runId, samples, 0);
}

void appendSamples(const HistoryConnection& connection, std::int64_t runId, const SampleTable& samples)
{
    const SampleTable stored = readSampleColumns(connection, runId);
    const bool hasColumns = !stored.series.empty() || !stored.maxColumns.empty();
    if (!hasColumns)
        insertSampleColumns(connection, runId, samples);
    else if (!sameColumns(stored, samples))
        connection.fail("run " + std::to_string(runId) + ": the sample columns differ from those of earlier flushes");
    QSqlQuery next
        = connection.prepare(QStringLiteral("SELECT COALESCE(MAX(seq) + 1, 0) FROM samples WHERE run_id = :run"));
    next.bindValue(QStringLiteral(":run"), fromSigned(runId));
    connection.exec(next, "cannot read the samples");
    const std::int64_t firstSeq = next.next() ? toSigned(next.value(0)) : 0;
    next.finish();
    insertSampleRows(connection, runId, samples, firstSeq);
}

void replaceLogTail(const HistoryConnection& connection, std::int64_t runId, const std::vector<LogEntry>& entries,
    std::size_t maxEntries)
{
    deleteRows(connection, "log_tail", runId);
    QSqlQuery query = connection.prepare(
        QStringLiteral("INSERT INTO log_tail (run_id, position, sequence, seconds, level, stream, step, text) "
                       "VALUES (:run, :position, :sequence, :seconds, :level, :stream, :step, :text)"));
    const std::size_t first = entries.size() > maxEntries ? entries.size() - maxEntries : 0;
    for (std::size_t index = first; index < entries.size(); ++index) {
        const LogEntry& entry = entries[index];
        query.bindValue(QStringLiteral(":run"), fromSigned(runId));
        query.bindValue(QStringLiteral(":position"), fromUnsigned(index - first));
        query.bindValue(QStringLiteral(":sequence"), fromUnsigned(entry.sequence));
        query.bindValue(QStringLiteral(":seconds"), fromDouble(entry.seconds));
        query.bindValue(QStringLiteral(":level"), QString::fromLatin1(logLevelName(entry.level)));
        query.bindValue(QStringLiteral(":stream"), QString::fromLatin1(logStreamName(entry.stream)));
        query.bindValue(QStringLiteral(":step"), fromText(entry.step));
        query.bindValue(QStringLiteral(":text"), QByteArray::fromStdString(entry.text));
        connection.exec(query, "cannot store the log");
    }
}

} // namespace buildscope::runrows
