// End-to-end tests of the `buildscope` CLI: exit codes, messages and reports, run as a
// user would run it.
#include <QtTest>
#include <csignal>

#include "clisupport.h"

using namespace clisupport;

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString spec(const QString& name, const QByteArray& steps)
    {
        const QString path = m_dir.filePath(name);
        writeFile(path, "version: 1\nname: cli-test\ncontext: .\nsample_hz: 50\nsteps:\n" + steps);
        return path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        writeFile(m_dir.filePath("input.txt"), "some input\n");
    }

    void usageErrorsExitWithTwo()
    {
        CliResult result = runCli({});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains("usage:"));
        result = runCli({"frobnicate"});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains("unknown command 'frobnicate'"));
        result = runCli({"run", "x.yaml", "--bogus"});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains("unknown option '--bogus'"));
        result = runCli({"run", "x.yaml", "--progress", "fancy"});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains("tty, plain or none"));
    }

    void helpAndVersion()
    {
        QCOMPARE(runCli({"--help"}).exitCode, 0);
        const CliResult version = runCli({"--version"});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith("buildscope "));
        QVERIFY(version.out.contains("libarchive"));
    }

    void missingAndBrokenSpecsNameTheFile()
    {
        CliResult result = runCli({"validate", m_dir.filePath("missing.yaml")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("missing.yaml"), qPrintable(result.err));

        result = runCli({"validate", m_dir.path()}); // a directory is not a spec
        QCOMPARE(result.exitCode, 2);

        const QString broken = m_dir.filePath("broken.yaml");
        writeFile(broken, "version: 1\nname: x\nsteps:\n  - name: a\n    run: [unclosed\n");
        result = runCli({"validate", broken});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("broken.yaml:"), qPrintable(result.err));

        result = runCli({"run", broken, "--progress", "none"});
        QCOMPARE(result.exitCode, 2);
    }

    void validSpecValidates()
    {
        const QString path = spec("ok.yaml", "  - name: hello\n    run: echo hello\n");
        const CliResult result = runCli({"validate", path});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.contains("valid"), qPrintable(result.out));
    }

    void successfulRunWritesAReport()
    {
        const QString path = spec("good.yaml",
            "  - name: fingerprint\n    checksum: {}\n  - name: hello\n    run: cat input.txt && echo done\n");
        const QString report = m_dir.filePath("report-ok");
        const CliResult result = runCli({"run", path, "--report", report, "--progress", "plain", "--label", "k=v"});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.err.contains("[hello] some input"), qPrintable(result.err));
        QVERIFY(result.out.contains("succeeded"));
        const QJsonObject run = readJson(report + "/run.json");
        QCOMPARE(run["status"].toString(), QString("succeeded"));
        QVERIFY(run["digest"].toString().startsWith("xxh3-128:v1:"));
        QCOMPARE(run["labels"].toObject()["k"].toString(), QString("v"));
        for (const char* file : {"samples.csv", "steps.csv", "pools.csv"})
            QVERIFY2(QFile::exists(report + "/" + file), file);
    }

    void failedStepExitsWithOneAndStillReports()
    {
        const QString path = spec("fail.yaml", "  - name: boom\n    run: exit 7\n  - name: never\n    run: 'true'\n");
        const QString report = m_dir.filePath("report-fail");
        const CliResult result = runCli({"run", path, "--report", report, "--progress", "none"});
        QCOMPARE(result.exitCode, 1);
        const QJsonObject run = readJson(report + "/run.json");
        QCOMPARE(run["status"].toString(), QString("failed"));
        QCOMPARE(run["steps"].toArray()[0].toObject()["exit_code"].toInt(), 7);
        QCOMPARE(run["steps"].toArray()[1].toObject()["status"].toString(), QString("not-run"));
    }

    void unwritableReportDirectoryIsRefusedBeforeRunning()
    {
        const QString path = spec("marker.yaml", "  - name: touch\n    run: touch ran.marker\n");
        const CliResult result
            = runCli({"run", path, "--report", m_dir.filePath("input.txt") + "/report", "--progress", "none"});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("input.txt"), qPrintable(result.err));
        QVERIFY(!QFile::exists(m_dir.filePath("ran.marker")));
    }

    void interruptCancelsKillsChildrenAndKeepsTheReport()
    {
        const QByteArray marker = "sleep 61.803"; // an unusual duration marks the step's process
        const QString path = spec("long.yaml", "  - name: long\n    run: " + marker + "\n");
        const QString report = m_dir.filePath("report-cancel");
        QProcess process;
        process.start(BUILDSCOPE_CLI, {"run", path, "--report", report, "--progress", "plain"});
        QVERIFY(process.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(!noProcessWith(marker), 10000);
        QTest::qWait(300); // let the sampler record the running step
        ::kill(static_cast<pid_t>(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(15000));
        QCOMPARE(process.exitCode(), 130);
        QVERIFY(noProcessWith(marker));
        const QJsonObject run = readJson(report + "/run.json");
        QCOMPARE(run["status"].toString(), QString("cancelled"));
        QCOMPARE(run["steps"].toArray()[0].toObject()["status"].toString(), QString("cancelled"));
        QFile samples(report + "/samples.csv");
        QVERIFY(samples.open(QIODevice::ReadOnly));
        QVERIFY(samples.readAll().count('\n') > 5); // the samples taken before the interrupt
    }

    void compareGatesOnAMemoryRegression()
    {
        // Five runs holding 60 MiB, five holding 80 MiB (+33 %), five more at 60 MiB.
        const QString store = m_dir.filePath("gate.sqlite");
        const QString base = spec("gate-base.yaml", "  - name: hog\n    run: " MEMHOG " 60 150\n");
        const QString candidate = spec("gate-candidate.yaml", "  - name: hog\n    run: " MEMHOG " 80 150\n");
        for (const auto& [path, side] : {std::pair {base, "base"}, {candidate, "candidate"}, {base, "again"}}) {
            const CliResult result = runCli({"run", path, "--repeat", "5", "--store", store, "--label",
                QString("side=") + side, "--progress", "none"});
            QCOMPARE(result.exitCode, 0);
            QVERIFY2(result.out.contains("stored as run"), qPrintable(result.out));
        }
        // The gate names memory metrics only: the runs' timings drift with the machine's load.
        const QString memory = "peak_rss_bytes,tree_peak_rss_bytes";
        CliResult gate = runCli({"compare", "label:side=base", "label:side=candidate", "--store", store,
            "--fail-on-regression", "--metrics", memory});
        QCOMPARE(gate.exitCode, 1);
        QVERIFY2(!gate.out.contains("wall_s") && !gate.out.contains("cpu_s"), qPrintable(gate.out));
        QVERIFY2(gate.out.startsWith("verdict: FAIL"), qPrintable(gate.out));
        // The per-metric table (its header line starts with the metric's name): the step first.
        const QString peakRow = gate.out.section("\npeak_rss_bytes", 1).section('\n', 1, 1);
        QVERIFY2(peakRow.startsWith("hog") && peakRow.contains("REGRESSION"), qPrintable(gate.out));
        // 5 + 5 fully separated runs: p = 0.008 exactly, or 0.012 when equal peaks make ties.
        const double p = peakRow.section("(p=", 1).section(' ', 0, 0).toDouble();
        QVERIFY2(p > 0.005 && p < 0.02, qPrintable(peakRow));

        const CliResult unchanged = runCli({"compare", "label:side=base", "label:side=again", "--store", store,
            "--fail-on-regression", "--metrics", memory});
        QCOMPARE(unchanged.exitCode, 0);
        QVERIFY2(unchanged.out.contains("0 regressions"), qPrintable(unchanged.out));

        const CliResult json
            = runCli({"compare", "label:side=base", "label:side=candidate", "--store", store, "--format", "json"});
        QCOMPARE(json.exitCode, 0); // without --fail-on-regression
        const QJsonObject document = QJsonDocument::fromJson(json.out.toUtf8()).object();
        QVERIFY(document["regressions"].toInt() >= 1);
        QCOMPARE(document["base_runs"].toInt(), 5);

        const CliResult bad = runCli({"compare", "label:side=nobody", "last", "--store", store});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("side=nobody"), qPrintable(bad.err));

        const CliResult badMetric
            = runCli({"compare", "last", "last", "--store", store, "--metrics", "peak_rss_bytes,peak_rss"});
        QCOMPARE(badMetric.exitCode, 2);
        QVERIFY2(badMetric.err.contains("'peak_rss'") && badMetric.err.contains("tree_peak_rss_bytes"),
            qPrintable(badMetric.err));
    }

    void reportDirectoriesCompareAndImport()
    {
        const QString path = spec("twice.yaml", "  - name: hello\n    run: echo hello\n");
        const QString reports = m_dir.filePath("twice");
        QCOMPARE(
            runCli({"run", path, "--repeat", "2", "--report", reports, "--no-store", "--progress", "none"}).exitCode,
            0);
        QVERIFY(QFile::exists(reports + "/run-1/run.json"));
        QVERIFY(QFile::exists(reports + "/run-2/run.json"));
        const CliResult compared = runCli({"compare", reports, reports + "/run-1"});
        QCOMPARE(compared.exitCode, 0);
        QVERIFY(compared.out.contains("too few runs to tell"));

        // import -> export gives back the same CSV files.
        const QString store = m_dir.filePath("import.sqlite");
        const CliResult imported = runCli({"history", "import", reports + "/run-1", "--store", store});
        QCOMPARE(imported.exitCode, 0);
        const QString id = imported.out.section("as run ", 1).trimmed();
        const QString exported = m_dir.filePath("exported-run");
        QCOMPARE(runCli({"history", "export", id, "--report", exported, "--store", store}).exitCode, 0);
        for (const char* file : {"samples.csv", "steps.csv", "pools.csv"}) {
            QFile a(reports + "/run-1/" + file);
            QFile b(exported + "/" + file);
            QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
            QCOMPARE(b.readAll(), a.readAll());
        }
        const CliResult listed = runCli({"history", "list", "--store", store});
        QVERIFY(listed.out.contains("twice") || listed.out.contains("cli-test"));
        QCOMPARE(runCli({"history", "delete", id, "--store", store}).exitCode, 0);
        QCOMPARE(runCli({"history", "show", id, "--store", store}).exitCode, 2);
    }

    void corruptStoreIsNeverOverwritten()
    {
        const QString store = m_dir.filePath("corrupt.sqlite");
        const QByteArray garbage(8192, 'x');
        writeFile(store, garbage);
        const QString path = spec("store.yaml", "  - name: hello\n    run: 'true'\n");
        const CliResult result = runCli({"run", path, "--store", store, "--progress", "none"});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("corrupt.sqlite"), qPrintable(result.err));
        QFile file(store);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), garbage);
    }

    void checksumAndTar()
    {
        const QString context = m_dir.filePath("ctx");
        QVERIFY(QDir().mkpath(context + "/sub"));
        writeFile(context + "/a.txt", "alpha\n");
        writeFile(context + "/sub/b.txt", "beta\n");

        CliResult result = runCli({"checksum", context});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.startsWith("xxh3-128:v1:"));
        const QString digest = result.out.section(' ', 0, 0);

        result = runCli({"checksum", context, "--json"});
        QCOMPARE(result.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(result.out.toUtf8()).object();
        QCOMPARE(json["digest"].toString(), digest);
        QCOMPARE(json["files"].toInt(), 2);

        result = runCli({"checksum", m_dir.filePath("no-such-dir")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains("no-such-dir"));

        const QString tar = m_dir.filePath("ctx.tar");
        result = runCli({"tar", context, "-o", tar});
        QCOMPARE(result.exitCode, 0);
        QProcess list;
        list.start("tar", {"-tf", tar});
        QVERIFY(list.waitForFinished());
        const QString listing = QString::fromUtf8(list.readAllStandardOutput());
        QVERIFY2(listing.contains("sub/b.txt"), qPrintable(listing));

        result = runCli({"tar", context});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains("-o"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
