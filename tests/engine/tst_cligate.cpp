// Issue 19 end to end, on real runs of real short commands (their noise is the machine's,
// not made up): an A/A comparison of forty short processes passes the default gate; one
// compile made 30 % hungrier fails it and is named; a history with that one change among
// forty short processes lists that change and no other.
#include "clisupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace clisupport;

namespace buildscope {

namespace {

const QString kParserKey = QStringLiteral("process/cc1plus src/parser.cpp -> obj/parser.o");

QString commitHash(int commit)
{
    return QStringLiteral("%1").arg(0xa11ce000u + static_cast<unsigned>(commit), 8, 16, QLatin1Char('0'))
        + QString(32, QLatin1Char('5'));
}

} // namespace

class TestCliGate : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // `sh gate.sh`: forty short commands with keys of their own (echo, sleep, date), and
    // one compile holding the mebibytes written in mib.txt for 400 ms (long enough for the
    // sampled tree peak to see it every time), the build's largest process.
    // The command line stays the same whatever the size: the runs are one build's.
    CliResult build(const QStringList& options, int mebibytes)
    {
        writeFile(m_dir.filePath("mib.txt"), QByteArray::number(mebibytes));
        return runCli(
            QStringList {"run", "--progress", "none", "--no-live"} + options + QStringList {"--", "sh", "gate.sh"},
            m_dir.path(), 300000);
    }

    QStringList runs(const QString& folder, int first, int last) const
    {
        QStringList list;
        for (int i = first; i <= last; ++i)
            list << m_dir.filePath(QStringLiteral("%1/run-%2").arg(folder).arg(i));
        return list;
    }

    static QJsonArray decided(const QJsonObject& comparison)
    {
        QJsonArray rows;
        for (const QJsonValue& row : comparison["rows"].toArray()) {
            const QString verdict = row.toObject()["verdict"].toString();
            if (verdict == "regression" || verdict == "improvement")
                rows.append(row);
        }
        return rows;
    }

private slots:
    void initTestCase()
    {
        qputenv("BUILDSCOPE_LIVE_DIR", m_dir.filePath("live").toUtf8());
        QDir().mkpath(m_dir.filePath("tools"));
        QDir().mkpath(m_dir.filePath("src"));
        QDir().mkpath(m_dir.filePath("obj"));
        QVERIFY(QFile::copy(FAKECOMPILER, m_dir.filePath("tools/cc1plus")));
        QFile::setPermissions(m_dir.filePath("tools/cc1plus"), QFile::ReadOwner | QFile::ExeOwner);
        writeFile(m_dir.filePath("gate.sh"),
            "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do /bin/echo \"line $i\" >/dev/null; done\n"
            "for i in 1 2 3 4 5 6 7 8 9; do /bin/sleep 0.0$i; done\n"
            "for i in 1 2 3 4 5 6 7 8 9 10; do /bin/date \"+%s $i\" >/dev/null; done\n"
            "tools/cc1plus -DMIB=$(cat mib.txt) -DHOLD_MS=400 src/parser.cpp -o obj/parser.o\n");
    }

    void anAaComparisonOfShortProcessesPasses()
    {
        const CliResult recorded = build({"--repeat", "10", "--no-store", "--report", m_dir.filePath("aa")}, 30);
        QVERIFY2(recorded.exitCode == 0, qPrintable(recorded.err));
        // Odd runs against even ones: a machine that got busier halfway moves both sides.
        const QString base
            = (runs("aa", 1, 1) + runs("aa", 3, 3) + runs("aa", 5, 5) + runs("aa", 7, 7) + runs("aa", 9, 9)).join(',');
        const QString candidate
            = (runs("aa", 2, 2) + runs("aa", 4, 4) + runs("aa", 6, 6) + runs("aa", 8, 8) + runs("aa", 10, 10))
                  .join(',');
        const CliResult gate = runCli({"compare", base, candidate, "--fail-on-regression"});
        QVERIFY2(gate.exitCode == 0, qPrintable(gate.out + gate.err));
        QVERIFY2(gate.out.startsWith("verdict: PASS"), qPrintable(gate.out));

        const CliResult json = runCli({"compare", base, candidate, "--format", "json"});
        QCOMPARE(json.exitCode, 0);
        const QJsonObject comparison = QJsonDocument::fromJson(json.out.toUtf8()).object();
        QCOMPARE(comparison["verdict"].toString(), QString("pass"));
        // Forty-odd commands x three metrics were compared; no command's memory is called a
        // change (their timings are left to chance: alpha is 0.05 per metric's rows).
        QVERIFY(comparison["rows"].toArray().size() > 100);
        for (const QJsonValue& row : decided(comparison)) {
            const QJsonObject object = row.toObject();
            QVERIFY2(!object["subject"].toString().startsWith("process/") || object["unit"].toString() != "bytes",
                qPrintable(QJsonDocument(object).toJson()));
        }
    }

