#include "report/reportreader.h"

#include "io/boundedfile.h"
#include "report/csvreader.h"
#include "report/reportwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <QDateTime>

#include <charconv>
#include <cstring>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

namespace buildscope {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void fail(const std::filesystem::path& file, std::size_t line, const std::string& message)
{
    throw ReportError(file.string() + (line ? ":" + std::to_string(line) : std::string()) + ": " + message);
}

// A number read as an integer field. Out of range (1e300, or a negative count) it is
// clamped, not cast, which would be undefined behaviour (found by fuzz/fuzz_runjson);
// refusing such values with the field's name is the import validation's job.
template<class Integer>
Integer saturated(double value)
{
    constexpr double kLowest = static_cast<double>(std::numeric_limits<Integer>::lowest());
    constexpr double kBeyond = static_cast<double>(std::numeric_limits<Integer>::max()); // 2^64 or 2^63: exact
    if (std::isnan(value) || value <= kLowest)
        return std::numeric_limits<Integer>::lowest();
    if (value >= kBeyond)
        return std::numeric_limits<Integer>::max();
    return static_cast<Integer>(value);
}

// Limits on report files: far beyond what a run writes (samples.csv holds at most about
// 36,000 rows, about 10 MB; the others are kilobytes), so a hostile or damaged report (or
// /dev/zero in its place) costs a bounded read, not unbounded time and memory.
constexpr std::uint64_t kMaxRunJsonBytes = 16 * 1024 * 1024;
constexpr std::uint64_t kMaxTableCsvBytes = 16 * 1024 * 1024; // steps.csv, pools.csv
constexpr std::uint64_t kMaxSamplesCsvBytes = 32 * 1024 * 1024;

// A whole report file, which must be a regular file of at most maxBytes.
std::string readInput(const std::filesystem::path& file, std::uint64_t maxBytes, std::string_view kind)
{
    try {
        return io::readRegularFile(file, maxBytes, kind);
    } catch (const io::InputFileError& error) {
        fail(file, 0, error.error() ? "cannot open: " + error.reason() : error.reason());
    }
}

// One CSV file with a header, every record checked to have the header's width.
struct CsvTable
{
    std::filesystem::path file;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::size_t> lines;

    std::size_t column(const std::string& name) const
    {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end())
            fail(file, 1, "missing column '" + name + "'");
        return static_cast<std::size_t>(it - header.begin());
    }
};

CsvTable readCsv(const std::filesystem::path& file, std::uint64_t maxBytes)
{
    std::istringstream in(readInput(file, maxBytes, "a report file"));
    CsvTable table;
    table.file = file;
    CsvReader reader(in);
    try {
        std::optional<std::vector<std::string>> header = reader.next();
        if (!header)
            fail(file, 1, "empty file (no header)");
        table.header = std::move(*header);
        while (std::optional<std::vector<std::string>> record = reader.next()) {
            if (record->size() != table.header.size())
                fail(file, reader.recordLine(),
                    "expected " + std::to_string(table.header.size()) + " fields, found "
                        + std::to_string(record->size()));
            table.rows.push_back(std::move(*record));
            table.lines.push_back(reader.recordLine());
        }
    } catch (const CsvError& error) {
        fail(file, error.line(), std::string(error.what()).substr(std::string(error.what()).find(": ") + 2));
    }
    return table;
}

// Empty cell -> NaN; anything else must be a number.
double number(const CsvTable& table, std::size_t row, std::size_t column)
{
    const std::string& text = table.rows[row][column];
    if (text.empty())
        return kNaN;
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        fail(table.file, table.lines[row], "'" + table.header[column] + "' is not a number: '" + text + "'");
    return value;
}

std::uint64_t count(const CsvTable& table, std::size_t row, std::size_t column)
{
    const double value = number(table, row, column);
    if (std::isnan(value) || value < 0)
        return 0;
    return saturated<std::uint64_t>(value);
}

