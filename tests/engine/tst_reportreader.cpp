#include "report/csvreader.h"
#include "report/reportreader.h"
#include "report/reportwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <sstream>

namespace buildscope {

namespace {

RunResult exampleResult()
{
    RunResult result;
    result.specName = "demo";
    result.specFile = "/tmp/demo/buildscope.yaml";
    result.context = "/tmp/demo";
    result.status = RunStatus::Succeeded;
    result.startedAt = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'700'000'000'123));
    result.endedAt = result.startedAt + std::chrono::milliseconds(4321);
    result.digest = "xxh3-128:v1:00112233445566778899aabbccddeeff";
    result.sampleHz = 20;
    result.labels = {{"branch", "main"}};
    result.treePeakRssBytes = 123456789;
    StepResult step;
    step.name = "compile, \"quoted\"";
    step.kind = StepKind::Run;
    step.status = StepStatus::Succeeded;
    step.startSeconds = 0.25;
    step.endSeconds = 3.5;
    step.exitCode = 0;
    step.userCpuSeconds = 2.5;
    step.peakRssBytes = 123456789;
    step.peakIsProcessTree = true;
    step.note = "multi\nline";
    result.steps = {step};
    PoolStatistics pool;
    pool.name = "io.4KiB";
    pool.classBytes = 4096;
    pool.acquires = 10;
    pool.hits = 7;
    pool.misses = 3;
    pool.releases = 10;
    result.pools = {pool};
    OperationStatistics op;
    op.name = "fingerprint";
    op.count = 1;
    op.wallTotalNs = 1'000'000;
    op.wallP50Ns = 1'000'000;
    op.wallP95Ns = 1'000'000;
    op.wallP99Ns = 1'000'000;
    op.allocations = 5;
    op.allocatedBytes = 500;
    result.operations = {op};
    return result;
}

std::filesystem::path writeExample(const QTemporaryDir& temporary, const char* name = "report")
{
    const std::filesystem::path directory = std::filesystem::path(temporary.path().toStdString()) / name;
    TimeSeriesStore store(std::vector<SeriesSpec> {{"engine_rss_bytes", "bytes"}, {"tree_rss_bytes", "bytes"}});
    for (int i = 0; i < 80; ++i) {
        const double values[] = {1000.0 + i, i % 3 ? 5000.0 * i : std::nan("")};
        store.append(i * 0.05, values);
    }
    writeRunReport(exampleResult(), store.snapshot(), directory);
    return directory;
}

