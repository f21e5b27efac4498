#include "history/doubleblob.h"
#include "history/historyconnection.h"
#include "history/runrows.h"
#include "history/sqlvalues.h"

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

// Enumerations are stored by their report names; a name this build does not know means
// the row was not written by BuildScope.
template<typename Enum, typename Names>
Enum parseName(const HistoryConnection& connection, const QVariant& value, std::initializer_list<Enum> candidates,
    Names name, const char* what)
{
    const std::string text = toText(value);
    for (Enum candidate : candidates) {
        if (text == name(candidate))
            return candidate;
    }
    connection.fail(std::string("the store is damaged (unknown ") + what + " '" + text + "')");
}

std::vector<StepResult> readSteps(const HistoryConnection& connection, std::int64_t runId)
{
    QSqlQuery query = selectForRun(connection,
        QStringLiteral("SELECT name, kind, status, start_s, end_s, cpu_user_s, cpu_sys_s, peak_rss_bytes, "
                       "peak_is_process_tree, engine_allocations, engine_allocated_bytes, exit_code, signal, note "
                       "FROM steps WHERE run_id = :run ORDER BY position"),
        runId, "cannot read the steps");
    std::vector<StepResult> steps;
    while (query.next()) {
        StepResult step;
        step.name = toText(query.value(0));
        step.kind = parseName(connection, query.value(1),
            {StepKind::Checksum, StepKind::Tar, StepKind::Run, StepKind::Container}, stepKindName, "step type");
        step.status = parseName(connection, query.value(2),
            {StepStatus::Pending, StepStatus::Running, StepStatus::Succeeded, StepStatus::Failed, StepStatus::TimedOut,
                StepStatus::Cancelled, StepStatus::Skipped, StepStatus::NotRun},
            stepStatusName, "step status");
        step.startSeconds = toDouble(query.value(3));
        step.endSeconds = toDouble(query.value(4));
        step.userCpuSeconds = toDouble(query.value(5));
        step.systemCpuSeconds = toDouble(query.value(6));
        step.peakRssBytes = toUnsigned(query.value(7));
        step.peakIsProcessTree = query.value(8).toInt() != 0;
        step.engineAllocations = toUnsigned(query.value(9));
        step.engineAllocatedBytes = toUnsigned(query.value(10));
        step.exitCode = toOptional(query.value(11));
        step.signal = toOptional(query.value(12));
        step.note = toText(query.value(13));
        steps.push_back(std::move(step));
    }
    return steps;
}

std::vector<OperationStatistics> readOperations(const HistoryConnection& connection, std::int64_t runId)
{
    QSqlQuery query = selectForRun(connection,
        QStringLiteral("SELECT name, count, wall_total_ns, wall_min_ns, wall_max_ns, wall_p50_ns, wall_p95_ns, "
                       "wall_p99_ns, cpu_timed_count, cpu_total_ns, allocations, allocated_bytes "
                       "FROM operations WHERE run_id = :run ORDER BY position"),
        runId, "cannot read the operations");
    std::vector<OperationStatistics> operations;
    while (query.next()) {
        OperationStatistics op;
        op.name = toText(query.value(0));
        op.count = toUnsigned(query.value(1));
        op.wallTotalNs = toUnsigned(query.value(2));
        op.wallMinNs = toUnsigned(query.value(3));
        op.wallMaxNs = toUnsigned(query.value(4));
        op.wallP50Ns = toUnsigned(query.value(5));
        op.wallP95Ns = toUnsigned(query.value(6));
        op.wallP99Ns = toUnsigned(query.value(7));
        op.cpuTimedCount = toUnsigned(query.value(8));
        op.cpuTotalNs = toUnsigned(query.value(9));
        op.allocations = toUnsigned(query.value(10));
        op.allocatedBytes = toUnsigned(query.value(11));
        operations.push_back(std::move(op));
    }
    return operations;
}

std::vector<PoolStatistics> readPools(const HistoryConnection& connection, std::int64_t runId)
{
    QSqlQuery query = selectForRun(connection,
        QStringLiteral("SELECT name, class_bytes, acquires, hits, misses, releases, discards, retained_bytes, "
                       "retained_high_water_bytes, max_retained_bytes "
                       "FROM pools WHERE run_id = :run ORDER BY position"),
        runId, "cannot read the pools");
    std::vector<PoolStatistics> pools;
    while (query.next()) {
        PoolStatistics pool;
        pool.name = toText(query.value(0));
        pool.classBytes = static_cast<std::size_t>(toUnsigned(query.value(1)));
        pool.acquires = toUnsigned(query.value(2));
        pool.hits = toUnsigned(query.value(3));
        pool.misses = toUnsigned(query.value(4));
        pool.releases = toUnsigned(query.value(5));
        pool.discards = toUnsigned(query.value(6));
        pool.retainedBytes = toUnsigned(query.value(7));
        pool.retainedHighWaterBytes = toUnsigned(query.value(8));
        pool.maxRetainedBytes = toUnsigned(query.value(9));
        pools.push_back(std::move(pool));
    }
    return pools;
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
    result.steps = readSteps(connection, runId);
    result.operations = readOperations(connection, runId);
    result.pools = readPools(connection, runId);
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
        entry.level = parseName(connection, query.value(2),
            {LogLevel::Debug, LogLevel::Info, LogLevel::Warning, LogLevel::Error}, logLevelName, "log level");
        entry.stream = parseName(connection, query.value(3), {LogStream::Engine, LogStream::Stdout, LogStream::Stderr},
            logStreamName, "log stream");
        entry.step = toText(query.value(4));
        entry.text = query.value(5).toByteArray().toStdString();
        entries.push_back(std::move(entry));
    }
    return entries;
}

} // namespace buildscope::runrows
