#include "live/wireformat.h"

#include "report/fieldformats.h"
#include "report/reportwriter.h"
#include "report/runjson.h"
#include "run/recordfields.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>
#include <limits>

namespace buildscope::live {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QString text(const std::string& value)
{
    return QString::fromStdString(value);
}

QJsonValue number(double value)
{
    return std::isnan(value) ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
}

QString isoTime(std::chrono::system_clock::time_point time)
{
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

template<class Record>
QJsonArray recordArray(FieldList<Record> list, const std::vector<Record>& records)
{
    QJsonArray array;
    for (const Record& record : records)
        array.append(toJsonObject(list, record));
    return array;
}

QJsonObject encodeObject(const Hello& hello)
{
    QJsonObject object;
    object["type"] = "hello";
    object["protocol"] = kProtocolName;
    object["version"] = hello.version;
    object["engine_pid"] = static_cast<double>(hello.enginePid);
    object["buildscope"] = text(hello.buildscopeVersion);
    return object;
}

QJsonObject encodeObject(const RunHeader& run)
{
    QJsonObject object;
    object["type"] = "run";
    object["index"] = run.index;
    object["count"] = run.count;
    QJsonObject spec;
    spec["name"] = text(run.specName);
    spec["file"] = text(run.specFile);
    spec["context"] = text(run.context);
    spec["sample_hz"] = run.sampleHz;
    object["spec"] = spec;
    object["started_at"] = isoTime(run.startedAt);
    object["clock_origin_ns"] = static_cast<double>(run.clockOriginNs);
    QJsonObject labels;
    for (const auto& [key, value] : run.labels)
        labels[text(key)] = text(value);
    object["labels"] = labels;
    object["host"] = toJsonObject(hostFields(), run.host);
    QJsonArray steps;
    for (const StepResult& step : run.steps) {
        QJsonObject entry;
        entry["name"] = text(step.name);
        entry["type"] = stepKindName(step.kind);
        steps.append(entry);
    }
    object["steps"] = steps;
    QJsonArray seriesArray;
    for (const SeriesSpec& column : run.series) {
        QJsonObject entry;
        entry["name"] = text(column.name);
        entry["unit"] = text(column.unit);
        seriesArray.append(entry);
    }
    object["series"] = seriesArray;
    return object;
}

QJsonObject encodeObject(const Samples& samples)
{
    QJsonObject object;
    object["type"] = "samples";
    QJsonArray rows;
    for (std::size_t r = 0; r < samples.rows.size(); ++r) {
        QJsonArray row;
        row.append(samples.times[r]);
        for (double value : samples.rows[r])
            row.append(number(value));
        rows.append(row);
    }
    object["rows"] = rows;
    return object;
}

QJsonObject encodeObject(const StepUpdate& update)
{
    QJsonObject object;
    object["type"] = "step";
    object["index"] = static_cast<double>(update.index);
    object["step"] = toJsonObject(stepFields(), update.step);
    return object;
}

QJsonObject encodeObject(const LogBatch& batch)
{
    QJsonObject object;
    object["type"] = "log";
    QJsonArray entries;
    for (const LogEntry& entry : batch.entries) {
        QJsonObject line;
        line["seq"] = static_cast<double>(entry.sequence);
        line["t"] = entry.seconds;
        line["level"] = logLevelName(entry.level);
        line["stream"] = logStreamName(entry.stream);
        line["step"] = text(entry.step);
        // Build output need not be UTF-8: invalid bytes become U+FFFD here, as in a terminal.
        line["text"] = QString::fromUtf8(entry.text.data(), static_cast<qsizetype>(entry.text.size()));
        entries.append(line);
    }
    object["entries"] = entries;
    return object;
}

QJsonObject encodeObject(const Progress& progress)
{
    QJsonObject object;
    object["type"] = "progress";
    object["elapsed_s"] = progress.elapsedSeconds;
    object["current_step"] = progress.currentStep;
    object["step_start_s"] = progress.stepStartSeconds;
    return object;
}

QJsonObject encodeObject(const Pools& pools)
{
    QJsonObject object;
    object["type"] = "pools";
    object["pools"] = recordArray(poolFields(), pools.pools);
    return object;
}

QJsonObject encodeObject(const Operations& operations)
{
    QJsonObject object;
    object["type"] = "operations";
    object["operations"] = recordArray(operationFields(), operations.operations);
    return object;
}

QJsonObject encodeObject(const Processes& batch)
{
    QJsonObject object;
    object["type"] = "processes";
    object["processes"] = recordArray(processFields(), batch.processes);
    return object;
}

QJsonObject encodeObject(const Running& running)
{
    QJsonObject object;
    object["type"] = "running";
    object["processes"] = recordArray(processFields(), running.processes);
    return object;
}

QJsonObject encodeObject(const RunEnd& end)
{
    QJsonObject object;
    object["type"] = "end";
    object["run"] = runToJson(end.result);
    object["processes"] = recordArray(processFields(), end.result.processes);
    object["pools"] = recordArray(poolFields(), end.result.pools);
    object["operations"] = recordArray(operationFields(), end.result.operations);
    return object;
}

QJsonObject encodeObject(const Unknown& unknown)
{
    QJsonObject object;
    object["type"] = text(unknown.type);
    return object;
}

QJsonObject encodeObject(const Gap& gap)
{
    QJsonObject object;
    object["type"] = "gap";
    object["lines"] = static_cast<double>(gap.lines);
    return object;
}

QJsonObject encodeObject(const Bye& bye)
{
    QJsonObject object;
    object["type"] = "bye";
    object["exit_code"] = bye.exitCode;
    return object;
}

// --- decoding: every field checked, every fault a WireError naming the message and field ---

[[noreturn]] void fail(const QString& type, const std::string& why)
{
    throw WireError("'" + type.toStdString() + "' message: " + why);
}

QJsonValue require(const QJsonObject& object, const char* key, QJsonValue::Type type, const QString& messageType)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.type() != type)
        fail(messageType, std::string("missing or mistyped '") + key + "'");
    return value;
}

