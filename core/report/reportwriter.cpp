#include "report/reportwriter.h"

#include "report/csvwriter.h"
#include "report/fieldformats.h"
#include "report/libraryversions.h"
#include "report/reportfolder.h"
#include "report/runjson.h"
#include "run/recordfields.h"

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

void writeAtomically(
    const std::filesystem::path& file, const std::function<void(std::ostream&)>& write, ReportSharing sharing)
{
    const std::filesystem::path temporary = file.string() + ".tmp-" + std::to_string(::getpid());
    // Created with its final permissions (0600 when private) before a byte is written.
    const int fd = openReportFile(temporary, sharing);
    if (fd < 0)
        throw ReportError(temporary.string() + ": " + describeWriteError(errno));
    ::close(fd);
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out)
            throw ReportError(temporary.string() + ": " + describeWriteError(errno));
        write(out);
        out.flush();
        if (!out) {
            const int error = errno;
            out.close();
            std::filesystem::remove(temporary);
            throw ReportError(file.string() + ": write failed: " + describeWriteError(error));
        }
        out.close();
        if (!out) {
            const int error = errno;
            std::filesystem::remove(temporary);
            throw ReportError(file.string() + ": write failed: " + describeWriteError(error));
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, file, error);
    if (error) {
        std::filesystem::remove(temporary);
        throw ReportError(file.string() + ": " + describeWriteError(error.value()));
    }
}

} // namespace

void writeRunJson(const RunResult& result, std::ostream& out)
{
    const QByteArray json = QJsonDocument(runToJson(result)).toJson(QJsonDocument::Indented);
    out.write(json.constData(), json.size());
}

QJsonObject runToJson(const RunResult& result)
{
    QJsonObject root;
    root["format"] = "buildscope-run";
    root["format_version"] = kRunReportFormatVersion;

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

    root["host"] = toJsonObject(hostFields(), result.host);

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
        steps.append(toJsonObject(stepFields(), step));
    root["steps"] = steps;
    return root;
}

namespace {

// "2026-11-30T22:44:01.512Z": the same instant as `seconds` on the run's clock, for a
// spreadsheet that lines a run up with other logs.
std::string utcText(std::chrono::system_clock::time_point start, double seconds)
{
    if (std::isnan(seconds))
        return {};
    // From the start as run.json keeps it (milliseconds), so a report read back and
    // written again has the same times.
    const auto startMs = std::chrono::time_point_cast<std::chrono::milliseconds>(start);
    const auto at = startMs + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                  std::chrono::duration<double>(seconds));
    return isoTime(at).toStdString();
}

} // namespace

void writeSamplesCsv(const SampleTable& samples, std::chrono::system_clock::time_point startedAt, std::ostream& out)
{
    CsvWriter csv(out);
    csv.field("time_s").field("time_utc").field("bucket_s").field("samples").field("step");
    for (const SeriesSpec& spec : samples.series)
        csv.field(spec.name);
    for (const std::string& name : samples.maxColumns)
        csv.field(name + "_max");
    csv.endRow();
    for (const SampleTable::Row& row : samples.rows) {
        csv.field(row.seconds).field(utcText(startedAt, row.seconds)).field(row.bucketSeconds).field(row.samples);
        csv.field(row.step);
        for (double value : row.values)
            csv.field(value);
        for (double value : row.maxima)
            csv.field(value);
        csv.endRow();
    }
}

void writeStepsCsv(const RunResult& result, std::ostream& out)
{
    // The step's field list, then its start and end as wall-clock times (they need the
    // run's start, which a step does not hold).
    CsvWriter csv(out);
    for (const Field<StepResult>& field : stepFields())
        csv.field(field.name);
    csv.field("start_utc").field("end_utc").endRow();
    for (const StepResult& step : result.steps) {
        for (const Field<StepResult>& field : stepFields())
            csv.field(fields::formatText(exportValue(field, step)));
        const bool started = stepStarted(step.status);
        const bool ended = started && (step.status != StepStatus::Running || step.endSeconds > step.startSeconds);
        csv.field(started ? utcText(result.startedAt, step.startSeconds) : std::string());
        csv.field(ended ? utcText(result.startedAt, step.endSeconds) : std::string());
        csv.endRow();
    }
}

void writeOperationsCsv(const RunResult& result, std::ostream& out)
{
    CsvWriter csv(out);
    writeCsvHeader(csv, operationFields());
    for (const OperationStatistics& operation : result.operations)
        writeCsvRecord(csv, operationFields(), operation);
}

void writeProcessesCsv(const RunResult& result, std::ostream& out)
{
    // The process field list, then wall-clock start and end, as in steps.csv.
    CsvWriter csv(out);
    for (const Field<ProcessRecord>& field : processFields())
        csv.field(field.name);
    csv.field("start_utc").field("end_utc").endRow();
    for (const ProcessRecord& process : result.processes) {
        for (const Field<ProcessRecord>& field : processFields())
            csv.field(fields::formatText(exportValue(field, process)));
        csv.field(utcText(result.startedAt, process.startSeconds)).field(utcText(result.startedAt, process.endSeconds));
        csv.endRow();
    }
}

void writePoolsCsv(const RunResult& result, std::ostream& out)
{
    CsvWriter csv(out);
    writeCsvHeader(csv, poolFields());
    for (const PoolStatistics& pool : result.pools)
        writeCsvRecord(csv, poolFields(), pool);
}

std::vector<ReportFile> reportFiles(const RunResult& result, const SampleTable& samples)
{
    return {
        {kSamplesCsv, [&](std::ostream& out) { writeSamplesCsv(samples, result.startedAt, out); }},
        {kStepsCsv, [&](std::ostream& out) { writeStepsCsv(result, out); }},
        {kProcessesCsv, [&](std::ostream& out) { writeProcessesCsv(result, out); }},
        {kOperationsCsv, [&](std::ostream& out) { writeOperationsCsv(result, out); }},
        {kPoolsCsv, [&](std::ostream& out) { writePoolsCsv(result, out); }},
        {kRunJson, [&](std::ostream& out) { writeRunJson(result, out); }},
    };
}

void writeRunReport(const RunResult& result, const TimeSeriesStore::Snapshot& samples,
    const std::filesystem::path& directory, ReportSharing sharing)
{
    writeRunReport(result, SampleTable::fromSnapshot(result, samples), directory, sharing);
}

void writeRunReport(
    const RunResult& result, const SampleTable& samples, const std::filesystem::path& directory, ReportSharing sharing)
{
    createReportFolder(directory, sharing);
    if (::access(directory.c_str(), W_OK) != 0)
        throw ReportError(directory.string() + ": " + describeWriteError(errno));

    for (const ReportFile& file : reportFiles(result, samples)) {
        // Listed before it is written: the manifest names every file BuildScope may replace.
        claimInReportFolder(directory, file.name, sharing);
        writeAtomically(directory / file.name, file.write, sharing);
    }
}

} // namespace buildscope
