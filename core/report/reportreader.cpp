#include "report/reportreader.h"

#include "io/boundedfile.h"
#include "io/decimalnumber.h"
#include "report/csvreader.h"
#include "report/fieldformats.h"
#include "report/reportwriter.h"
#include "report/runjson.h"
#include "run/recordfields.h"

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
// processes.csv: a row per process of the build, about 300 bytes; a build of 100,000
// processes (a large tree with its shells) writes about 30 MB.
constexpr std::uint64_t kMaxProcessesCsvBytes = 256 * 1024 * 1024;

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
    const auto [end, error] = io::parseDouble(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        fail(table.file, table.lines[row], "'" + table.header[column] + "' is not a number: '" + text + "'");
    return value;
}

// A sampled value: empty (no value), or a number from 0 to 2^53 (every series is a size
// or a count; anything else is a damaged or forged file).
double measurement(const CsvTable& table, std::size_t row, std::size_t column)
{
    const double value = number(table, row, column);
    if (!std::isnan(value) && !(value >= 0 && value <= kMaxExactCount))
        fail(table.file, table.lines[row], "'" + table.header[column] + "' must be empty or a number from 0 to 2^53, got '"
            + table.rows[row][column] + "'");
    return value;
}

std::uint64_t count(const CsvTable& table, std::size_t row, std::size_t column)
{
    const double value = number(table, row, column);
    if (std::isnan(value) || value < 0)
        return 0;
    return saturated<std::uint64_t>(value);
}

// Reads every row of `table` into records through their field list; names file, line
// and column of the first bad cell.
template<class Record>
std::vector<Record> readRecords(const CsvTable& table, FieldList<Record> list)
{
    std::vector<std::pair<const Field<Record>*, std::size_t>> columns;
    for (const Field<Record>& field : list) {
        if (!field.derived())
            columns.emplace_back(&field, table.column(field.name));
    }
    std::vector<Record> records;
    for (std::size_t row = 0; row < table.rows.size(); ++row) {
        Record& record = records.emplace_back();
        for (const auto& [field, column] : columns) {
            FieldValue value;
            std::string error = fields::parseText(field->type, table.rows[row][column], value);
            if (error.empty())
                error = field->set(record, value);
            if (!error.empty())
                fail(table.file, table.lines[row], "'" + table.header[column] + "' " + error);
        }
    }
    return records;
}

// A run-level counter of run.json: a whole number from 0 to 2^53.
std::uint64_t jsonCount(const std::filesystem::path& file, const QJsonObject& object, const char* section, const char* key)
{
    FieldValue value;
    std::string error = fromJsonValue(object.value(QLatin1String(key)), value);
    std::uint64_t count = 0;
    if (error.empty())
        error = fields::toUnsigned(value, kMaxExactCount, count);
    if (!error.empty())
        fail(file, 0, std::string("'") + section + "." + key + "' " + error);
    return count;
}

std::chrono::system_clock::time_point parseTime(const QString& text, bool& ok)
{
    const std::optional<std::chrono::system_clock::time_point> time = parseIsoTime(text);
    ok = time.has_value();
    return time.value_or(std::chrono::system_clock::time_point());
}

void readRunJson(const std::filesystem::path& file, RunResult& result, int& formatVersion)
{
    const std::string text = readInput(file, kMaxRunJsonBytes, "a report file");
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(text), &error);
    if (error.error != QJsonParseError::NoError) {
        const auto offset = static_cast<std::size_t>(std::max(0, error.offset));
        const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min(offset, text.size())), '\n'));
        fail(file, line, "invalid JSON: " + error.errorString().toStdString());
    }
    result = runFromJson(document.object(), file.string(), &formatVersion);
}

} // namespace

std::optional<std::chrono::system_clock::time_point> parseIsoTime(const QString& text)
{
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    // system_clock counts nanoseconds in 64 bits: years 1678 to 2262 (fuzz/fuzz_runjson
    // and fuzz/fuzz_wireformat found the overflow).
    constexpr qint64 kLimitMs = std::numeric_limits<std::int64_t>::max() / 1'000'000;
    if (!time.isValid() || std::abs(time.toMSecsSinceEpoch()) >= kLimitMs)
        return std::nullopt;
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(time.toMSecsSinceEpoch()));
}

RunResult runFromJson(const QJsonObject& root, const std::string& source, int* formatVersionOut)
{
    RunResult result;
    const std::filesystem::path file = source;
    if (root["format"].toString() != "buildscope-run")
        fail(file, 0, "not a BuildScope run report (\"format\" is not \"buildscope-run\")");
    const int formatVersion = root["format_version"].toInt();
    if (formatVersion < 1 || formatVersion > kRunReportFormatVersion)
        fail(file, 0, "unsupported format_version " + std::to_string(formatVersion) + " (this BuildScope reads 1 to "
            + std::to_string(kRunReportFormatVersion) + ")");
    if (formatVersionOut)
        *formatVersionOut = formatVersion;

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
    if (!(result.sampleHz >= 0 && result.sampleHz <= 1000))
        fail(file, 0, "'spec.sample_hz' must be a number from 0 to 1000");

    const std::string status = requireString(root, "status");
    const std::optional<RunStatus> runStatus = parseRunStatus(status);
    if (!runStatus)
        fail(file, 0, "unknown status '" + status + "'");
    result.status = *runStatus;
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

    if (const std::string problem = fromJsonObject(hostFields(), root["host"].toObject(), result.host); !problem.empty())
        fail(file, 0, "host: " + problem);

    const QJsonObject labels = root["labels"].toObject();
    for (auto it = labels.begin(); it != labels.end(); ++it)
        result.labels.emplace_back(it.key().toStdString(), it.value().toString().toStdString());

    const QJsonObject memory = root["memory"].toObject();
    auto count = [&](const char* key) { return jsonCount(file, memory, "memory", key); };
    result.enginePeakRssBytes = count("engine_peak_rss_bytes");
    result.treePeakRssBytes = count("tree_peak_rss_bytes");
    result.heap.installed = memory["heap_tracking"].toBool();
    result.heapPeakLiveBytes = static_cast<std::int64_t>(count("heap_peak_live_bytes"));
    result.heap.peakLiveBytes = result.heapPeakLiveBytes;
    result.heap.liveBytes = static_cast<std::int64_t>(count("heap_live_bytes_at_end"));
    result.heap.totals.allocations = count("heap_allocations");
    result.heap.totals.frees = count("heap_frees");
    result.heap.totals.bytesAllocated = count("heap_allocated_bytes");

    if (!root["steps"].isArray())
        fail(file, 0, "missing or non-array 'steps'");
    for (const QJsonValue& value : root["steps"].toArray()) {
        StepResult step;
        if (const std::string problem = fromJsonObject(stepFields(), value.toObject(), step); !problem.empty())
            fail(file, 0, "step " + std::to_string(result.steps.size() + 1) + ": " + problem);
        result.steps.push_back(std::move(step));
    }
    return result;
}