StepStatus parseStepStatus(const std::string& text, bool& ok)
{
    ok = true;
    for (StepStatus status : {StepStatus::Pending, StepStatus::Running, StepStatus::Succeeded, StepStatus::Failed,
             StepStatus::TimedOut, StepStatus::Cancelled, StepStatus::Skipped, StepStatus::NotRun}) {
        if (text == stepStatusName(status))
            return status;
    }
    ok = false;
    return StepStatus::Pending;
}

StepKind parseStepKind(const std::string& text, bool& ok)
{
    ok = true;
    for (StepKind kind : {StepKind::Checksum, StepKind::Tar, StepKind::Run, StepKind::Container}) {
        if (text == stepKindName(kind))
            return kind;
    }
    ok = false;
    return StepKind::Run;
}

std::chrono::system_clock::time_point parseTime(const QString& text, bool& ok)
{
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    // system_clock counts nanoseconds in 64 bits: years 1678 to 2262 (fuzz/fuzz_runjson
    // found the overflow).
    constexpr qint64 kLimitMs = std::numeric_limits<std::int64_t>::max() / 1'000'000;
    ok = time.isValid() && std::abs(time.toMSecsSinceEpoch()) < kLimitMs;
    return ok ? std::chrono::system_clock::time_point(std::chrono::milliseconds(time.toMSecsSinceEpoch()))
              : std::chrono::system_clock::time_point();
}

void readRunJson(const std::filesystem::path& file, RunResult& result)
{
    const std::string text = readInput(file, kMaxRunJsonBytes, "a report file");
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(text), &error);
    if (error.error != QJsonParseError::NoError) {
        const auto offset = static_cast<std::size_t>(std::max(0, error.offset));
        const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min(offset, text.size())), '\n'));
        fail(file, line, "invalid JSON: " + error.errorString().toStdString());
    }
    const QJsonObject root = document.object();
    if (root["format"].toString() != "buildscope-run")
        fail(file, 0, "not a BuildScope run report (\"format\" is not \"buildscope-run\")");
    if (root["format_version"].toInt() != 1)
        fail(file, 0, "unsupported format_version " + std::to_string(root["format_version"].toInt()));

    auto requireString = [&](const QJsonObject& object, const char* key) {
        if (!object[key].isString())
            fail(file, 0, std::string("missing or non-text '") + key + "'");
        return object[key].toString().toStdString();
    };
    const QJsonObject spec = root["spec"].toObject();
    result.specName = requireString(spec, "name");
    result.specFile = requireString(spec, "file");
    result.context = spec["context"].toString().toStdString();
    result.sampleHz = spec["sample_hz"].toDouble();

    const std::string status = requireString(root, "status");
    bool known = false;
    for (RunStatus candidate : {RunStatus::Running, RunStatus::Succeeded, RunStatus::Failed, RunStatus::Cancelled}) {
        if (status == runStatusName(candidate)) {
            result.status = candidate;
            known = true;
        }
    }
    if (!known)
        fail(file, 0, "unknown status '" + status + "'");
    result.failure = root["failure"].toString().toStdString();
    bool ok = false;
    result.startedAt = parseTime(root["started_at"].toString(), ok);
    if (!ok)
        fail(file, 0, "'started_at' is not an ISO 8601 time");
    result.endedAt = parseTime(root["ended_at"].toString(), ok);
    if (!ok)
        fail(file, 0, "'ended_at' is not an ISO 8601 time");
    result.digest = root["digest"].toString().toStdString();
    result.imageUri = root["image_uri"].toString().toStdString();

    const QJsonObject host = root["host"].toObject();
    result.host.hostname = host["hostname"].toString().toStdString();
    result.host.os = host["os"].toString().toStdString();
    result.host.cpus = static_cast<unsigned>(host["cpus"].toInt());
    result.host.memoryBytes = saturated<std::uint64_t>(host["memory_bytes"].toDouble());

    const QJsonObject labels = root["labels"].toObject();
    for (auto it = labels.begin(); it != labels.end(); ++it)
        result.labels.emplace_back(it.key().toStdString(), it.value().toString().toStdString());

    const QJsonObject memory = root["memory"].toObject();
    result.enginePeakRssBytes = saturated<std::uint64_t>(memory["engine_peak_rss_bytes"].toDouble());
    result.treePeakRssBytes = saturated<std::uint64_t>(memory["tree_peak_rss_bytes"].toDouble());
    result.heap.installed = memory["heap_tracking"].toBool();
    result.heapPeakLiveBytes = saturated<std::int64_t>(memory["heap_peak_live_bytes"].toDouble());
    result.heap.peakLiveBytes = result.heapPeakLiveBytes;
    result.heap.liveBytes = saturated<std::int64_t>(memory["heap_live_bytes_at_end"].toDouble());
    result.heap.totals.allocations = saturated<std::uint64_t>(memory["heap_allocations"].toDouble());
    result.heap.totals.frees = saturated<std::uint64_t>(memory["heap_frees"].toDouble());
    result.heap.totals.bytesAllocated = saturated<std::uint64_t>(memory["heap_allocated_bytes"].toDouble());

    for (const QJsonValue& value : root["steps"].toArray()) {
        const QJsonObject object = value.toObject();
        StepResult step;
        step.name = requireString(object, "name");
        step.kind = parseStepKind(object["type"].toString().toStdString(), ok);
        if (!ok)
            fail(file, 0, "step '" + step.name + "': unknown type '" + object["type"].toString().toStdString() + "'");
        step.status = parseStepStatus(object["status"].toString().toStdString(), ok);
        if (!ok)
            fail(file, 0, "step '" + step.name + "': unknown status '" + object["status"].toString().toStdString() + "'");
        step.startSeconds = object["start_s"].toDouble();
        step.endSeconds = object["end_s"].toDouble();
        step.userCpuSeconds = object["cpu_user_s"].toDouble();
        step.systemCpuSeconds = object["cpu_sys_s"].toDouble();
        step.peakRssBytes = saturated<std::uint64_t>(object["peak_rss_bytes"].toDouble());
        step.peakIsProcessTree = object["peak_rss_scope"].toString() == "process_tree";
        step.engineAllocations = saturated<std::uint64_t>(object["engine_allocations"].toDouble());
        step.engineAllocatedBytes = saturated<std::uint64_t>(object["engine_allocated_bytes"].toDouble());
        if (object["exit_code"].isDouble())
            step.exitCode = object["exit_code"].toInt();
        if (object["signal"].isDouble())
            step.signal = object["signal"].toInt();
        step.note = object["note"].toString().toStdString();
        result.steps.push_back(std::move(step));
    }
}