    void aThirtyPercentHungrierCompileFailsTheGateByName()
    {
        const CliResult recorded = build({"--repeat", "5", "--no-store", "--report", m_dir.filePath("hungry")}, 39);
        QVERIFY2(recorded.exitCode == 0, qPrintable(recorded.err));
        const QString base = runs("aa", 1, 5).join(',');
        const QString candidate = runs("hungry", 1, 5).join(',');
        const CliResult gate = runCli({"compare", base, candidate, "--fail-on-regression"});
        QCOMPARE(gate.exitCode, 1);
        QVERIFY2(gate.out.startsWith("verdict: FAIL"), qPrintable(gate.out));
        // The compile is named among the first lines a user reads.
        const QString head = gate.out.section('\n', 0, 12);
        QVERIFY2(head.contains(kParserKey), qPrintable(gate.out));

        const QJsonObject comparison
            = QJsonDocument::fromJson(runCli({"compare", base, candidate, "--format", "json"}).out.toUtf8()).object();
        // The only command whose memory changed (timings of the commands may move with the
        // machine's load between the two recordings; they explain, and are not asserted).
        QStringList processes;
        for (const QJsonValue& row : decided(comparison)) {
            const QJsonObject object = row.toObject();
            if (object["subject"].toString().startsWith("process/") && object["unit"].toString() == "bytes")
                processes << object["subject"].toString() + " " + object["metric"].toString();
        }
        QCOMPARE(processes, QStringList {kParserKey + " peak_rss_bytes"});
        // Widened to the processes, the gate decides on the compile itself.
        const CliResult widened
            = runCli({"compare", base, candidate, "--fail-on-regression", "--keys", "process/*", "--format", "json"});
        QCOMPARE(widened.exitCode, 1);
        const QJsonObject gated = QJsonDocument::fromJson(widened.out.toUtf8()).object();
        QCOMPARE(gated["gate"].toObject()["regressions"].toInt(), 1);
        QCOMPARE(decided(gated).first().toObject()["subject"].toString(), kParserKey);
    }

    void aHistoryWithOneChangeListsThatChangeAlone()
    {
        const QString store = m_dir.filePath("history.sqlite");
        constexpr int kCommits = 6;
        constexpr int kChange = 3; // the first commit with the hungrier compile
        for (int c = 0; c < kCommits; ++c) {
            const CliResult recorded
                = build({"--repeat", "3", "--store", store, "--label", "git.commit=" + commitHash(c), "--label",
                            QStringLiteral("git.commit_time=2026-11-%1T10:00:00Z").arg(c + 1, 2, 10, QLatin1Char('0'))},
                    c >= kChange ? 39 : 30);
            QVERIFY2(recorded.exitCode == 0, qPrintable(recorded.err));
        }
        const CliResult changes = runCli({"history", "changes", "--store", store, "--format", "json"});
        QVERIFY2(changes.exitCode == 0, qPrintable(changes.err));
        const QJsonObject document = QJsonDocument::fromJson(changes.out.toUtf8()).object();
        const QJsonArray found = document["changes"].toArray();
        QVERIFY(document["series"].toInt() > 40); // every command's peak was searched
        QStringList keys;
        for (const QJsonValue& value : found) {
            const QJsonObject change = value.toObject();
            QCOMPARE(change["before_commit"].toString(), commitHash(kChange - 1));
            QCOMPARE(change["after_commit"].toString(), commitHash(kChange));
            QVERIFY(change["adjusted_p"].toDouble() < 0.05);
            keys << change["key"].toString();
        }
        QVERIFY2(keys.contains(kParserKey), qPrintable(changes.out));
        const CliResult text = runCli({"history", "changes", "--store", store});
        QVERIFY2(
            text.out.contains(kParserKey) && text.out.contains(commitHash(kChange).left(12)), qPrintable(text.out));
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestCliGate)
#include "tst_cligate.moc"
