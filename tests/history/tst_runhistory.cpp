#include "history/historyschema.h"
#include "history/runhistory.h"
#include "historyfixture.h"
#include "report/reportreader.h"
#include "report/reportwriter.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cstdlib>

namespace buildscope {

using namespace testing;

namespace {

std::filesystem::path tempPath(const QTemporaryDir& directory, const char* name = "history.sqlite")
{
    return std::filesystem::path(directory.path().toStdString()) / name;
}

std::string errorOf(const std::function<void()>& action)
{
    try {
        action();
    } catch (const HistoryError& error) {
        return error.what();
    }
    return "no HistoryError";
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

std::vector<std::int64_t> ids(const std::vector<RunRecord>& records)
{
    std::vector<std::int64_t> result;
    for (const RunRecord& record : records)
        result.push_back(record.id);
    return result;
}

// A finished run of `spec` started at `startMs`, with `labels`, imported as a report.
std::int64_t importRun(RunHistory& history, const std::string& spec, std::int64_t startMs,
    std::vector<std::pair<std::string, std::string>> labels, RunStatus status = RunStatus::Succeeded)
{
    LoadedReport report;
    report.result = realisticResult(spec);
    report.result.startedAt = at(startMs);
    report.result.endedAt = at(startMs + 1500);
    report.result.labels = std::move(labels);
    report.result.status = status;
    report.samples = sampleRows(0, 30);
    return history.importReport(report);
}

QJsonObject runJsonWithoutVersions(const std::filesystem::path& directory)
{
    QJsonObject object = QJsonDocument::fromJson(QByteArray::fromStdString(readAll(directory / kRunJson))).object();
    object.remove(QStringLiteral("versions"));
    return object;
}

class EnvironmentOverride
{
public:
    EnvironmentOverride(const char* name, const char* value)
        : m_name(name)
    {
        if (const char* old = std::getenv(name))
            m_old = old;
        if (value)
            ::setenv(name, value, 1);
        else
            ::unsetenv(name);
    }
    ~EnvironmentOverride()
    {
        if (m_old)
            ::setenv(m_name, m_old->c_str(), 1);
        else
            ::unsetenv(m_name);
    }
    EnvironmentOverride(const EnvironmentOverride&) = delete;
    EnvironmentOverride& operator=(const EnvironmentOverride&) = delete;

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

} // namespace

class TestRunHistory : public QObject
{
    Q_OBJECT

private slots:
    void createsStoreWithSchemaAndWal()
    {
        QTemporaryDir temporary;
        const std::filesystem::path file
            = std::filesystem::path(temporary.path().toStdString()) / "a" / "b" / "history.sqlite";
        {
            RunHistory history(file);
            QCOMPARE(history.file(), file);
            QVERIFY(!history.isReadOnly());
            QVERIFY(history.list().empty());
        }
        QVERIFY(std::filesystem::is_regular_file(file));
        QCOMPARE(rawScalar(file, QStringLiteral("SELECT value FROM meta WHERE key = 'schema_version'")).toInt(),
            kHistorySchemaVersion);
        QCOMPARE(rawScalar(file, QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
        QCOMPARE(rawScalar(file, QStringLiteral("PRAGMA auto_vacuum")).toInt(), 2); // incremental
        // Opening again migrates nothing and keeps the data.
        RunHistory again(file);
        QVERIFY(again.list().empty());
    }

    void recordsLiveThenFinishes()
    {
        QTemporaryDir temporary;
        RunHistory history(tempPath(temporary));
        const auto started = at(1'700'000'000'000);
        const std::int64_t id = history.beginRun(exampleSpec(), {{"git.commit", "abc"}, {"mode", "ci"}}, started);

        // The row exists at once, running, with this host and the labels.
        std::vector<RunRecord> runs = history.list();
        QCOMPARE(runs.size(), std::size_t {1});
        QCOMPARE(runs[0].id, id);
        QCOMPARE(runs[0].status, std::string("running"));
        QCOMPARE(runs[0].specName, std::string("demo"));
        QCOMPARE(runs[0].specFile, std::filesystem::path("/work/demo/buildscope.yaml"));
        QCOMPARE(runs[0].hostname, HostInfo::current().hostname);
        QCOMPARE(runs[0].startedAt, started);
        QCOMPARE(
            runs[0].labels, (std::vector<std::pair<std::string, std::string>> {{"git.commit", "abc"}, {"mode", "ci"}}));

        // Live flushes append.
        history.appendSamples(id, sampleRows(0, 25));
        history.appendSamples(id, sampleRows(25, 0)); // an empty flush is fine
        history.appendSamples(id, sampleRows(25, 30));
        LoadedReport live = history.load(id);
        QCOMPARE(live.result.status, RunStatus::Running);
        QCOMPARE(dump(live.samples), dump(sampleRows(0, 55)));
        QCOMPARE(live.result.host.hostname, HostInfo::current().hostname);
        // Duration so far: up to the end of the last sample.
        const double lastEnd = sampleRows(54, 1).rows[0].seconds;
        QCOMPARE(history.list()[0].durationSeconds, lastEnd);
        QVERIFY(live.result.steps.empty());

        // Another connection to the same file sees the run as running, not interrupted:
        // this process is alive.
        {
            RunHistory other(history.file());
            QCOMPARE(other.list()[0].status, std::string("running"));
        }

        // Finishing replaces the samples with the final table, adds labels (a key given
        // again takes the new value) and keeps the last 2000 log entries.
        RunResult result = realisticResult();
        result.startedAt = started;
        result.endedAt = started + std::chrono::milliseconds(6886);
        result.labels = {{"mode", "nightly"}, {"commit", "abc123"}};
        result.steps[1].systemCpuSeconds = kNaN; // NaN survives a REAL column (stored as NULL)
        SampleTable finalSamples = sampleRows(0, 120);
        finalSamples.rows[3].bucketSeconds = kNaN;
        history.finishRun(id, result, finalSamples, logEntries(2500));

        runs = history.list();
        QCOMPARE(runs[0].status, std::string("failed"));
        QCOMPARE(runs[0].durationSeconds, 6.886);
        QCOMPARE(runs[0].treePeakRssBytes, result.treePeakRssBytes);
        QCOMPARE(runs[0].hostname, std::string("builder-1")); // the result's host wins
        QCOMPARE(runs[0].labels,
            (std::vector<std::pair<std::string, std::string>> {
                {"git.commit", "abc"}, {"mode", "nightly"}, {"commit", "abc123"}}));

        const LoadedReport loaded = history.load(id);
        RunResult expected = result;
        expected.labels = runs[0].labels;
        QCOMPARE(dump(loaded.result), dump(expected));
        QCOMPARE(dump(loaded.samples), dump(finalSamples));
        QVERIFY(loaded.directory.empty());

        const std::vector<LogEntry> tail = history.logTail(id);
        QCOMPARE(tail.size(), RunHistory::kMaxLogTailEntries);
        const std::vector<LogEntry> entries = logEntries(2500);
        for (std::size_t i = 0; i < tail.size(); ++i) {
            const LogEntry& want = entries[500 + i];
            QCOMPARE(tail[i].sequence, want.sequence);
            QCOMPARE(tail[i].seconds, want.seconds);
            QCOMPARE(tail[i].level, want.level);
            QCOMPARE(tail[i].stream, want.stream);
            QCOMPARE(tail[i].step, want.step);
            QCOMPARE(tail[i].text, want.text); // bytes, not UTF-8
        }

        // A recorded run exports as a report that reads back.
        QTemporaryDir exported;
        const std::filesystem::path directory = std::filesystem::path(exported.path().toStdString()) / "run";
        history.exportRun(id, directory);
        const LoadedReport reread = readRunReport(directory);
        QCOMPARE(reread.result.steps.size(), result.steps.size());
        QCOMPARE(reread.result.status, RunStatus::Failed);
        QCOMPARE(reread.samples.rows.size(), finalSamples.rows.size());
    }

    // A long run: 16,384 raw rows plus buckets, flushed live for a while, then finished in
    // one transaction.
    // A store written by BuildScope 0.1 (schema 1) is migrated in place and reads back:
    // step columns renamed to their field names, a skipped step keeps its times, an
    // unrun step has no measurements.
    void migratesASchemaOneStore()
    {
        QTemporaryDir temporary;
        const std::filesystem::path file = std::filesystem::path(temporary.path().toStdString()) / "store.sqlite";
        std::filesystem::copy_file(FIXTURES "/store-v1.sqlite", file);
        RunHistory history(file);
        QCOMPARE(rawScalar(file, QStringLiteral("SELECT value FROM meta WHERE key = 'schema_version'")).toInt(),
            kHistorySchemaVersion);
        const LoadedReport loaded = history.load(1);
        const RunResult& run = loaded.result;
        QCOMPARE(run.specName, std::string("v1-fixture"));
        QCOMPARE(run.status, RunStatus::Failed);
        QCOMPARE(run.steps.size(), std::size_t {4});
        QCOMPARE(run.steps[0].name, std::string("hello"));
        QCOMPARE(run.steps[0].kind, StepKind::Run);
        QVERIFY(run.steps[0].peakIsProcessTree);
        QVERIFY(run.steps[0].peakRssBytes > 0);
        QCOMPARE(run.steps[1].status, StepStatus::Skipped);
        QCOMPARE(run.steps[1].kind, StepKind::Container);
        QVERIFY(run.steps[1].endSeconds > run.steps[1].startSeconds);
        QCOMPARE(run.steps[2].exitCode, std::optional<int>(1));
        QCOMPARE(run.steps[3].status, StepStatus::NotRun);
        QCOMPARE(run.steps[3].peakRssBytes, std::uint64_t {0});
        QVERIFY(!run.pools.empty());
        QCOMPARE(run.label("side"), std::string("base"));
        QVERIFY(!loaded.samples.rows.empty());
    }

    void storesALongRun()
    {
        QTemporaryDir temporary;
        RunHistory history(tempPath(temporary));
        const std::int64_t id = history.beginRun(exampleSpec(), {}, at(1000));
        QElapsedTimer timer;
        timer.start();
        for (std::size_t flush = 0; flush < 60; ++flush)
            history.appendSamples(id, sampleRows(flush * 20, 20));
        const qint64 flushes = timer.restart();
        const SampleTable rows = sampleRows(0, 20000);
        history.finishRun(id, realisticResult(), rows, logEntries(20000));
        const qint64 finish = timer.restart();
        const LoadedReport report = history.load(id);
        const qint64 load = timer.elapsed();
        QCOMPARE(report.samples.rows.size(), std::size_t {20000});
        QCOMPARE(dump(report.samples), dump(rows));
        qInfo("60 flushes of 20 rows: %lld ms; finish with 20000 rows: %lld ms; load: %lld ms", flushes, finish, load);
    }

    void recordingRefusesMisuse()
    {
        QTemporaryDir temporary;
        RunHistory history(tempPath(temporary));
        const std::string file = history.file().string();
        const std::int64_t id = history.beginRun(exampleSpec(), {}, at(1000));

        std::string error = errorOf([&] { history.appendSamples(9999, sampleRows(0, 2)); });
        QVERIFY2(contains(error, file + ": there is no run 9999"), error.c_str());

        history.appendSamples(id, sampleRows(0, 2));
        SampleTable other = sampleRows(2, 2);
        other.series[0].name = "renamed";
        error = errorOf([&] { history.appendSamples(id, other); });
        QVERIFY2(contains(error, "sample columns differ"), error.c_str());

        RunResult stillRunning = realisticResult();
        stillRunning.status = RunStatus::Running;
        error = errorOf([&] { history.finishRun(id, stillRunning, sampleRows(0, 2), {}); });
        QVERIFY2(contains(error, "still running"), error.c_str());

        history.finishRun(id, realisticResult(), sampleRows(0, 2), {});
        error = errorOf([&] { history.finishRun(id, realisticResult(), sampleRows(0, 2), {}); });
        QVERIFY2(contains(error, "already finished (failed)"), error.c_str());
        error = errorOf([&] { history.appendSamples(id, sampleRows(2, 1)); });
        QVERIFY2(contains(error, "is failed; samples can only be added while it runs"), error.c_str());

        error = errorOf([&] { history.load(4242); });
        QVERIFY2(contains(error, file + ": there is no run 4242"), error.c_str());
        error = errorOf([&] { history.logTail(4242); });
        QVERIFY2(contains(error, "there is no run 4242"), error.c_str());
        error = errorOf([&] { history.exportRun(4242, "/nonexistent/never-written"); });
        QVERIFY2(contains(error, "there is no run 4242"), error.c_str());
        QVERIFY(!std::filesystem::exists("/nonexistent/never-written"));
    }

    void listFiltersAndOrders()
    {
        QTemporaryDir temporary;
        RunHistory history(tempPath(temporary));
        const std::int64_t a = importRun(history, "alpha", 3000, {{"branch", "main"}, {"ci", "yes"}});
        const std::int64_t b = importRun(history, "beta", 1000, {{"branch", "main"}});
        const std::int64_t c = importRun(history, "alpha", 5000, {{"branch", "dev"}}, RunStatus::Cancelled);
        const std::int64_t d = importRun(history, "alpha", 2000, {{"branch", "main"}, {"ci", "no"}});

        // Newest first by start time, whatever the insertion order.
        QCOMPARE(ids(history.list()), (std::vector<std::int64_t> {c, a, d, b}));
        QCOMPARE(ids(history.list({.specName = "alpha"})), (std::vector<std::int64_t> {c, a, d}));
        QCOMPARE(ids(history.list({.labels = {{"branch", "main"}}})), (std::vector<std::int64_t> {a, d, b}));
        QCOMPARE(ids(history.list({.labels = {{"branch", "main"}, {"ci", "yes"}}})), (std::vector<std::int64_t> {a}));
        QCOMPARE(ids(history.list({.status = "cancelled"})), (std::vector<std::int64_t> {c}));
        QCOMPARE(ids(history.list({.status = "succeeded", .limit = 2})), (std::vector<std::int64_t> {a, d}));
        QCOMPARE(ids(history.list({.specName = "alpha", .labels = {{"branch", "main"}}, .limit = 1})),
            (std::vector<std::int64_t> {a}));
        QVERIFY(history.list({.specName = "gamma"}).empty());
        QVERIFY(history.list({.labels = {{"branch", "none"}}}).empty());

        const RunRecord record = history.list({.specName = "beta"}).at(0);
        QCOMPARE(record.status, std::string("succeeded"));
        QCOMPARE(record.durationSeconds, 1.5);
        QCOMPARE(record.hostname, std::string("builder-1"));
        QCOMPARE(record.treePeakRssBytes, std::uint64_t {427718656});
        QCOMPARE(record.labels, (std::vector<std::pair<std::string, std::string>> {{"branch", "main"}}));
    }

    void selectors()
    {
        QTemporaryDir temporary;
        RunHistory history(tempPath(temporary));
        const std::int64_t a = importRun(history, "alpha", 3000, {{"branch", "main"}});
        const std::int64_t b = importRun(history, "beta", 1000, {{"branch", "main"}});
        const std::int64_t c = importRun(history, "alpha", 5000, {{"branch", "dev"}, {"k", "a=b"}});

        QCOMPARE(history.select(std::to_string(b)), (std::vector<std::int64_t> {b}));
        QCOMPARE(history.select("label:branch=main"), (std::vector<std::int64_t> {a, b}));
        QCOMPARE(history.select("label:k=a=b"), (std::vector<std::int64_t> {c})); // the first '=' splits
        QCOMPARE(history.select("spec:alpha"), (std::vector<std::int64_t> {c, a}));
        QCOMPARE(history.select("last"), (std::vector<std::int64_t> {c}));
        QCOMPARE(history.select("last:2"), (std::vector<std::int64_t> {c, a}));
        QCOMPARE(history.select("last:10"), (std::vector<std::int64_t> {c, a, b})); // as many as there are

        const std::string file = history.file().string();
        for (const char* selector : {"", "label:", "label:=x", "label:branch", "spec:", "last:", "last:0", "last:x",
                 "last:-1", "last:+2", "bogus", "-1", "4x", "99999999999999999999999"}) {
            const std::string error = errorOf([&] { history.select(selector); });
            QVERIFY2(contains(error, file + ": bad run selector '" + selector + "'"), error.c_str());
            QVERIFY2(contains(error, "expected a run id, label:KEY=VALUE, spec:NAME, last or last:N"), error.c_str());
        }
        for (const char* selector : {"12345", "label:branch=none", "label:none=main", "spec:gamma"}) {
            const std::string error = errorOf([&] { history.select(selector); });
            QVERIFY2(contains(error, file + ": run selector '" + selector + "' matches no run"), error.c_str());
        }

        // An empty store: "last" matches nothing.
        QTemporaryDir empty;
        RunHistory none(tempPath(empty));
        QVERIFY(contains(errorOf([&] { none.select("last"); }), "run selector 'last' matches no run"));
    }

    // import(readRunReport(dir)) then export gives the same CSV bytes and the same run.json
    // apart from the versions block.
    void importExportRoundTripIsLossless()
    {
        QTemporaryDir temporary;
        const std::filesystem::path root(temporary.path().toStdString());
        const RunResult original = realisticResult();
        const SampleTable samples = sampleRows(0, 300);
        writeRunReport(original, samples, root / "original");
        const LoadedReport report = readRunReport(root / "original");

        RunHistory history(root / "history.sqlite");
        const std::int64_t id = history.importReport(report);
        QCOMPARE(history.list()[0].status, std::string("failed"));
        const LoadedReport loaded = history.load(id);
        QCOMPARE(dump(loaded.result), dump(report.result));
        QCOMPARE(dump(loaded.samples), dump(report.samples));

        history.exportRun(id, root / "exported");
        for (const char* file : {kSamplesCsv, kStepsCsv, kPoolsCsv}) {
            const std::string before = readAll(root / "original" / file);
            QVERIFY(!before.empty());
            QVERIFY2(before == readAll(root / "exported" / file), file);
        }
        QCOMPARE(runJsonWithoutVersions(root / "exported"), runJsonWithoutVersions(root / "original"));
        // The samples really hold empty cells, quoted steps and a pool without acquires.
        const std::string csv = readAll(root / "exported" / kSamplesCsv);
        QVERIFY(contains(csv, ",,"));
        QVERIFY(contains(csv, "\"compile, \"\"fast\"\"\nmode\""));
        QVERIFY(contains(readAll(root / "exported" / kPoolsCsv), "io.64KiB,65536,0,0,0,0,0,,"));

        // And once more through the store: still the same bytes.
        const std::int64_t again = history.importReport(readRunReport(root / "exported"));
        history.exportRun(again, root / "twice");
        for (const char* file : {kSamplesCsv, kStepsCsv, kPoolsCsv})
            QVERIFY2(readAll(root / "original" / file) == readAll(root / "twice" / file), file);
    }

    void deleteRemovesEverything()
    {
        QTemporaryDir temporary;
        const std::filesystem::path file = tempPath(temporary);
        std::int64_t keep = 0;
        std::int64_t gone = 0;
        {
            RunHistory history(file);
            keep = importRun(history, "keep", 1000, {{"a", "1"}});
            gone = history.beginRun(exampleSpec("gone"), {{"a", "2"}}, at(2000));
            history.appendSamples(gone, sampleRows(0, 10));
            history.finishRun(gone, realisticResult("gone"), sampleRows(0, 50), logEntries(10));
            history.deleteRun(gone);
            QCOMPARE(ids(history.list()), (std::vector<std::int64_t> {keep}));
            const std::string error = errorOf([&] { history.deleteRun(gone); });
            QVERIFY2(contains(error, "there is no run " + std::to_string(gone)), error.c_str());
            QVERIFY(contains(errorOf([&] { history.select(std::to_string(gone)); }), "matches no run"));
            // Ids are never reused.
            QVERIFY(importRun(history, "next", 3000, {}) > gone);
        }
        for (const char* table : {"labels", "steps", "operations", "pools", "sample_columns", "samples", "log_tail"}) {
            const int rows = rawScalar(
                file, QStringLiteral("SELECT count(*) FROM %1 WHERE run_id = %2").arg(QLatin1String(table)).arg(gone))
                                 .toInt();
            QVERIFY2(rows == 0, table);
        }
        QCOMPARE(rawScalar(file, QStringLiteral("PRAGMA foreign_key_check")), QVariant());
    }

    void instancesShareAFileAndMove()
    {
        QTemporaryDir temporary;
        RunHistory first(tempPath(temporary));
        RunHistory second(tempPath(temporary));
        const std::int64_t id = first.beginRun(exampleSpec(), {}, at(1000));
        second.appendSamples(id, sampleRows(0, 3));
        QCOMPARE(first.load(id).samples.rows.size(), std::size_t {3});

        RunHistory moved(std::move(first));
        QCOMPARE(moved.list().size(), std::size_t {1});
        RunHistory assigned(tempPath(temporary, "other.sqlite"));
        assigned = std::move(moved);
        QCOMPARE(assigned.file(), tempPath(temporary));
        QCOMPARE(assigned.list().size(), std::size_t {1});
    }

    void defaultPathHonoursOverrideAndAppData()
    {
        QTemporaryDir temporary;
        {
            EnvironmentOverride store("BUILDSCOPE_STORE", "/srv/buildscope/runs.sqlite");
            QCOMPARE(RunHistory::defaultPath(), std::filesystem::path("/srv/buildscope/runs.sqlite"));
        }
        EnvironmentOverride store("BUILDSCOPE_STORE", nullptr);
        EnvironmentOverride data("XDG_DATA_HOME", temporary.path().toUtf8().constData());
        const QString organization = QCoreApplication::organizationName();
        const QString application = QCoreApplication::applicationName();
        QCoreApplication::setOrganizationName(QStringLiteral("BuildScope"));
        QCoreApplication::setApplicationName(QStringLiteral("BuildScope"));
        const std::filesystem::path path = RunHistory::defaultPath();
        QCoreApplication::setOrganizationName(organization);
        QCoreApplication::setApplicationName(application);
        QCOMPARE(path,
            std::filesystem::path(temporary.path().toStdString()) / "BuildScope" / "BuildScope" / "history.sqlite");
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestRunHistory)
#include "tst_runhistory.moc"
