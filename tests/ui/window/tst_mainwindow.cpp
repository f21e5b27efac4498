// The dashboard end to end, offscreen: open the demo spec, run it, check the charts and
// tables hold data and the export parses back; Stop mid-build leaves no process behind.
#include "charts/chartpanel.h"
#include "charts/processtimelinechart.h"
#include "compare/compareview.h"
#include "compare/comparisontablemodel.h"
#include "models/logtablemodel.h"
#include "models/operationtablemodel.h"
#include "models/pooltablemodel.h"
#include "models/processtablemodel.h"
#include "models/steptablemodel.h"
#include "report/reportreader.h"
#include "window/logpanel.h"
#include "window/mainwindow.h"
#include "window/processpanel.h"
#include "window/reportexporter.h"

#include <QAbstractItemModelTester>
#include <QRegularExpression>
#include <QSettings>
#include <QStatusBar>
#include <QtTest>
#include <csignal>
#include <sys/wait.h>

namespace buildscope {

namespace {

bool copyDirectory(const QString& from, const QString& to)
{
    QDir source(from);
    if (!QDir().mkpath(to))
        return false;
    for (const QFileInfo& entry : source.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
        if (entry.fileName() == "build")
            continue;
        const QString target = QDir(to).filePath(entry.fileName());
        if (entry.isDir() ? !copyDirectory(entry.filePath(), target) : !QFile::copy(entry.filePath(), target))
            return false;
    }
    return true;
}

int graphPoints(QCustomPlot* plot)
{
    int points = 0;
    for (int i = 0; i < plot->graphCount(); ++i)
        points += plot->graph(i)->dataCount();
    return points;
}

bool noProcessWith(const QByteArray& marker)
{
    const QDir proc("/proc");
    for (const QString& entry : proc.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile cmdline("/proc/" + entry + "/cmdline");
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().replace('\0', ' ').contains(marker))
            return false;
    }
    return true;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        // Keep the user's real settings out of the test.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("BuildScopeTests");
        QCoreApplication::setApplicationName("tst_mainwindow");
        QSettings().clear();
        qputenv("BUILDSCOPE_STORE", m_dir.filePath("history.sqlite").toUtf8());
        qputenv("BUILDSCOPE_ENGINE", BUILDSCOPE_CLI); // the engine the dashboard starts
        qputenv("BUILDSCOPE_LIVE_DIR", m_dir.filePath("live").toUtf8());
        QVERIFY(copyDirectory(QStringLiteral(BUILDSCOPE_SOURCE_DIR "/examples/demo"), m_dir.filePath("demo")));
    }

