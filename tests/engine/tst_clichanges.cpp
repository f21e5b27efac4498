// `buildscope history changes` end to end: a store whose compile step's memory jumps at a
// known commit (runs imported from reports, measured out of commit order) names that
// commit in every format; bad input exits 2 naming the value.
#include "clisupport.h"
#include "report/reportwriter.h"
#include "syntheticruns.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace clisupport;

namespace buildscope {

namespace {

constexpr int kCommits = 14;
constexpr int kJump = 8; // the first commit with the larger compile

std::string commitHash(int commit)
{
    char text[41];
    std::snprintf(text, sizeof text, "%08x%032x", 0xc0ffee00u + static_cast<unsigned>(commit), 0x5eedu);
    return text;
}

} // namespace

class TestCliChanges : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_store;

    CliResult changes(QStringList arguments)
    {
        return runCli(QStringList {"history", "changes", "--store", m_store} + arguments);
    }

private slots:
    void initTestCase()
    {
        m_store = m_dir.filePath("history.sqlite");
        QStringList reports;
        int index = 0;
        for (int round = 0; round < 2; ++round) {
            for (int c = kCommits - 1; c >= 0; --c) { // newest commit measured first
                const double peak = (c >= kJump ? 560e6 : 400e6) * (1 + 0.003 * ((c * 5 + round) % 4));
                testing::RunShape shape {.index = index++, .compilePeakBytes = peak};
                char time[32];
                std::snprintf(time, sizeof time, "2026-11-%02dT10:00:00Z", c + 1);
                shape.labels = {{"git.commit", commitHash(c)}, {"git.commit_time", time}, {"git.branch", "main"}};
                const LoadedReport report = testing::makeReport(shape);
                const QString directory = m_dir.filePath(QStringLiteral("report-%1").arg(index));
                writeRunReport(report.result, report.samples, directory.toStdString());
                reports << directory;
            }
        }
        // One failed run at the newest commit with a huge compile: failed runs are not history.
        testing::RunShape failed {.index = index++, .compilePeakBytes = 4e9, .status = RunStatus::Failed};
        failed.labels = {{"git.commit", commitHash(kCommits)}, {"git.commit_time", "2026-11-30T10:00:00Z"}};
        const LoadedReport report = testing::makeReport(failed);
        writeRunReport(report.result, report.samples, m_dir.filePath("report-failed").toStdString());
        reports << m_dir.filePath("report-failed");
        const CliResult imported = runCli(QStringList {"history", "import", "--store", m_store} + reports);
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
    }

    void theJumpIsNamedByItsCommit()
    {
        const CliResult result = changes({"--key", "step/compile", "--metric", "peak_rss_bytes"});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        const QString before = QString::fromStdString(commitHash(kJump - 1)).left(12);
        const QString after = QString::fromStdString(commitHash(kJump)).left(12);
        QVERIFY2(result.out.contains(after), qPrintable(result.out));
        QVERIFY(result.out.contains(before));
        QVERIFY(!result.out.contains(QString::fromStdString(commitHash(kJump)))); // 12 characters in text
        QVERIFY(result.out.contains("step/compile"));
        QVERIFY2(
            result.out.contains(QRegularExpression("\\+(39|40)\\.\\d%")), qPrintable(result.out)); // 400 MB -> 560 MB
        QVERIFY(result.out.contains("1 change in 1 series"));
        QVERIFY(!result.out.contains(QString::fromStdString(commitHash(kCommits)).left(12))); // the failed run
    }

    void csvAndJsonCarryTheFullCommit()
    {
        const CliResult csv = changes({"--key", "step/compile", "--metric", "peak_rss_bytes", "--format", "csv"});
        QCOMPARE(csv.exitCode, 0);
        const QStringList lines = csv.out.split("\r\n", Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines[0].startsWith("spec,key,metric,unit,before_commit,after_commit,before_run,after_run,"));
        QVERIFY(lines[1].startsWith(
            QStringLiteral("demo,step/compile,peak_rss_bytes,bytes,%1,%2,")
                .arg(QString::fromStdString(commitHash(kJump - 1)), QString::fromStdString(commitHash(kJump)))));

        const CliResult json = changes({"--spec", "demo", "--metric", "peak_rss_bytes", "--format", "json"});
        QCOMPARE(json.exitCode, 0);
        const QJsonObject root = QJsonDocument::fromJson(json.out.toUtf8()).object();
        const QJsonArray list = root.value("changes").toArray();
        QVERIFY(!list.isEmpty());
        bool compile = false;
        for (const QJsonValue& value : list) {
            const QJsonObject change = value.toObject();
            QCOMPARE(change.value("after_commit").toString(), QString::fromStdString(commitHash(kJump)));
            compile = compile || change.value("key").toString() == "step/compile";
            QVERIFY(change.value("p").toDouble() < 0.05);
        }
        QVERIFY(compile);
        QCOMPARE(root.value("threshold_percent").toDouble(), 5.0);
    }

    // Times did not move: nothing to report, and a larger threshold hides the jump.
    void filtersAndThreshold()
    {
        const CliResult wall = changes({"--metric", "wall_s"});
        QCOMPARE(wall.exitCode, 0);
        QVERIFY2(wall.out.contains("0 changes in"), qPrintable(wall.out));
        const CliResult high = changes({"--key", "step/compile", "--metric", "peak_rss_bytes", "--threshold", "50"});
        QCOMPARE(high.exitCode, 0);
        QVERIFY(high.out.contains("0 changes in 1 series"));
        const CliResult none = changes({"--spec", "nothing"});
        QCOMPARE(none.exitCode, 0);
        QVERIFY(none.err.contains("no successful run"));
    }

    void badInputExitsTwoNamingTheValue_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("named");
        QTest::newRow("unknown metric") << QStringList {"--metric", "rss_peak"} << "'rss_peak'";
        QTest::newRow("unknown format") << QStringList {"--format", "xml"} << "'xml'";
        QTest::newRow("threshold too large") << QStringList {"--threshold", "1500"} << "'1500'";
        QTest::newRow("threshold negative") << QStringList {"--threshold", "-5"} << "'-5'";
        QTest::newRow("threshold not a number") << QStringList {"--threshold", "5%"} << "'5%'";
        QTest::newRow("alpha out of range") << QStringList {"--alpha", "0.9"} << "'0.9'";
        QTest::newRow("min segment zero") << QStringList {"--min-segment", "0"} << "'0'";
        QTest::newRow("bare step name") << QStringList {"--key", "compile"} << "'compile'";
        QTest::newRow("positional") << QStringList {"extra"} << "extra";
    }

    void badInputExitsTwoNamingTheValue()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, named);
        const CliResult result = changes(arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(named), qPrintable(result.err));
        QVERIFY(result.out.isEmpty());
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestCliChanges)
#include "tst_clichanges.moc"
