#include "run/units.h"
#include "report/csvwriter.h"
#include "report/reportwriter.h"

#include <QtTest>
#include <cmath>
#include <fstream>
#include <sstream>

namespace buildscope {

namespace {

// A strict RFC 4180 reader for checking what the writer produced.
std::vector<std::vector<std::string>> parseCsv(const std::string& text)
{
    std::vector<std::vector<std::string>> rows(1);
    std::string field;
    bool quoted = false;
    bool fieldStarted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field.push_back('"');
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field.push_back(c);
            }
        } else if (c == '"' && !fieldStarted) {
            quoted = fieldStarted = true;
        } else if (c == ',') {
            rows.back().push_back(field);
            field.clear();
            fieldStarted = false;
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            rows.back().push_back(field);
            field.clear();
            fieldStarted = false;
            rows.emplace_back();
            ++i;
        } else {
            field.push_back(c);
            fieldStarted = true;
        }
    }
    if (rows.back().empty() && field.empty())
        rows.pop_back();
    return rows;
}

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

RunResult sampleResult()
{
    RunResult result;
    result.specName = "demo";
    result.specFile = "/tmp/demo/buildscope.yaml";
    result.context = "/tmp/demo";
    result.status = RunStatus::Failed;
    result.failure = "step 'link, \"final\"' failed";
    result.startedAt = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
    result.endedAt = result.startedAt + std::chrono::milliseconds(2500);
    result.sampleHz = 20;
    result.labels = {{"commit", "abc123"}};
    StepResult compile;
    compile.name = "compile";
    compile.kind = StepKind::Run;
    compile.status = StepStatus::Succeeded;
    compile.startSeconds = 0.5;
    compile.endSeconds = 1.5;
    compile.exitCode = 0;
    compile.peakRssBytes = 400u * 1024 * 1024;
    compile.peakIsProcessTree = true;
    StepResult link;
    link.name = "link, \"final\"";
    link.kind = StepKind::Run;
    link.status = StepStatus::Failed;
    link.startSeconds = 1.5;
    link.endSeconds = 2.0;
    link.exitCode = 1;
    link.note = "exit status 1\nsecond line";
    StepResult never;
    never.name = "never";
    never.status = StepStatus::NotRun;
    result.steps = {compile, link, never};
    PoolStatistics used;
    used.name = "io.4KiB";
    used.classBytes = 4096;
    used.acquires = 4;
    used.hits = 3;
    used.misses = 1;
    used.releases = 4;
    PoolStatistics idle;
    idle.name = "tar.64KiB";
    idle.classBytes = 65536;
    result.pools = {used, idle};
    OperationStatistics op;
    op.name = "fingerprint";
    op.count = 2;
    op.wallTotalNs = 3'000'000;
    op.wallP50Ns = 1'500'000;
    result.operations = {op};
    return result;
}

} // namespace

class TestReportWriter : public QObject
{
    Q_OBJECT

private slots:
    void csvQuotingFollowsRfc4180()
    {
        std::ostringstream out;
        CsvWriter csv(out);
        csv.field("plain").field("comma,inside").field("quote\"inside").field("line\nbreak").field(1.5);
        csv.field(std::nan("")).field(std::uint64_t {42}).endRow();
        QCOMPARE(out.str(), std::string("plain,\"comma,inside\",\"quote\"\"inside\",\"line\nbreak\",1.5,,42\r\n"));
        const auto rows = parseCsv(out.str());
        QCOMPARE(rows.size(), std::size_t {1});
        QCOMPARE(rows[0][2], std::string("quote\"inside"));
        QCOMPARE(rows[0][3], std::string("line\nbreak"));
    }

    void numbersRoundTrip()
    {
        std::ostringstream out;
        CsvWriter(out).field(0.1).field(123456789.125).field(1e-9).endRow();
        const auto rows = parseCsv(out.str());
        QCOMPARE(std::stod(rows[0][0]), 0.1);
        QCOMPARE(std::stod(rows[0][1]), 123456789.125);
        QCOMPARE(std::stod(rows[0][2]), 1e-9);
    }

