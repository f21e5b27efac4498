#include "report/reportwriter.h"

#include "report/csvwriter.h"
#include "report/libraryversions.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <unistd.h>

namespace buildscope {

namespace {

// Clock differences carry float noise (0.000403854000000004); nanoseconds are the
// clock's resolution, so round there and the shortest text stays short.
double seconds(double value)
{
    return std::round(value * 1e9) / 1e9;
}

QString toQString(const std::string& text)
{
    return QString::fromStdString(text);
}

QString isoTime(std::chrono::system_clock::time_point time)
{
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

// JSON numbers are doubles; counters beyond 2^53 would lose digits, which byte
// counts of a build never reach.
QJsonValue number(std::uint64_t value)
{
    return static_cast<double>(value);
}

QJsonValue optionalInt(const std::optional<int>& value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonObject stepJson(const StepResult& step)
{
    QJsonObject object;
    object["name"] = toQString(step.name);
    object["type"] = stepKindName(step.kind);
    object["status"] = stepStatusName(step.status);
    object["start_s"] = seconds(step.startSeconds);
    object["end_s"] = seconds(step.endSeconds);
    object["wall_s"] = seconds(step.wallSeconds());
    object["cpu_user_s"] = seconds(step.userCpuSeconds);
    object["cpu_sys_s"] = seconds(step.systemCpuSeconds);
    object["peak_rss_bytes"] = number(step.peakRssBytes);
    object["peak_rss_scope"] = step.peakIsProcessTree ? "process_tree" : "engine";
    object["engine_allocations"] = number(step.engineAllocations);
    object["engine_allocated_bytes"] = number(step.engineAllocatedBytes);
    object["exit_code"] = optionalInt(step.exitCode);
    object["signal"] = optionalInt(step.signal);
    object["note"] = toQString(step.note);
    return object;
}

void writeAtomically(const std::filesystem::path& file, const std::function<void(std::ostream&)>& write)
{
    const std::filesystem::path temporary = file.string() + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out)
            throw ReportError(temporary.string() + ": " + std::strerror(errno));
        write(out);
        out.flush();
        if (!out) {
            const int error = errno;
            out.close();
            std::filesystem::remove(temporary);
            throw ReportError(file.string() + ": write failed: " + std::strerror(error));
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, file, error);
    if (error) {
        std::filesystem::remove(temporary);
        throw ReportError(file.string() + ": " + error.message());
    }
}

} // namespace

void writeRunJson(const RunResult& result, std::ostream& out)
{
    QJsonObject root;
    root["format"] = "buildscope-run";
    root["format_version"] = 1;

    QJsonObject spec;
    spec["name"] = toQString(result.specName);
    spec["file"] = toQString(result.specFile.string());
    spec["context"] = toQString(result.context.string());
    spec["sample_hz"] = result.sampleHz;
    root["spec"] = spec;

    root["status"] = runStatusName(result.status);
    root["failure"] = toQString(result.failure);
    root["started_at"] = isoTime(result.startedAt);
    root["ended_at"] = isoTime(result.endedAt);
    root["duration_s"] = seconds(result.durationSeconds());
    root["digest"] = toQString(result.digest);
    root["image_uri"] = toQString(result.imageUri);

    QJsonObject host;
    host["hostname"] = toQString(result.host.hostname);
    host["os"] = toQString(result.host.os);
    host["cpus"] = static_cast<int>(result.host.cpus);
    host["memory_bytes"] = number(result.host.memoryBytes);
    root["host"] = host;

    QJsonObject versions;
    for (const auto& [name, version] : libraryVersions())
        versions[toQString(name)] = toQString(version);
    root["versions"] = versions;

    QJsonObject labels;
    for (const auto& [key, value] : result.labels)
        labels[toQString(key)] = toQString(value);
    root["labels"] = labels;

    QJsonObject memory;
    memory["engine_peak_rss_bytes"] = number(result.enginePeakRssBytes);
    memory["tree_peak_rss_bytes"] = number(result.treePeakRssBytes);
    memory["heap_tracking"] = result.heap.installed;
    memory["heap_peak_live_bytes"] = static_cast<double>(result.heapPeakLiveBytes);
    memory["heap_live_bytes_at_end"] = static_cast<double>(result.heap.liveBytes);
    memory["heap_allocations"] = number(result.heap.totals.allocations);
    memory["heap_frees"] = number(result.heap.totals.frees);
    memory["heap_allocated_bytes"] = number(result.heap.totals.bytesAllocated);
    root["memory"] = memory;

    QJsonArray steps;
    for (const StepResult& step : result.steps)
        steps.append(stepJson(step));
    root["steps"] = steps;

    const QByteArray json = QJsonDocument(root).toJson(QJsonDocument::Indented);
    out.write(json.constData(), json.size());
}

void writeSamplesCsv(const SampleTable& samples, std::ostream& out)
{
    CsvWriter csv(out);
    csv.field("time_s").field("bucket_s").field("samples").field("step");
    for (const SeriesSpec& spec : samples.series)
        csv.field(spec.name);
    for (const std::string& name : samples.maxColumns)
        csv.field(name + "_max");
    csv.endRow();
    for (const SampleTable::Row& row : samples.rows) {
        csv.field(row.seconds).field(row.bucketSeconds).field(row.samples).field(row.step);
        for (double value : row.values)
            csv.field(value);
        for (double value : row.maxima)
            csv.field(value);
        csv.endRow();
    }
}

void writeStepsCsv(const RunResult& result, std::ostream& out)
{
    CsvWriter csv(out);
    for (const char* column : {"name", "type", "status", "count", "start_s", "end_s", "wall_s", "wall_p50_s",
             "wall_p95_s", "wall_p99_s", "cpu_user_s", "cpu_sys_s", "cpu_s", "peak_rss_bytes", "peak_rss_scope",
             "allocations", "allocated_bytes", "allocations_per_op", "bytes_per_op", "exit_code", "signal", "note"})
        csv.field(column);
    csv.endRow();

    for (const StepResult& step : result.steps) {
        const bool ran = step.status != StepStatus::NotRun && step.status != StepStatus::Pending;
        csv.field(step.name).field(stepKindName(step.kind)).field(stepStatusName(step.status));
        if (!ran) {
            csv.field(0);
            for (int i = 0; i < 17; ++i)
                csv.empty();
            csv.field(step.note).endRow();
            continue;
        }
        const double wall = seconds(step.wallSeconds());
        csv.field(1).field(seconds(step.startSeconds)).field(seconds(step.endSeconds));
        csv.field(wall).field(wall).field(wall).field(wall);
        csv.field(seconds(step.userCpuSeconds)).field(seconds(step.systemCpuSeconds));
        csv.field(seconds(step.userCpuSeconds + step.systemCpuSeconds));
        csv.field(step.peakRssBytes).field(step.peakIsProcessTree ? "process_tree" : "engine");
        csv.field(step.engineAllocations).field(step.engineAllocatedBytes);
        csv.field(static_cast<double>(step.engineAllocations)).field(static_cast<double>(step.engineAllocatedBytes));
        if (step.exitCode)
            csv.field(*step.exitCode);
        else
            csv.empty();
        if (step.signal)
            csv.field(*step.signal);
        else
            csv.empty();
        csv.field(step.note).endRow();
    }

    constexpr double ns = 1e-9;
    for (const OperationStatistics& op : result.operations) {
        csv.field(op.name).field("operation").empty().field(op.count).empty().empty();
        csv.field(static_cast<double>(op.wallTotalNs) * ns);
        csv.field(static_cast<double>(op.wallP50Ns) * ns)
            .field(static_cast<double>(op.wallP95Ns) * ns)
            .field(static_cast<double>(op.wallP99Ns) * ns);
        csv.empty().empty();
        if (op.cpuTimedCount > 0)
            csv.field(static_cast<double>(op.cpuTotalNs) * ns);
        else
            csv.empty();
        csv.empty().empty();
        csv.field(op.allocations).field(op.allocatedBytes).field(op.allocationsPerOp()).field(op.bytesPerOp());
        csv.empty().empty().empty().endRow();
    }
}

void writePoolsCsv(const RunResult& result, std::ostream& out)
{
    CsvWriter csv(out);
    for (const char* column : {"pool", "class_bytes", "acquires", "hits", "misses", "releases", "discards", "hit_rate",
             "retained_bytes", "retained_high_water_bytes", "max_retained_bytes"})
        csv.field(column);
    csv.endRow();
    for (const PoolStatistics& pool : result.pools) {
        csv.field(pool.name).field(static_cast<std::uint64_t>(pool.classBytes)).field(pool.acquires).field(pool.hits);
        csv.field(pool.misses).field(pool.releases).field(pool.discards);
        if (const std::optional<double> rate = pool.hitRate())
            csv.field(*rate);
        else
            csv.empty(); // n/a: no acquires
        csv.field(pool.retainedBytes).field(pool.retainedHighWaterBytes).field(pool.maxRetainedBytes).endRow();
    }
}

void writeRunReport(
    const RunResult& result, const TimeSeriesStore::Snapshot& samples, const std::filesystem::path& directory)
{
    writeRunReport(result, SampleTable::fromSnapshot(result, samples), directory);
}

void writeRunReport(const RunResult& result, const SampleTable& samples, const std::filesystem::path& directory)
{
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error || !std::filesystem::is_directory(directory))
        throw ReportError(directory.string()
            + ": cannot create report directory: " + (error ? error.message() : std::string("not a directory")));
    if (::access(directory.c_str(), W_OK) != 0)
        throw ReportError(directory.string() + ": " + std::strerror(errno));

    writeAtomically(directory / kSamplesCsv, [&](std::ostream& out) { writeSamplesCsv(samples, out); });
    writeAtomically(directory / kStepsCsv, [&](std::ostream& out) { writeStepsCsv(result, out); });
    writeAtomically(directory / kPoolsCsv, [&](std::ostream& out) { writePoolsCsv(result, out); });
    // run.json last: its presence marks a complete report.
    writeAtomically(directory / kRunJson, [&](std::ostream& out) { writeRunJson(result, out); });
}

} // namespace buildscope