double wholeNumber(const QJsonObject& object, const char* key, double min, double max, const QString& type)
{
    const double value = require(object, key, QJsonValue::Double, type).toDouble();
    if (!(value >= min && value <= max) || std::trunc(value) != value)
        fail(type, std::string("'") + key + "' out of range");
    return value;
}

double seconds(const QJsonValue& value, const QString& type, const char* what)
{
    if (!value.isDouble() || !(value.toDouble() >= 0 && value.toDouble() <= kMaxSeconds))
        fail(type, std::string("'") + what + "' is not a time in seconds");
    return value.toDouble();
}

template<class Record>
std::vector<Record> records(const QJsonValue& value, FieldList<Record> list, const QString& type)
{
    if (!value.isArray())
        fail(type, "expected an array");
    std::vector<Record> result;
    for (const QJsonValue& item : value.toArray()) {
        if (!item.isObject())
            fail(type, "expected an array of objects");
        Record& record = result.emplace_back();
        if (const std::string error = fromJsonObject(list, item.toObject(), record); !error.empty())
            fail(type, error);
    }
    return result;
}

Message decodeHello(const QJsonObject& object, const QString& type)
{
    if (object.value("protocol").toString() != QLatin1String(kProtocolName))
        fail(type, "not a BuildScope live endpoint");
    Hello hello;
    hello.version = static_cast<int>(wholeNumber(object, "version", 0, 1e9, type));
    if (hello.version != kProtocolVersion)
        throw WireError("the engine speaks protocol version " + std::to_string(hello.version) + "; this viewer reads "
            + std::to_string(kProtocolVersion));
    hello.enginePid = static_cast<std::int64_t>(wholeNumber(object, "engine_pid", 0, 1e12, type));
    hello.buildscopeVersion = object.value("buildscope").toString().toStdString();
    return hello;
}