namespace {

// Format 2: one row per step in steps.csv (the steps themselves come from run.json).
void checkStepsCsv(const std::filesystem::path& file, const RunResult& result)
{
    const std::vector<StepResult> steps = readRecords(readCsv(file, kMaxTableCsvBytes), stepFields());
    if (steps.size() != result.steps.size())
        fail(file, 0,
            "lists " + std::to_string(steps.size()) + " steps but run.json has " + std::to_string(result.steps.size()));
}

// Format 1 kept operations in steps.csv, as rows of type "operation" with times in seconds.
void readVersion1Operations(const std::filesystem::path& file, RunResult& result)
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
    // A duration in seconds: empty (none) or 0 .. 2^53 ns; anything else is a damaged file.
    auto ns = [&](std::size_t row, std::size_t column) -> std::uint64_t {
        const double seconds = number(table, row, column);
        if (std::isnan(seconds))
            return 0;
        if (!(seconds >= 0 && seconds * 1e9 <= kMaxExactCount))
            fail(table.file, table.lines[row], "'" + table.header[column] + "' must be empty or a duration from 0 to 2^53 ns, got '"
                + table.rows[row][column] + "'");
        return static_cast<std::uint64_t>(std::llround(seconds * 1e9));
    };
    for (std::size_t row = 0; row < table.rows.size(); ++row) {
        if (table.rows[row][type] != "operation") {
            ++stepRows;
            continue;
        }
        OperationStatistics op;
        op.name = table.rows[row][name];
        op.count = count(table, row, countColumn);
        op.wallTotalNs = ns(row, wall);
        op.wallP50Ns = ns(row, p50);
        op.wallP95Ns = ns(row, p95);
        op.wallP99Ns = ns(row, p99);
        op.cpuTimedCount = std::isnan(number(table, row, cpu)) ? 0 : op.count;
        op.cpuTotalNs = ns(row, cpu);
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
    result.pools = readRecords(table, poolFields());
    for (std::size_t row = 0; row < result.pools.size(); ++row) {
        const PoolStatistics& pool = result.pools[row];
        if (pool.hits + pool.misses != pool.acquires)
            fail(file, table.lines[row], "pool '" + pool.name + "': hits + misses != acquires");
    }
}

void readSamples(const std::filesystem::path& file, LoadedReport& report)
{
    const CsvTable table = readCsv(file, kMaxSamplesCsvBytes);
    // Format 2 has time_utc after time_s (derived from the run's start: not read back).
    static const std::vector<std::string> leading1 {"time_s", "bucket_s", "samples", "step"};
    static const std::vector<std::string> leading2 {"time_s", "time_utc", "bucket_s", "samples", "step"};
    auto startsWith = [&](const std::vector<std::string>& leading) {
        return table.header.size() >= leading.size() && std::equal(leading.begin(), leading.end(), table.header.begin());
    };
    if (!startsWith(leading1) && !startsWith(leading2))
        fail(file, 1, "the header must start with time_s,time_utc,bucket_s,samples,step");
    const std::vector<std::string>& leading = startsWith(leading2) ? leading2 : leading1;
    const std::size_t bucketColumn = startsWith(leading2) ? 2 : 1;
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
        sample.bucketSeconds = number(table, row, bucketColumn);
        sample.samples = count(table, row, bucketColumn + 1);
        sample.step = table.rows[row][bucketColumn + 2];
        for (std::size_t column : valueColumns)
            sample.values.push_back(measurement(table, row, column));
        for (std::size_t column : maxColumns)
            sample.maxima.push_back(measurement(table, row, column));
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
    int formatVersion = 0;
    readRunJson(directory / kRunJson, report.result, formatVersion);
    if (formatVersion == 1) {
        readVersion1Operations(directory / kStepsCsv, report.result);
    } else {
        checkStepsCsv(directory / kStepsCsv, report.result);
        report.result.operations = readRecords(readCsv(directory / kOperationsCsv, kMaxTableCsvBytes), operationFields());
        // A report written before the process ledger existed has no processes.csv.
        if (std::filesystem::exists(directory / kProcessesCsv))
            report.result.processes = readRecords(readCsv(directory / kProcessesCsv, kMaxProcessesCsvBytes), processFields());
    }
    readPools(directory / kPoolsCsv, report.result);
    readSamples(directory / kSamplesCsv, report);
    return report;
}

} // namespace buildscope