void readOperations(const std::filesystem::path& file, RunResult& result)
{
    const CsvTable table = readCsv(file, kMaxTableCsvBytes);
    const std::size_t name = table.column("name");
    const std::size_t type = table.column("type");
    const std::size_t countColumn = table.column("count");
    const std::size_t wall = table.column("wall_s");
    const std::size_t p50 = table.column("wall_p50_s");
    const std::size_t p95 = table.column("wall_p95_s");
    const std::size_t p99 = table.column("wall_p99_s");
    const std::size_t cpu = table.column("cpu_s");
    const std::size_t allocations = table.column("allocations");
    const std::size_t bytes = table.column("allocated_bytes");
    std::size_t stepRows = 0;
    auto ns = [](double seconds) { return std::isnan(seconds) ? 0 : static_cast<std::uint64_t>(std::llround(seconds * 1e9)); };
    for (std::size_t row = 0; row < table.rows.size(); ++row) {
        if (table.rows[row][type] != "operation") {
            ++stepRows;
            continue;
        }
        OperationStatistics op;
        op.name = table.rows[row][name];
        op.count = count(table, row, countColumn);
        op.wallTotalNs = ns(number(table, row, wall));
        op.wallP50Ns = ns(number(table, row, p50));
        op.wallP95Ns = ns(number(table, row, p95));
        op.wallP99Ns = ns(number(table, row, p99));
        const double cpuSeconds = number(table, row, cpu);
        op.cpuTimedCount = std::isnan(cpuSeconds) ? 0 : op.count;
        op.cpuTotalNs = ns(cpuSeconds);
        op.allocations = count(table, row, allocations);
        op.allocatedBytes = count(table, row, bytes);
        result.operations.push_back(std::move(op));
    }
    if (stepRows != result.steps.size())
        fail(file, 0,
            "lists " + std::to_string(stepRows) + " steps but run.json has " + std::to_string(result.steps.size()));
}