    void reportDirectoryHoldsAllFilesThatParseBack()
    {
        QTemporaryDir temporary;
        const std::filesystem::path directory = std::filesystem::path(temporary.path().toStdString()) / "report";
        TimeSeriesStore store({{"engine_rss_bytes", "bytes"}, {"tree_rss_bytes", "bytes"}});
        for (int i = 0; i <= 50; ++i) {
            const double tree = i >= 10 && i < 30 ? 1000.0 * i : std::nan("");
            const double values[] = {100.0 + i, tree};
            store.append(i * 0.05, values);
        }
        const RunResult result = sampleResult();
        writeRunReport(result, store.snapshot(), directory);

        for (const char* file : {kRunJson, kSamplesCsv, kStepsCsv, kOperationsCsv, kPoolsCsv})
            QVERIFY2(std::filesystem::exists(directory / file), file);

        QJsonParseError error;
        const QJsonDocument json
            = QJsonDocument::fromJson(QByteArray::fromStdString(readFile(directory / kRunJson)), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonObject root = json.object();
        QCOMPARE(root["format"].toString(), QString("buildscope-run"));
        QCOMPARE(root["status"].toString(), QString("failed"));
        QCOMPARE(root["duration_s"].toDouble(), 2.5);
        QCOMPARE(root["started_at"].toString(), QString("2023-11-14T22:13:20.000Z"));
        QCOMPARE(root["labels"].toObject()["commit"].toString(), QString("abc123"));
        QCOMPARE(root["steps"].toArray().size(), 3);
        QCOMPARE(root["steps"].toArray()[0].toObject()["peak_rss_bytes"].toDouble(), 400.0 * 1024 * 1024);
        QVERIFY(root["versions"].toObject().contains("libarchive"));

        const auto samples = parseCsv(readFile(directory / kSamplesCsv));
        QCOMPARE(samples.size(), std::size_t {52}); // header + 51 samples
        QCOMPARE(samples[0],
            (std::vector<std::string> {"time_s", "time_utc", "bucket_s", "samples", "step", "engine_rss_bytes",
                "tree_rss_bytes", "tree_rss_bytes_max", "engine_rss_bytes_max"}));
        for (std::size_t row = 1; row < samples.size(); ++row)
            QCOMPARE(samples[row].size(), samples[0].size());
        QCOMPARE(samples[1][6], std::string()); // NaN: no process tree -> empty cell
        QCOMPARE(std::stod(samples[12][6]), 11000.0);
        QCOMPARE(samples[12][4], std::string("compile")); // t = 0.55 s lies in compile [0.5, 1.5]
        // Absolute times beside the run's clock: started 2023-11-14T22:13:20Z, sample 12 at 0.55 s.
        QCOMPARE(samples[12][1], std::string("2023-11-14T22:13:20.550Z"));

        const auto steps = parseCsv(readFile(directory / kStepsCsv));
        QCOMPARE(steps.size(), std::size_t {4}); // header, 3 steps
        QCOMPARE(steps[0].back(), std::string("end_utc"));
        const auto column = [&](const char* name) {
            return static_cast<std::size_t>(std::find(steps[0].begin(), steps[0].end(), name) - steps[0].begin());
        };

        QCOMPARE(steps[2][0], std::string("link, \"final\""));
        QCOMPARE(steps[2][column("note")], std::string("exit status 1\nsecond line"));
        QCOMPARE(steps[3][2], std::string("not-run"));
        // A step that did not run has no measurements: empty cells, never a "0 B" peak.
        QCOMPARE(steps[3][column("peak_rss_bytes")], std::string());
        QCOMPARE(steps[3][column("wall_s")], std::string());
        for (const auto& row : steps)
            QCOMPARE(row.size(), steps[0].size());

        const auto operations = parseCsv(readFile(directory / kOperationsCsv));
        QCOMPARE(operations.size(), std::size_t {2}); // header, 1 operation
        QCOMPARE(operations[0][0], std::string("name"));

        const auto pools = parseCsv(readFile(directory / kPoolsCsv));
        QCOMPARE(pools.size(), std::size_t {3});
        QCOMPARE(std::stod(pools[1][7]), 0.75);
        QCOMPARE(pools[2][7], std::string()); // no acquires: hit rate n/a, never 0
    }

    void unwritableDirectoryIsNamed()
    {
        QTemporaryDir temporary;
        const std::filesystem::path file = std::filesystem::path(temporary.path().toStdString()) / "a-file";
        std::ofstream(file) << "x";
        TimeSeriesStore store(std::vector<SeriesSpec> {{"x", "count"}});
        try {
            writeRunReport(sampleResult(), store.snapshot(), file / "report");
            QFAIL("expected ReportError");
        } catch (const ReportError& error) {
            QVERIFY2(std::string(error.what()).find("a-file") != std::string::npos, error.what());
        }
    }

    void unitsAreHumanReadable()
    {
        QCOMPARE(formatBytes(512), std::string("512 B"));
        QCOMPARE(formatBytes(4096), std::string("4.00 KiB"));
        QCOMPARE(formatBytes(400.0 * 1024 * 1024), std::string("400.0 MiB"));
        QCOMPARE(formatBytes(std::nan("")), std::string("n/a"));
        QCOMPARE(formatDuration(0.0123), std::string("12.3 ms"));
        QCOMPARE(formatDuration(4.561), std::string("4.56 s"));
        QCOMPARE(formatDuration(185), std::string("3m 05s"));
        // Padding counts terminal columns, not bytes: "µ" is two bytes, one column.
        QCOMPARE(padToColumns("158 \u00b5s", 8, true), std::string("  158 \u00b5s"));
        QCOMPARE(padToColumns("ab", 4), std::string("ab  "));
        QCOMPARE(padToColumns("abcdef", 4), std::string("abcdef"));
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestReportWriter)
#include "tst_reportwriter.moc"
