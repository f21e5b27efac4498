// `buildscope run` under faults a user meets: a step that floods its output before it
// fails, a closed terminal (SIGHUP), the engine killed with SIGKILL. Nothing measured is
// lost, nothing is left running.
#include "clisupport.h"
#include "history/runhistory.h"

#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

using namespace clisupport;

namespace buildscope {

class TestCliRun : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString spec(const QString& name, const QByteArray& steps)
    {
        const QString path = m_dir.filePath(name);
        writeFile(path, "version: 1\nname: run-faults\ncontext: .\nsample_hz: 50\nsteps:\n" + steps);
        return path;
    }

private slots:
    void initTestCase() { qputenv("BUILDSCOPE_LIVE_DIR", m_dir.filePath("live").toUtf8()); }

    // 30,000 lines and then the line that says what went wrong: the console shows every
    // line, the summary repeats the failed step's last lines, log.txt has them all.
    void aFloodOfOutputNeverHidesTheErrorLine()
    {
        const QString path = spec("flood.yaml",
            "  - name: flood\n"
            "    run: \"i=0; while [ $i -lt 30000 ]; do echo line $i; i=$((i+1)); done; "
            "echo 'FATAL: the error line'; exit 1\"\n");
        const QString report = m_dir.filePath("flood-report");
        for (const char* progress : {"plain", "none"}) {
            const CliResult result
                = runCli({"run", path, "--no-store", "--progress", progress, "--report", report});
            QCOMPARE(result.exitCode, 1);
            if (QByteArray(progress) == "plain") {
                QVERIFY(result.err.contains("[flood] line 0\n"));
                QVERIFY(result.err.contains("[flood] line 29999\n"));
                QVERIFY(result.err.contains("[flood] FATAL: the error line"));
                QVERIFY(result.err.contains("run failed"));
            } else {
                QVERIFY(!result.err.contains("line 0\n"));
            }
            // The summary on stdout names the failure and shows its last lines.
            QVERIFY2(result.out.contains("run 'run-faults' failed"), qPrintable(result.out.left(2000)));
            QVERIFY(result.out.contains("last 20 lines of 'flood':"));
            QVERIFY(result.out.contains("    FATAL: the error line"));
        }
        QFile log(report + "/log.txt");
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray text = log.readAll();
        QCOMPARE(text.count("[flood] line "), 30000);
        QVERIFY(text.contains("[flood] FATAL: the error line"));
    }