    void runsTheDemoAndExportsItsReport()
    {
        MainWindow window;
        window.show();
        QAbstractItemModelTester stepTester(
            &window.stepModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester poolTester(
            &window.poolModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester logTester(
            window.logPanel().model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester operationTester(
            &window.operationModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);

        QString error;
        QVERIFY2(window.openPath(m_dir.filePath("demo/buildscope.yaml"), &error), qPrintable(error));
        QVERIFY(window.runAction()->isEnabled());
        QSignalSpy finished(&window.controller(), &RunController::allRunsFinished);
        window.runAction()->trigger();
        QVERIFY(window.stopAction()->isEnabled());
        QVERIFY(finished.wait(240'000));

        const RunResult& result = window.controller().finishedRuns().back();
        QCOMPARE(result.status, RunStatus::Succeeded);
        // Charts hold data: memory (with the compiler's few hundred MB), allocation rate, timings.
        QVERIFY(graphPoints(window.charts().plot(ChartPanel::Chart::Memory)) > 20);
        QVERIFY(graphPoints(window.charts().plot(ChartPanel::Chart::AllocationRate)) > 20);
        QVERIFY(window.charts().plot(ChartPanel::Chart::Memory)->yAxis->range().upper > 100.0 * 1024 * 1024);
        // Tables are filled: the six steps, the engine's operations apart, five pools, log lines.
        QCOMPARE(window.stepModel().rowCount(), 6);
        QCOMPARE(window.stepModel().index(2, StepTableModel::NameColumn).data().toString(), QString("compile"));
        QVERIFY(window.operationModel().rowCount() > 0);
        QCOMPARE(window.poolModel().rowCount(), 5); // io 4 KiB, 32 KiB, 128 KiB, hash, tar
        QVERIFY(window.logPanel().model()->rowCount() > 5);
        // Every process the ledger saw is in the Processes table, hungriest first (the
        // compiler), and drawn on the timeline under the memory chart.
        QAbstractItemModelTester processTester(
            window.processPanel().model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(window.processPanel().model()->rowCount(), static_cast<int>(result.processes.size()));
        QVERIFY(!result.processes.empty());
        const QAbstractItemModel* processes = window.processPanel().view()->model();
        QCOMPARE(processes->index(0, ProcessTableModel::PeakColumn).data(ProcessTableModel::PeakBytesRole).toDouble(),
            static_cast<double>(std::max_element(result.processes.begin(), result.processes.end(),
                [](const ProcessRecord& a, const ProcessRecord& b) { return a.peakRssBytes < b.peakRssBytes; })
                                    ->peakRssBytes));
        QCOMPARE(window.charts().processTimeline()->barCount(), result.processes.size());
        // Oldest line first, the newest in view.
        QVERIFY(window.logPanel().model()->index(0, LogTableModel::TimeColumn).data(LogTableModel::SortRole).toDouble()
            <= window.logPanel()
                   .model()
                   ->index(window.logPanel().model()->rowCount() - 1, LogTableModel::TimeColumn)
                   .data(LogTableModel::SortRole)
                   .toDouble());
        // The run ends with what it cost, not a bare "Run succeeded".
        QVERIFY2(window.statusText().startsWith(QStringLiteral("Run succeeded in ")), qPrintable(window.statusText()));
        QVERIFY2(window.statusText().contains(QStringLiteral("compile peak")), qPrintable(window.statusText()));
        QCOMPARE(window.windowTitle(), QStringLiteral("demo — BuildScope"));

        // Recorded in the run history, with the dashboard and git/host labels.
        QVERIFY(window.history());
        const std::vector<RunRecord> stored = window.history()->list();
        QCOMPARE(stored.size(), std::size_t {1});
        QCOMPARE(stored.front().status, std::string("succeeded"));
        const auto& labels = stored.front().labels;
        QVERIFY(std::find(labels.begin(), labels.end(), std::pair<std::string, std::string> {"source", "dashboard"})
            != labels.end());

        const QString exported = m_dir.filePath("exported");
        QVERIFY2(window.exportReportTo(exported, &error), qPrintable(error));
        const LoadedReport report = readRunReport(exported.toStdString());
        QCOMPARE(report.result.status, RunStatus::Succeeded);
        QCOMPARE(report.result.steps.size(), std::size_t {6});
        QVERIFY(report.samples.rows.size() > 20);
        QVERIFY(report.result.steps[2].peakRssBytes > 100u * 1024 * 1024);

        // Charts export as PNG and PDF, atomically.
        const QString png = m_dir.filePath("memory.png");
        const QString pdf = m_dir.filePath("memory.pdf");
        QVERIFY2(ReportExporter::exportChart(window.charts().plot(ChartPanel::Chart::Memory), png, &error),
            qPrintable(error));
        QVERIFY2(ReportExporter::exportChart(window.charts().plot(ChartPanel::Chart::StepTimings), pdf, &error),
            qPrintable(error));
        QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 400);
        QFile pdfFile(pdf);
        QVERIFY(pdfFile.open(QIODevice::ReadOnly));
        QVERIFY(pdfFile.read(5) == "%PDF-");
        QVERIFY(!ReportExporter::exportChart(
            window.charts().plot(ChartPanel::Chart::Memory), m_dir.filePath("x.bmp"), &error));
        QVERIFY(!QFile::exists(m_dir.filePath("x.bmp")));
        QVERIFY(!ReportExporter::exportChart(
            window.charts().plot(ChartPanel::Chart::Memory), m_dir.filePath("no-such-dir/x.png"), &error));
        QVERIFY(error.contains("no-such-dir"));

        // The exported report opens in the window as a finished run; the spec stays loaded.
        QVERIFY2(window.openPath(exported, &error), qPrintable(error));
        QVERIFY(window.runAction()->isEnabled());
        QVERIFY(window.windowTitle().contains("report exported"));
        QVERIFY(graphPoints(window.charts().plot(ChartPanel::Chart::Memory)) > 20);
        QVERIFY(window.stepModel().rowCount() >= 6);
        QCOMPARE(window.processPanel().model()->rowCount(), static_cast<int>(report.result.processes.size()));
    }

    void runNTimesSaysWhereItIsAndWhatItCost()
    {
        const QString spec = m_dir.filePath("rounds.yaml");
        QFile file(spec);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("version: 1\nname: rounds\ncontext: .\nsteps:\n  - name: work\n    run: sleep 2\n");
        file.close();
        MainWindow window;
        window.show();
        QString error;
        QVERIFY2(window.openPath(spec, &error), qPrintable(error));
        QSignalSpy started(&window.controller(), &RunController::runStarted);
        QSignalSpy finished(&window.controller(), &RunController::allRunsFinished);
        // What the window says while the rounds run, as a user glancing at it would see it.
        QStringList titles;
        QStringList statuses;
        QTimer glance;
        connect(&glance, &QTimer::timeout, &window, [&] {
            if (titles.isEmpty() || titles.back() != window.windowTitle())
                titles << window.windowTitle();
            if (statuses.isEmpty() || statuses.back() != window.statusText())
                statuses << window.statusText();
        });
        glance.start(20);
        QStringList updates;
        connect(&window.controller(), &RunController::refreshed, &window, [&](const RunUpdate& u) {
            const QString line = QStringLiteral("%1/%2/%3/%4")
                                     .arg(u.running)
                                     .arg(u.progress.currentStep)
                                     .arg(u.steps.empty() ? "-" : stepStatusName(u.steps[0].status))
                                     .arg(window.controller().runIndex());
            if (updates.isEmpty() || updates.back() != line)
                updates << line;
        });
        QVERIFY(window.controller().start(3));
        QVERIFY(finished.wait(60'000));
        glance.stop();
        QCOMPARE(started.count(), 3);
        // Round 2: the title and the status line say so, with the time left from round 1. (Its
        // step was often shown pending all round: the engine took a step that was already
        // running when a round began as announced, though its header says every step pends.)
        QVERIFY2(titles.contains(QStringLiteral("[2/3] rounds \u2014 BuildScope")), qPrintable(titles.join('|')));
        const QRegularExpression roundTwo(QStringLiteral("^Run 2 of 3: Running work .* s left$"));
        const bool said = std::any_of(
            statuses.begin(), statuses.end(), [&roundTwo](const QString& text) { return roundTwo.match(text).hasMatch(); });
        QVERIFY2(said, qPrintable(statuses.join('|') + QStringLiteral(" UPDATES ") + updates.join(' ')));
        QVERIFY2(
            window.statusText().startsWith(QStringLiteral("3 runs: 3 succeeded")), qPrintable(window.statusText()));
        QCOMPARE(window.windowTitle(), QStringLiteral("rounds — BuildScope"));
    }

    void stopMidBuildLeavesNoProcess()
    {
        const QByteArray marker = "sleep 71.23";
        const QString spec = m_dir.filePath("long.yaml");
        QFile file(spec);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            "version: 1\nname: long\ncontext: .\nsteps:\n  - name: wait\n    run: " + marker + " & " + marker + "\n");
        file.close();

        MainWindow window;
        window.show();
        QString error;
        QVERIFY2(window.openPath(spec, &error), qPrintable(error));
        QSignalSpy finished(&window.controller(), &RunController::allRunsFinished);
        window.runAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!noProcessWith(marker), 10000);
        window.stopAction()->trigger();
        QVERIFY(finished.wait(20'000));
        QCOMPARE(window.controller().finishedRuns().back().status, RunStatus::Cancelled);
        QVERIFY(noProcessWith(marker));
        QVERIFY(::waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD); // nothing left to reap
    }

    // 18.6: after kill -9 of the engine it was attached to, the dashboard said "The build
    // could not run" and kept "running" in the step table, the status bar ("attached") and
    // the Processes dock ("8 running"), while the history showed the run interrupted.
    void engineLostShowsTheRunInterruptedEverywhere()
    {
        const QByteArray marker = "sleep 72.34";
        QProcess engine;
        engine.setProgram(BUILDSCOPE_CLI);
        engine.setArguments({"run", "--no-store", "--progress", "none", "--", "sh", "-c",
            QString::fromLatin1(marker + " & " + marker + " & wait")});
        engine.setWorkingDirectory(m_dir.path());
        engine.start();
        QVERIFY(engine.waitForStarted());
        const QString socket = m_dir.filePath("live/" + QString::number(engine.processId()) + ".sock");
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(socket), 10000);

        MainWindow window;
        window.show();
        QSignalSpy failed(&window.controller(), &RunController::engineFailed);
        QSignalSpy lost(&window.controller(), &RunController::engineLost);
        QSignalSpy finished(&window.controller(), &RunController::allRunsFinished);
        QString error;
        QVERIFY2(window.attachTo(socket, &error), qPrintable(error));
        // sh and its two sleeps
        QTRY_VERIFY2_WITH_TIMEOUT(window.processPanel().summaryLabel()->text().contains("3 running"),
            qPrintable(window.processPanel().summaryLabel()->text()), 20000);
        const auto statusTexts = [&] {
            QStringList texts;
            for (const QLabel* label : window.statusBar()->findChildren<QLabel*>())
                texts << label->text();
            return texts.join(" | ");
        };
        QVERIFY2(statusTexts().contains("attached"), qPrintable(statusTexts()));
        const QAbstractItemModel& steps = window.stepModel();
        const auto stepsRunning = [&] {
            for (int row = 0; row < steps.rowCount(); ++row) {
                for (int column = 0; column < steps.columnCount(); ++column) {
                    if (steps.index(row, column).data().toString() == "running")
                        return true;
                }
            }
            return false;
        };
        QVERIFY(stepsRunning());

        ::kill(static_cast<pid_t>(engine.processId()), SIGKILL);
        QVERIFY(engine.waitForFinished(10000));
        QVERIFY(finished.wait(20000));
        QCOMPARE(failed.count(), 0); // no "could not run": it ran, and was interrupted
        QCOMPARE(lost.count(), 1);
        QVERIFY(!window.controller().isRunning());
        // Everywhere at once: the status bar, the Processes dock, the step table.
        QVERIFY2(
            statusTexts().contains("Interrupted: the engine stopped without finishing the run (last heard from at "),
            qPrintable(statusTexts()));
        QVERIFY2(!statusTexts().contains("attached"), qPrintable(statusTexts()));
        QVERIFY2(!window.processPanel().summaryLabel()->text().contains("running"),
            qPrintable(window.processPanel().summaryLabel()->text()));
        QVERIFY(steps.rowCount() > 0);
        QVERIFY(!stepsRunning());
        QTRY_VERIFY_WITH_TIMEOUT(noProcessWith(marker), 10000); // the build died with its engine
    }

    void comparesStoredRunsInTheCompareTab()
    {
        MainWindow window;
        QVERIFY(window.history());
        std::vector<std::int64_t> succeeded;
        std::vector<std::int64_t> cancelled;
        for (const RunRecord& run : window.history()->list())
            (run.status == "succeeded" ? succeeded : cancelled).push_back(run.id);
        QVERIFY(succeeded.size() >= 2); // the demo run and the Run N Times rounds
        QVERIFY(!cancelled.empty()); // the stopped run
        QString error;
        QSignalSpy shown(&window, &MainWindow::comparisonShown);
        QVERIFY2(window.compareStoredRuns({succeeded.back()}, {succeeded.front()}, &error), qPrintable(error));
        QVERIFY(shown.wait(10'000)); // loaded off the GUI thread
        QVERIFY(window.compareView().model()->rowCount() > 0);

        // A stopped run stopped where it stopped: it does not enter a comparison.
        QVERIFY2(window.compareStoredRuns({succeeded.back()}, {cancelled.front()}, &error), qPrintable(error));
        QVERIFY(shown.wait(10'000));
        QCOMPARE(window.compareView().comparison().candidateRuns, std::size_t {0});
        QCOMPARE(window.compareView().comparison().candidateExcluded, std::size_t {1});
    }

    void badInputIsRefusedWithItsLocation()
    {
        const QString spec = m_dir.filePath("bad.yaml");
        QFile file(spec);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("version: 1\nname: bad\nsteps:\n  - name: x\n    rnu: echo\n");
        file.close();
        MainWindow window;
        QString error;
        QVERIFY(!window.openPath(spec, &error));
        QVERIFY2(error.contains("bad.yaml:5:"), qPrintable(error));
        QVERIFY(!window.openPath(m_dir.filePath("missing-dir"), &error));
    }

    void recentFilesRemembersWhatWasOpened()
    {
        MainWindow window;
        QVERIFY(window.openPath(m_dir.filePath("demo/buildscope.yaml")));
        const QStringList recent = QSettings().value("recentFiles").toStringList();
        QVERIFY(!recent.isEmpty());
        QVERIFY(recent.front().endsWith("demo/buildscope.yaml"));
    }
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestMainWindow)
#include "tst_mainwindow.moc"