Message decodeRun(const QJsonObject& object, const QString& type)
{
    RunHeader run;
    run.index = static_cast<int>(wholeNumber(object, "index", 1, 1e6, type));
    run.count = static_cast<int>(wholeNumber(object, "count", 1, 1e6, type));
    if (run.index > run.count)
        fail(type, "'index' is above 'count'");
    const QJsonObject spec = require(object, "spec", QJsonValue::Object, type).toObject();
    run.specName = spec.value("name").toString().toStdString();
    run.specFile = spec.value("file").toString().toStdString();
    run.context = spec.value("context").toString().toStdString();
    run.sampleHz = spec.value("sample_hz").toDouble();
    if (!(run.sampleHz >= 0 && run.sampleHz <= 1000))
        fail(type, "'spec.sample_hz' out of range");
    const std::optional<std::chrono::system_clock::time_point> started
        = parseIsoTime(require(object, "started_at", QJsonValue::String, type).toString());
    if (!started)
        fail(type, "'started_at' is not an ISO 8601 time from 1678 to 2262");
    run.startedAt = *started;
    // The engine's steady clock in ns at sample time 0: positive and well inside int64.
    run.clockOriginNs = static_cast<std::int64_t>(wholeNumber(object, "clock_origin_ns", 0, 9e18, type));
    const QJsonObject labels = object.value("labels").toObject();
    for (auto it = labels.begin(); it != labels.end(); ++it)
        run.labels.emplace_back(it.key().toStdString(), it.value().toString().toStdString());
    if (const std::string error = fromJsonObject(hostFields(), object.value("host").toObject(), run.host);
        !error.empty())
        fail(type, "host: " + error);
    for (const QJsonValue& item : require(object, "steps", QJsonValue::Array, type).toArray()) {
        StepResult step;
        step.name = item.toObject().value("name").toString().toStdString();
        const std::optional<StepKind> kind = parseStepKind(item.toObject().value("type").toString().toStdString());
        if (!kind)
            fail(type, "a step of unknown type");
        step.kind = *kind;
        run.steps.push_back(std::move(step));
    }
    for (const QJsonValue& item : require(object, "series", QJsonValue::Array, type).toArray()) {
        const QJsonObject entry = item.toObject();
        if (!entry.value("name").isString() || entry.value("name").toString().isEmpty())
            fail(type, "a series without a name");
        run.series.push_back({entry.value("name").toString().toStdString(), entry.value("unit").toString().toStdString()});
    }
    return run;
}

Message decodeSamples(const QJsonObject& object, const QString& type)
{
    Samples samples;
    const QJsonArray rows = require(object, "rows", QJsonValue::Array, type).toArray();
    if (static_cast<std::size_t>(rows.size()) > kMaxRowsPerMessage)
        fail(type, "more than " + std::to_string(kMaxRowsPerMessage) + " rows");
    for (const QJsonValue& item : rows) {
        if (!item.isArray() || item.toArray().isEmpty())
            fail(type, "a row that is not a non-empty array");
        const QJsonArray row = item.toArray();
        samples.times.push_back(seconds(row[0], type, "time"));
        std::vector<double>& values = samples.rows.emplace_back();
        for (qsizetype i = 1; i < row.size(); ++i) {
            if (row[i].isNull())
                values.push_back(kNaN);
            else if (row[i].isDouble() && std::isfinite(row[i].toDouble()))
                values.push_back(row[i].toDouble());
            else
                fail(type, "a value that is neither a number nor null");
        }
    }
    return samples;
}

Message decodeStep(const QJsonObject& object, const QString& type)
{
    StepUpdate update;
    update.index = static_cast<std::size_t>(wholeNumber(object, "index", 0, 1e6, type));
    if (const std::string error
        = fromJsonObject(stepFields(), require(object, "step", QJsonValue::Object, type).toObject(), update.step);
        !error.empty())
        fail(type, error);
    return update;
}

Message decodeLog(const QJsonObject& object, const QString& type)
{
    LogBatch batch;
    const QJsonArray entries = require(object, "entries", QJsonValue::Array, type).toArray();
    if (static_cast<std::size_t>(entries.size()) > kMaxLogEntriesPerMessage)
        fail(type, "more than " + std::to_string(kMaxLogEntriesPerMessage) + " entries");
    for (const QJsonValue& item : entries) {
        const QJsonObject line = item.toObject();
        LogEntry entry;
        entry.sequence = static_cast<std::uint64_t>(wholeNumber(line, "seq", 0, kMaxExactCount, type));
        entry.seconds = seconds(line.value("t"), type, "t");
        const std::optional<LogLevel> level = parseLogLevel(line.value("level").toString().toStdString());
        const std::optional<LogStream> stream = parseLogStream(line.value("stream").toString().toStdString());
        if (!level || !stream)
            fail(type, "an entry of unknown level or stream");
        entry.level = *level;
        entry.stream = *stream;
        entry.step = line.value("step").toString().toStdString();
        entry.text = line.value("text").toString().toStdString();
        batch.entries.push_back(std::move(entry));
    }
    return batch;
}