    // A closed terminal or SSH session: the run stops as for Ctrl-C, with its report.
    void hangupIsAnInterrupt()
    {
        const QByteArray marker = "sleep 62.831";
        const QString path = spec("hangup.yaml", "  - name: long\n    run: " + marker + "\n");
        const QString report = m_dir.filePath("hangup-report");
        QProcess process;
        process.start(BUILDSCOPE_CLI, {"run", path, "--no-store", "--report", report, "--progress", "plain"});
        QVERIFY(process.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(!noProcessWith(marker), 10000);
        QTest::qWait(300);
        ::kill(static_cast<pid_t>(process.processId()), SIGHUP);
        QVERIFY(process.waitForFinished(15000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 130);
        QVERIFY(noProcessWith(marker));
        const QJsonObject run = readJson(report + "/run.json");
        QCOMPARE(run["status"].toString(), QString("cancelled"));
        QFile samples(report + "/samples.csv");
        QVERIFY(samples.open(QIODevice::ReadOnly));
        QVERIFY(samples.readAll().count('\n') > 5);
    }

    // Two sets of runs around a change that makes one compile 30 % hungrier: compare flags
    // that compile's key, and no other command's.
    void compareNamesTheCompileThatGrew()
    {
        const QString tools = m_dir.filePath("tools");
        QDir().mkpath(tools);
        QFile::remove(tools + "/cc1plus");
        QVERIFY(QFile::copy(FAKECOMPILER, tools + "/cc1plus"));
        QFile::setPermissions(tools + "/cc1plus", QFile::ReadOwner | QFile::ExeOwner);
        QDir().mkpath(m_dir.filePath("src"));
        QDir().mkpath(m_dir.filePath("obj"));
        auto buildSpec = [&](const QString& name, int parserMib) {
            const QByteArray compile = tools.toUtf8() + "/cc1plus";
            return spec(name,
                "  - name: build\n    run: \"" + compile + " -DMIB=20 src/lexer.cpp -o obj/lexer.o && " + compile
                    + " -DMIB=" + QByteArray::number(parserMib) + " src/parser.cpp -o obj/parser.o && " + compile
                    + " -DMIB=12 src/main.cpp -o obj/main.o\"\n");
        };
        const QString base = buildSpec("grew-base.yaml", 40);
        const QString candidate = buildSpec("grew-candidate.yaml", 52); // +30 %
        const QString store = m_dir.filePath("grew.sqlite");
        for (const auto& [path, side] : {std::pair {base, "base"}, {candidate, "candidate"}}) {
            const CliResult result = runCli({"run", path, "--repeat", "6", "--store", store, "--label",
                QString("side=") + side, "--progress", "none"});
            QCOMPARE(result.exitCode, 0);
        }
        const CliResult gate = runCli({"compare", "label:side=base", "label:side=candidate", "--store", store,
            "--fail-on-regression", "--metrics", "peak_rss_bytes"});
        QCOMPARE(gate.exitCode, 1);
        QStringList flagged;
        for (const QString& line : gate.out.split('\n')) {
            if (line.contains("REGRESSION") && line.startsWith("process/"))
                flagged << line.section(' ', 0, 0);
        }
        QVERIFY2(gate.out.contains("process/cc1plus src/parser.cpp -> obj/parser.o"), qPrintable(gate.out));
        QCOMPARE(flagged.size(), 1);
        QVERIFY2(flagged.front().startsWith("process/cc1plus"), qPrintable(gate.out));
        const QString row = gate.out.section("process/cc1plus src/parser.cpp", 1).section('\n', 0, 0);
        QVERIFY2(row.contains("REGRESSION"), qPrintable(gate.out));
    }

    // The gate with too few runs fails, saying how many it needs; --repeat into a report
    // folder that held a longer repeat leaves no stale run-N behind.
    void aGateThatCannotTellFails()
    {
        const QString path = spec("few.yaml", "  - name: hog\n    run: " MEMHOG " 8 50\n");
        const QString reports = m_dir.filePath("few-reports");
        QCOMPARE(runCli({"run", path, "--repeat", "5", "--no-store", "--progress", "none", "--report", reports})
                     .exitCode,
            0);
        const CliResult again
            = runCli({"run", path, "--repeat", "3", "--no-store", "--progress", "none", "--report", reports});
        QCOMPARE(again.exitCode, 0);
        QVERIFY2(again.err.contains("removed") && again.err.contains("run-5"), qPrintable(again.err));
        QVERIFY(!QFileInfo::exists(reports + "/run-4") && !QFileInfo::exists(reports + "/run-5"));

        CliResult gate = runCli({"compare", reports, reports, "--fail-on-regression"});
        QCOMPARE(gate.exitCode, 1);
        QVERIFY2(gate.err.contains("cannot tell with 3 + 3 runs") && gate.err.contains("needs 4 successful runs"),
            qPrintable(gate.err));
        QVERIFY(gate.out.contains("the same runs"));
        gate = runCli({"compare", reports, reports, "--fail-on-regression", "--allow-unknown"});
        QCOMPARE(gate.exitCode, 0);
    }

    // A report imported twice is one run; `import A BAD C` imports nothing and says why.
    void importsAreCheckedFirstAndNeverDoubled()
    {
        const QString path = spec("import.yaml", "  - name: hello\n    run: echo hello\n");
        const QString reports = m_dir.filePath("import-reports");
        QCOMPARE(runCli({"run", path, "--repeat", "2", "--no-store", "--progress", "none", "--report", reports})
                     .exitCode,
            0);
        const QString store = m_dir.filePath("import.sqlite");
        const QString bad = m_dir.filePath("not-a-report");
        QDir().mkpath(bad);
        writeFile(bad + "/run.json", "{\"format\": \"buildscope-run\", \"format_version\": 2, \"oops\": ");

        CliResult result
            = runCli({"history", "import", reports + "/run-1", bad, reports + "/run-2", "--store", store});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("not-a-report/run.json") && result.err.contains("nothing was imported"),
            qPrintable(result.err));
        QCOMPARE(RunHistory(store.toStdString()).list().size(), std::size_t {0});

        result = runCli({"history", "import", reports + "/run-1", reports + "/run-2", "--store", store});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out.count("imported as run"), 2);
        result = runCli({"history", "import", reports + "/run-1", "--store", store});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.contains("is already stored as run"), qPrintable(result.out));
        QCOMPARE(RunHistory(store.toStdString()).list().size(), std::size_t {2});
    }

    // kill -9 of the engine: its build dies with it, and the stored run keeps its step,
    // its samples up to the last second and a peak (here: a process holding 60 MiB).
    void killedEngineKeepsItsStepAndPeak()
    {
        const QString store = m_dir.filePath("killed.sqlite");
        const QString path = spec("killed.yaml", "  - name: hog\n    run: " MEMHOG " 60 30000\n");
        QProcess process;
        process.start(BUILDSCOPE_CLI, {"run", path, "--store", store, "--progress", "none"});
        QVERIFY(process.waitForStarted());
        QTest::qWait(3500); // the recorder flushes about every 2 s
        ::kill(static_cast<pid_t>(process.processId()), SIGKILL);
        QVERIFY(process.waitForFinished(5000));
        QTRY_VERIFY_WITH_TIMEOUT(noProcessWith(MEMHOG " 60 30000"), 5000); // the build did not outlive it

        RunHistory history(store.toStdString());
        const std::vector<RunRecord> runs = history.list();
        QCOMPARE(runs.size(), std::size_t {1});
        QCOMPARE(runs[0].status, std::string("interrupted"));
        QVERIFY2(runs[0].treePeakRssBytes >= 55u * 1024 * 1024, std::to_string(runs[0].treePeakRssBytes).c_str());
        const LoadedReport loaded = history.load(runs[0].id);
        QCOMPARE(loaded.result.steps.size(), std::size_t {1});
        QCOMPARE(loaded.result.steps[0].name, std::string("hog"));
        QVERIFY(loaded.result.steps[0].peakRssBytes >= 55u * 1024 * 1024);
        QVERIFY(loaded.result.steps[0].endSeconds >= 2.0);
        QVERIFY(loaded.samples.rows.size() >= 2);
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestCliRun)
#include "tst_clirun.moc"