std::string readAll(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeAll(const std::filesystem::path& file, const std::string& text)
{
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

std::string errorOf(const std::filesystem::path& directory)
{
    try {
        readRunReport(directory);
    } catch (const ReportError& error) {
        return error.what();
    }
    return {};
}

} // namespace

class TestReportReader : public QObject
{
    Q_OBJECT

private slots:
    void csvReaderHandlesQuotesAndLineBreaks()
    {
        std::istringstream in("a,\"b,c\",\"d\"\"e\"\r\n\"multi\nline\",,x\nlast,row,\"\"");
        CsvReader reader(in);
        QCOMPARE(*reader.next(), (std::vector<std::string> {"a", "b,c", "d\"e"}));
        QCOMPARE(*reader.next(), (std::vector<std::string> {"multi\nline", "", "x"}));
        QCOMPARE(reader.recordLine(), std::size_t {2});
        QCOMPARE(*reader.next(), (std::vector<std::string> {"last", "row", ""}));
        QCOMPARE(reader.recordLine(), std::size_t {4});
        QVERIFY(!reader.next());
    }

    void csvReaderRejectsBrokenQuoting_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("line");
        QTest::newRow("never closed") << "a,b\n\"open,\nmore" << 2;
        QTest::newRow("text after quote") << "a\n\"x\"y,z" << 2;
        QTest::newRow("quote inside field") << "ab\"c" << 1;
    }
    void csvReaderRejectsBrokenQuoting()
    {
        QFETCH(QString, text);
        QFETCH(int, line);
        std::istringstream in(text.toStdString());
        CsvReader reader(in);
        try {
            while (reader.next()) {
            }
            QFAIL("expected CsvError");
        } catch (const CsvError& error) {
            QCOMPARE(error.line(), static_cast<std::size_t>(line));
        }
    }

    void roundTripIsLossless()
    {
        QTemporaryDir temporary;
        const std::filesystem::path directory = writeExample(temporary);
        const LoadedReport report = readRunReport(directory);
        const RunResult& result = report.result;
        const RunResult expected = exampleResult();
        QCOMPARE(result.specName, expected.specName);
        QCOMPARE(result.status, expected.status);
        QCOMPARE(result.startedAt, expected.startedAt);
        QCOMPARE(result.endedAt, expected.endedAt);
        QCOMPARE(result.digest, expected.digest);
        QCOMPARE(result.labels, expected.labels);
        QCOMPARE(result.steps.size(), std::size_t {1});
        QCOMPARE(result.steps[0].name, expected.steps[0].name);
        QCOMPARE(result.steps[0].note, expected.steps[0].note);
        QCOMPARE(result.steps[0].peakRssBytes, expected.steps[0].peakRssBytes);
        QCOMPARE(result.steps[0].exitCode, expected.steps[0].exitCode);
        QCOMPARE(result.pools.size(), std::size_t {1});
        QCOMPARE(result.pools[0].hits, std::uint64_t {7});
        QCOMPARE(result.operations.size(), std::size_t {1});
        QCOMPARE(result.operations[0].wallP50Ns, std::uint64_t {1'000'000});
        QCOMPARE(report.samples.rows.size(), std::size_t {80});
        QCOMPARE(report.samples.series.size(), std::size_t {2});
        QVERIFY(std::isnan(report.samples.rows[0].values[1]));
        QCOMPARE(report.samples.rows[79].values[1], 5000.0 * 79);

        // Written again, the files are the same bytes.
        QTemporaryDir again;
        const std::filesystem::path second = std::filesystem::path(again.path().toStdString()) / "copy";
        writeRunReport(report.result, report.samples, second);
        for (const char* file : {kStepsCsv, kOperationsCsv, kPoolsCsv, kSamplesCsv})
            QCOMPARE(readAll(second / file), readAll(directory / file));
    }

    void corruptFilesNameFileAndLine_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("content"); // empty: truncate the file to half
        QTest::addColumn<QString>("expected");
        QTest::newRow("truncated samples") << kSamplesCsv << "" << "samples.csv:";
        QTest::newRow("bad number") << kPoolsCsv
                                    << "pool,class_bytes,acquires,hits,misses,releases,discards,hit_rate,"
                                       "retained_bytes,retained_high_water_bytes,max_retained_bytes\r\n"
                                       "io.4KiB,4096,ten,7,3,10,0,0.7,0,0,0\r\n"
                                    << "pools.csv:2: 'acquires' is not a number: \"ten\"";
        QTest::newRow("short row") << kPoolsCsv
                                   << "pool,class_bytes,acquires,hits,misses,releases,discards,hit_rate,"
                                      "retained_bytes,retained_high_water_bytes,max_retained_bytes\r\n"
                                      "io.4KiB,4096\r\n"
                                   << "pools.csv:2: expected 11 fields, found 2";
        QTest::newRow("broken json") << kRunJson << "{\n  \"format\": \"buildscope-run\",\n  oops\n}" << "run.json:3:";
        QTest::newRow("truncated json") << kRunJson << "" << "run.json:";
        QTest::newRow("wrong format") << kRunJson << "{\"format\": \"other\"}" << "not a BuildScope run report";
    }
    void corruptFilesNameFileAndLine()
    {
        QFETCH(QString, file);
        QFETCH(QString, content);
        QFETCH(QString, expected);
        QTemporaryDir temporary;
        const std::filesystem::path directory = writeExample(temporary);
        const std::filesystem::path target = directory / file.toStdString();
        const std::string original = readAll(target);
        writeAll(target, content.isEmpty() ? original.substr(0, original.size() / 2) + "\"" : content.toStdString());
        const std::string error = errorOf(directory);
        QVERIFY2(error.find(expected.toStdString()) != std::string::npos, error.c_str());
    }

    // Imports trust nothing: a forged or damaged run.json is refused with file and field.
    void forgedNumbersAreRefused_data()
    {
        QTest::addColumn<QString>("path"); // "steps/0/peak_rss_bytes" or "memory/heap_allocations"
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("negative peak") << "steps/0/peak_rss_bytes" << QJsonValue(-5.0)
                                       << "run.json: step 1: 'peak_rss_bytes' must be a whole number from 0 to";
        QTest::newRow("1e300 allocations") << "memory/heap_allocations" << QJsonValue(1e300)
                                           << "run.json: 'memory.heap_allocations' must be a whole number";
        QTest::newRow("text for a number") << "steps/0/cpu_user_s" << QJsonValue("fast")
                                           << "'cpu_user_s' must be a number from 0 to";
        QTest::newRow("fractional count") << "steps/0/engine_allocations" << QJsonValue(2.5)
                                          << "'engine_allocations' must be a whole number";
        QTest::newRow("unknown status") << "steps/0/status" << QJsonValue("exploded")
                                        << "'status' unknown value \"exploded\"";
        QTest::newRow("exit code 1000") << "steps/0/exit_code" << QJsonValue(1000.0)
                                        << "'exit_code' must be a whole number from 0 to 255";
        QTest::newRow("host cpus as text") << "host/cpus" << QJsonValue("eight") << "host: 'cpus' must be a whole number";
    }
    void forgedNumbersAreRefused()
    {
        QFETCH(QString, path);
        QFETCH(QJsonValue, value);
        QFETCH(QString, expected);
        QTemporaryDir temporary;
        const std::filesystem::path directory = writeExample(temporary);
        QJsonObject root = QJsonDocument::fromJson(QByteArray::fromStdString(readAll(directory / kRunJson))).object();
        const QStringList parts = path.split('/');
        if (parts[0] == "steps") {
            QJsonArray steps = root["steps"].toArray();
            QJsonObject step = steps[parts[1].toInt()].toObject();
            step[parts[2]] = value;
            steps[parts[1].toInt()] = step;
            root["steps"] = steps;
        } else {
            QJsonObject section = root[parts[0]].toObject();
            section[parts[1]] = value;
            root[parts[0]] = section;
        }
        writeAll(directory / kRunJson, QJsonDocument(root).toJson().toStdString());
        const std::string error = errorOf(directory);
        QVERIFY2(error.find(expected.toStdString()) != std::string::npos, error.c_str());
    }

    void missingDirectoryOrFile()
    {
        QVERIFY(errorOf("/nonexistent/report").find("/nonexistent/report") != std::string::npos);
        QTemporaryDir temporary;
        const std::filesystem::path directory = writeExample(temporary);
        std::filesystem::remove(directory / kPoolsCsv);
        QVERIFY(errorOf(directory).find("pools.csv") != std::string::npos);
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestReportReader)
#include "tst_reportreader.moc"