Message decodeProgress(const QJsonObject& object, const QString& type)
{
    Progress progress;
    progress.elapsedSeconds = seconds(object.value("elapsed_s"), type, "elapsed_s");
    progress.currentStep = static_cast<int>(wholeNumber(object, "current_step", -1, 1e6, type));
    progress.stepStartSeconds = seconds(object.value("step_start_s"), type, "step_start_s");
    return progress;
}

Message decodeEnd(const QJsonObject& object, const QString& type)
{
    RunEnd end;
    try {
        end.result = runFromJson(require(object, "run", QJsonValue::Object, type).toObject(), "'end' message");
    } catch (const std::exception& error) {
        throw WireError(error.what());
    }
    end.result.pools = records(object.value("pools"), poolFields(), type);
    // Absent from engines before the process ledger; an empty ledger then.
    if (object.contains("processes"))
        end.result.processes = records(object.value("processes"), processFields(), type);
    end.result.operations = records(object.value("operations"), operationFields(), type);
    return end;
}

} // namespace

std::string encode(const Message& message)
{
    const QJsonObject object = std::visit([](const auto& m) { return encodeObject(m); }, message);
    QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact);
    line.append('\n');
    return line.toStdString();
}

Message decode(std::string_view line)
{
    if (!line.empty() && line.back() == '\n')
        line.remove_suffix(1);
    if (line.size() > kMaxLineBytes)
        throw WireError("a line of more than " + std::to_string(kMaxLineBytes) + " bytes");
    QJsonParseError error;
    const QJsonDocument document
        = QJsonDocument::fromJson(QByteArray(line.data(), static_cast<qsizetype>(line.size())), &error);
    if (error.error != QJsonParseError::NoError)
        throw WireError("not JSON: " + error.errorString().toStdString());
    if (!document.isObject())
        throw WireError("a line that is not a JSON object");
    const QJsonObject object = document.object();
    const QString type = object.value("type").toString();
    if (type == "hello")
        return decodeHello(object, type);
    if (type == "run")
        return decodeRun(object, type);
    if (type == "samples")
        return decodeSamples(object, type);
    if (type == "step")
        return decodeStep(object, type);
    if (type == "log")
        return decodeLog(object, type);
    if (type == "progress")
        return decodeProgress(object, type);
    if (type == "pools")
        return Pools {records(object.value("pools"), poolFields(), type)};
    if (type == "operations")
        return Operations {records(object.value("operations"), operationFields(), type)};
    if (type == "processes") {
        Processes batch {records(object.value("processes"), processFields(), type)};
        if (batch.processes.size() > kMaxProcessesPerMessage)
            fail(type, "more than " + std::to_string(kMaxProcessesPerMessage) + " processes");
        return batch;
    }
    if (type == "running") {
        Running running {records(object.value("processes"), processFields(), type)};
        if (running.processes.size() > kMaxProcessesPerMessage)
            fail(type, "more than " + std::to_string(kMaxProcessesPerMessage) + " processes");
        return running;
    }
    if (type == "end")
        return decodeEnd(object, type);
    if (type == "gap") {
        Gap gap;
        gap.lines = static_cast<std::uint64_t>(wholeNumber(object, "lines", 1, 9007199254740992.0, type));
        return gap;
    }
    if (type == "bye") {
        Bye bye;
        bye.exitCode = static_cast<int>(wholeNumber(object, "exit_code", 0, 255, type));
        return bye;
    }
    if (type.isEmpty())
        throw WireError("a message without a 'type'");
    return Unknown {type.toStdString()};
}

} // namespace buildscope::live
