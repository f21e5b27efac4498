// The dashboard as a viewer of a build started in a terminal: `buildscope-gui --attach`
// shows it live, and killing the dashboard (kill -9) leaves the build running to its end
// with a complete report.
#include "live/livedirectory.h"
#include "report/reportreader.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

namespace buildscope {

class TestAttach : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { qputenv("BUILDSCOPE_LIVE_DIR", m_dir.filePath("live").toUtf8()); }

    void killingTheDashboardLeavesTheBuildRunning()
    {
        const QString report = m_dir.filePath("report");
        QProcess engine;
        engine.setProgram(BUILDSCOPE_CLI);
        engine.setArguments({"run", "--no-store", "--progress", "plain", "--report", report, "--", "sh", "-c",
            "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do echo tick $i; sleep 0.1; done"});
        engine.setWorkingDirectory(m_dir.path());
        engine.start();
        QVERIFY(engine.waitForStarted());
        const std::filesystem::path socket = live::socketPath(live::liveDirectory(), engine.processId());
        QTRY_VERIFY_WITH_TIMEOUT(std::filesystem::exists(socket), 5000);

        QProcess dashboard;
        dashboard.setProgram(BUILDSCOPE_GUI);
        dashboard.setArguments({"--attach", QString::number(engine.processId())});
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("QT_QPA_PLATFORM", "offscreen");
        dashboard.setProcessEnvironment(environment);
        dashboard.start();
        QVERIFY(dashboard.waitForStarted());
        QTest::qWait(700); // attached and drawing
        QCOMPARE(dashboard.state(), QProcess::Running);
        ::kill(static_cast<pid_t>(dashboard.processId()), SIGKILL);
        QVERIFY(dashboard.waitForFinished(5000));

        QCOMPARE(engine.state(), QProcess::Running); // the build went on
        QVERIFY(engine.waitForFinished(30'000));
        QCOMPARE(engine.exitStatus(), QProcess::NormalExit);
        QCOMPARE(engine.exitCode(), 0);
        const LoadedReport loaded = readRunReport(report.toStdString());
        QCOMPARE(loaded.result.status, RunStatus::Succeeded);
        QVERIFY(QString::fromUtf8(engine.readAllStandardError()).contains("tick 20"));
    }

    // Watching to the end: the dashboard quits with the build's status.
    void attachedDashboardFollowsTheRunToItsEnd()
    {
        QProcess engine;
        engine.setProgram(BUILDSCOPE_CLI);
        engine.setArguments({"run", "--no-store", "--progress", "none", "--", "sh", "-c", "sleep 1; exit 3"});
        engine.start();
        QVERIFY(engine.waitForStarted());
        const std::filesystem::path socket = live::socketPath(live::liveDirectory(), engine.processId());
        QTRY_VERIFY_WITH_TIMEOUT(std::filesystem::exists(socket), 5000);
        QProcess dashboard;
        dashboard.setProgram(BUILDSCOPE_GUI);
        dashboard.setArguments({"--attach", QString::number(engine.processId()), "--quit-after-run"});
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("QT_QPA_PLATFORM", "offscreen");
        dashboard.setProcessEnvironment(environment);
        dashboard.start();
        QVERIFY(dashboard.waitForFinished(30'000));
        QCOMPARE(dashboard.exitCode(), 1); // the run failed
        QVERIFY(engine.waitForFinished(10'000));
        QCOMPARE(engine.exitCode(), 1);
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestAttach)
#include "tst_attach.moc"