void readPools(const std::filesystem::path& file, RunResult& result)
{
    const CsvTable table = readCsv(file, kMaxTableCsvBytes);
    const std::size_t pool = table.column("pool");
    const std::size_t classBytes = table.column("class_bytes");
    const std::size_t acquires = table.column("acquires");
    const std::size_t hits = table.column("hits");
    const std::size_t misses = table.column("misses");
    const std::size_t releases = table.column("releases");
    const std::size_t discards = table.column("discards");
    const std::size_t retained = table.column("retained_bytes");
    const std::size_t highWater = table.column("retained_high_water_bytes");
    const std::size_t maxRetained = table.column("max_retained_bytes");
    for (std::size_t row = 0; row < table.rows.size(); ++row) {
        PoolStatistics s;
        s.name = table.rows[row][pool];
        s.classBytes = static_cast<std::size_t>(count(table, row, classBytes));
        s.acquires = count(table, row, acquires);
        s.hits = count(table, row, hits);
        s.misses = count(table, row, misses);
        s.releases = count(table, row, releases);
        s.discards = count(table, row, discards);
        s.retainedBytes = count(table, row, retained);
        s.retainedHighWaterBytes = count(table, row, highWater);
        s.maxRetainedBytes = count(table, row, maxRetained);
        if (s.hits + s.misses != s.acquires)
            fail(file, table.lines[row], "pool '" + s.name + "': hits + misses != acquires");
        result.pools.push_back(std::move(s));
    }
}

void readSamples(const std::filesystem::path& file, LoadedReport& report)
{
    const CsvTable table = readCsv(file, kMaxSamplesCsvBytes);
    static const std::vector<std::string> leading {"time_s", "bucket_s", "samples", "step"};
    if (table.header.size() < leading.size() || !std::equal(leading.begin(), leading.end(), table.header.begin()))
        fail(file, 1, "the header must start with time_s,bucket_s,samples,step");
    std::vector<std::size_t> valueColumns;
    std::vector<std::size_t> maxColumns;
    for (std::size_t column = leading.size(); column < table.header.size(); ++column) {
        const std::string& name = table.header[column];
        if (name.ends_with("_max")) {
            report.samples.maxColumns.push_back(name.substr(0, name.size() - 4));
            maxColumns.push_back(column);
        } else {
            const bool bytes = name.ends_with("_bytes");
            report.samples.series.push_back({name, bytes ? "bytes" : name.ends_with("processes") ? "processes" : "count"});
            valueColumns.push_back(column);
        }
    }
    if (report.samples.series.empty())
        fail(file, 1, "no series columns");
    double previous = -std::numeric_limits<double>::infinity();
    for (std::size_t row = 0; row < table.rows.size(); ++row) {
        SampleTable::Row sample;
        sample.seconds = number(table, row, 0);
        if (std::isnan(sample.seconds) || sample.seconds < previous)
            fail(file, table.lines[row], "time_s must be a number that does not decrease");
        previous = sample.seconds;
        sample.bucketSeconds = number(table, row, 1);
        sample.samples = count(table, row, 2);
        sample.step = table.rows[row][3];
        for (std::size_t column : valueColumns)
            sample.values.push_back(number(table, row, column));
        for (std::size_t column : maxColumns)
            sample.maxima.push_back(number(table, row, column));
        report.samples.rows.push_back(std::move(sample));
    }
}

} // namespace

LoadedReport readRunReport(const std::filesystem::path& directory)
{
    if (!std::filesystem::is_directory(directory))
        throw ReportError(directory.string() + ": not a report directory");
    LoadedReport report;
    report.directory = directory;
    readRunJson(directory / kRunJson, report.result);
    readOperations(directory / kStepsCsv, report.result);
    readPools(directory / kPoolsCsv, report.result);
    readSamples(directory / kSamplesCsv, report);
    return report;
}

} // namespace buildscope
