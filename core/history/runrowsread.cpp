#include "history/doubleblob.h"
#include "history/historyconnection.h"
#include "history/runrows.h"
#include "history/sqlrecords.h"
#include "history/sqlvalues.h"
#include "run/recordfields.h"

namespace buildscope::runrows {

using namespace sqlvalues;

namespace {

QSqlQuery selectForRun(const HistoryConnection& connection, const QString& sql, std::int64_t runId, const char* what)
{
    QSqlQuery query = connection.prepare(sql);
    query.bindValue(QStringLiteral(":run"), fromSigned(runId));
    connection.exec(query, what);
    return query;
}

} // namespace

std::optional<StoredRun> readRun(const HistoryConnection& connection, std::int64_t runId)
{
    QSqlQuery query = connection.prepare(QStringLiteral(
        "SELECT spec_name, spec_file, context, status, failure, started_at_ns, ended_at_ns, sample_hz, digest, "
        "image_uri, host_name, host_os, host_cpus, host_memory_bytes, engine_peak_rss_bytes, tree_peak_rss_bytes, "
        "heap_tracking, heap_paused, heap_allocations, heap_frees, heap_allocated_bytes, heap_freed_bytes, "
        "heap_live_bytes_at_end, heap_snapshot_peak_live_bytes, heap_peak_live_bytes, "
        "(SELECT time_s + COALESCE(bucket_s, 0) FROM samples WHERE run_id = runs.id ORDER BY seq DESC LIMIT 1) "
        "FROM runs WHERE id = :run"));
    query.bindValue(QStringLiteral(":run"), fromSigned(runId));
    connection.exec(query, "cannot read a run");
    if (!query.next())
        return std::nullopt;

    StoredRun stored;
    RunResult& result = stored.result;
    result.specName = toText(query.value(0));
    result.specFile = toText(query.value(1));
    result.context = toText(query.value(2));
    stored.status = toText(query.value(3));
    result.failure = toText(query.value(4));
    result.startedAt = toTime(query.value(5));
    stored.finished = !query.value(6).isNull();
    result.endedAt = stored.finished ? toTime(query.value(6)) : result.startedAt;
    result.sampleHz = toDouble(query.value(7));
    result.digest = toText(query.value(8));
    result.imageUri = toText(query.value(9));
    result.host.hostname = toText(query.value(10));
    result.host.os = toText(query.value(11));
    result.host.cpus = static_cast<unsigned>(toUnsigned(query.value(12)));
    result.host.memoryBytes = toUnsigned(query.value(13));
    result.enginePeakRssBytes = toUnsigned(query.value(14));
    result.treePeakRssBytes = toUnsigned(query.value(15));
    result.heap.installed = query.value(16).toInt() != 0;
    result.heap.paused = query.value(17).toInt() != 0;
    result.heap.totals.allocations = toUnsigned(query.value(18));
    result.heap.totals.frees = toUnsigned(query.value(19));
    result.heap.totals.bytesAllocated = toUnsigned(query.value(20));
    result.heap.totals.bytesFreed = toUnsigned(query.value(21));
    result.heap.liveBytes = toSigned(query.value(22));
    result.heap.peakLiveBytes = toSigned(query.value(23));
    result.heapPeakLiveBytes = toSigned(query.value(24));
    stored.lastSampleSeconds = query.value(25).isNull() ? 0.0 : toDouble(query.value(25));
    query.finish();

    for (RunStatus status : {RunStatus::Running, RunStatus::Succeeded, RunStatus::Failed, RunStatus::Cancelled}) {
        if (stored.status == runStatusName(status))
            result.status = status;
    }
    result.labels = readLabels(connection, runId);
    result.steps = sqlrecords::read(connection, "steps", runId, stepFields());
    result.processes = sqlrecords::read(connection, "processes", runId, processFields());
    result.operations = sqlrecords::read(connection, "operations", runId, operationFields());
    result.pools = sqlrecords::read(connection, "pools", runId, poolFields());
    return stored;
}

Labels readLabels(const HistoryConnection& connection, std::int64_t runId)
{
    QSqlQuery query = selectForRun(connection,
        QStringLiteral("SELECT key, value FROM labels WHERE run_id = :run ORDER BY position"), runId,
        "cannot read the labels");
    Labels labels;
    while (query.next())
        labels.emplace_back(toText(query.value(0)), toText(query.value(1)));
    return labels;
}

SampleTable readSampleColumns(const HistoryConnection& connection, std::int64_t runId)
{
    QSqlQuery query = selectForRun(connection,
        QStringLiteral("SELECT kind, name, unit FROM sample_columns WHERE run_id = :run ORDER BY kind DESC, position"),
        runId, "cannot read the sample columns");
    SampleTable table;
    while (query.next()) {
        if (query.value(0).toString() == QLatin1String("series"))
            table.series.push_back({toText(query.value(1)), toText(query.value(2))});
        else
            table.maxColumns.push_back(toText(query.value(1)));
    }
    return table;
}

SampleTable readSamples(const HistoryConnection& connection, std::int64_t runId)
{
    SampleTable table = readSampleColumns(connection, runId);
    QSqlQuery query = selectForRun(connection,
        QStringLiteral("SELECT time_s, bucket_s, samples, step, value_blob, max_blob FROM samples "
                       "WHERE run_id = :run ORDER BY seq"),
        runId, "cannot read the samples");
    while (query.next()) {
        SampleTable::Row row;
        row.seconds = toDouble(query.value(0));
        row.bucketSeconds = toDouble(query.value(1));
        row.samples = toUnsigned(query.value(2));
        row.step = toText(query.value(3));
        std::optional<std::vector<double>> values = decodeDoubles(query.value(4).toByteArray(), table.series.size());
        std::optional<std::vector<double>> maxima
            = decodeDoubles(query.value(5).toByteArray(), table.maxColumns.size());
        if (!values || !maxima)
            connection.fail("the store is damaged (run " + std::to_string(runId)
                + " has a samples row whose width does not match its columns)");
        row.values = std::move(*values);
        row.maxima = std::move(*maxima);
        table.rows.push_back(std::move(row));
    }
    return table;
}

std::vector<LogEntry> readLogTail(const HistoryConnection& connection, std::int64_t runId)
{
    QSqlQuery query = selectForRun(connection,
        QStringLiteral("SELECT sequence, seconds, level, stream, step, text FROM log_tail WHERE run_id = :run "
                       "ORDER BY position"),
        runId, "cannot read the log");
    std::vector<LogEntry> entries;
    while (query.next()) {
        LogEntry entry;
        entry.sequence = toUnsigned(query.value(0));
        entry.seconds = toDouble(query.value(1));
        const std::optional<LogLevel> level = parseLogLevel(toText(query.value(2)));
        const std::optional<LogStream> stream = parseLogStream(toText(query.value(3)));
        if (!level || !stream)
            connection.fail("the store is damaged (run " + std::to_string(runId) + ": unknown log level or stream '"
                + toText(query.value(2)) + "', '" + toText(query.value(3)) + "')");
        entry.level = *level;
        entry.stream = *stream;
        entry.step = toText(query.value(4));
        entry.text = query.value(5).toByteArray().toStdString();
        entries.push_back(std::move(entry));
    }
    return entries;
}

} // namespace buildscope::runrows
