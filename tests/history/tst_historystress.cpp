// 12.3: no run is lost with readers and writers in several processes. The dashboard once
// reported "database disk image is malformed" while CLI runs wrote to its store, held the
// store's deleted -wal/-shm files open, and then lost its own next run. Here the
// dashboard's store code (one long-lived RunHistory, listing and loading in a loop and
// recording runs of its own, as ui/history/historypanel.cpp and the run controller use
// it) runs while several `buildscope run` processes write to the same store. Every run
// must be recorded, readable, and in the file itself, not only in one process's view.
#include "history/runhistory.h"
#include "historyfixture.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace buildscope {

using namespace testing;

class TestHistoryStress : public QObject
{
    Q_OBJECT

private slots:
    void readersAndWritersAcrossProcessesLoseNothing()
    {
        QTemporaryDir temporary;
        const QString dir = temporary.path();
        // The store beside the context, not in it: the checksum step would see it change.
        const std::filesystem::path store = std::filesystem::path(dir.toStdString()) / "store" / "history.sqlite";
        QVERIFY(QDir().mkpath(dir + "/store"));
        QVERIFY(QDir().mkpath(dir + "/ctx"));
        {
            QFile spec(dir + "/ctx/spec.yaml");
            QVERIFY(spec.open(QIODevice::WriteOnly));
            spec.write("version: 1\nname: stress\nsample_hz: 100\nsteps:\n  - name: sum\n    checksum: {}\n"
                       "  - name: work\n    run: sleep 0.05\n");
        }

        // The dashboard opens the store first and keeps it open. kWriters lanes of CLI runs
        // write meanwhile, each lane kRepeat `buildscope run` processes one after the other:
        // every process opens and closes the store, as CI jobs do.
        RunHistory dashboard(store);
        constexpr int kWriters = 4;
        constexpr int kRepeat = 6;
        std::vector<std::unique_ptr<QProcess>> writers(kWriters);
        std::vector<int> started(kWriters, 0);
        std::vector<std::string> failures;
        auto startRun = [&](int w) {
            auto process = std::make_unique<QProcess>();
            process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
            process->start(BUILDSCOPE_CLI,
                {"run", dir + "/ctx/spec.yaml", "--store", QString::fromStdString(store.string()), "--progress", "none",
                    "--label", QStringLiteral("writer=%1").arg(w)});
            if (!process->waitForStarted())
                failures.push_back("a writer did not start");
            writers[static_cast<std::size_t>(w)] = std::move(process);
            ++started[static_cast<std::size_t>(w)];
        };
        for (int w = 0; w < kWriters; ++w)
            startRun(w);
        // Starts the next run of each lane whose run ended; false when all lanes are done.
        auto running = [&] {
            bool any = false;
            for (int w = 0; w < kWriters; ++w) {
                QProcess& process = *writers[static_cast<std::size_t>(w)];
                // Without an event loop a QProcess learns of its end in waitFor...().
                if (process.state() != QProcess::NotRunning && !process.waitForFinished(2)) {
                    any = true;
                    continue;
                }
                if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
                    failures.push_back("a writer exited with " + std::to_string(process.exitCode()));
                if (started[static_cast<std::size_t>(w)] < kRepeat) {
                    startRun(w);
                    any = true;
                }
            }
            return any;
        };

        std::vector<std::string> errors;
        int ownRuns = 0;
        int loads = 0;
        for (int iteration = 0; running() || iteration < 10; ++iteration) {
            // Bounded by the test's CTest timeout, not by a clock here.
            try {
                const std::vector<RunRecord> runs = dashboard.list();
                for (const RunRecord& run : runs) {
                    if (run.status == "succeeded") {
                        const LoadedReport report = dashboard.load(run.id);
                        if (report.result.steps.empty())
                            errors.push_back("run " + std::to_string(run.id) + " has no steps");
                        ++loads;
                        break;
                    }
                }
                if (iteration % 5 == 0) {
                    // A run of the dashboard's own, recorded live as RunRecorder does.
                    const std::int64_t id
                        = dashboard.beginRun(exampleSpec("dashboard"), {{"writer", "dashboard"}}, at(1000 + iteration));
                    dashboard.appendSamples(id, sampleRows(0, 10));
                    RunResult result = realisticResult("dashboard");
                    result.status = RunStatus::Succeeded;
                    dashboard.finishRun(id, result, sampleRows(0, 20), logEntries(5));
                    ++ownRuns;
                }
                if (iteration % 3 == 1) {
                    // Another view of the same store in the dashboard's process (a second
                    // window, a reopened panel): must not disturb the first one's.
                    RunHistory another(store);
                    another.list();
                }
            } catch (const std::exception& error) {
                errors.push_back(error.what());
            }
        }
        QVERIFY2(failures.empty(), failures.empty() ? "" : failures.front().c_str());
        QVERIFY2(errors.empty(), errors.empty() ? "" : errors.front().c_str());
        QVERIFY(loads > 0);

        const std::size_t expected = static_cast<std::size_t>(kWriters * kRepeat + ownRuns);
        auto check = [&](const RunHistory& history, const char* who) {
            const std::vector<RunRecord> runs = history.list();
            QVERIFY2(runs.size() == expected,
                qPrintable(QStringLiteral("%1 sees %2 runs, expected %3").arg(who).arg(runs.size()).arg(expected)));
            for (const RunRecord& run : runs) {
                QCOMPARE(run.status, std::string("succeeded"));
                QVERIFY(!history.load(run.id).result.steps.empty());
            }
            for (int w = 0; w < kWriters; ++w)
                QCOMPARE(history.select("label:writer=" + std::to_string(w)).size(), std::size_t(kRepeat));
        };
        check(dashboard, "the dashboard");
        // In the file itself: another process, after everyone has closed the store.
        QProcess lister;
        lister.start(BUILDSCOPE_CLI, {"history", "list", "--store", QString::fromStdString(store.string())});
        QVERIFY(lister.waitForFinished(60000));
        const QStringList lines = QString::fromUtf8(lister.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(static_cast<std::size_t>(lines.size() - 1), expected); // minus the header
        RunHistory reopened(store);
        check(reopened, "a new connection");
    }

    // 12.3: a reader that may not write the store (nobody) used to open it immutable when no
    // -wal existed at that moment, and kept that connection: runs written later were
    // missed, or their pages read half-changed ("malformed"). It now reads the log the
    // normal way whenever a writer has the store open, and otherwise reopens its snapshot
    // before every read.
    void readOnlyReaderFollowsWriters()
    {
        if (::geteuid() != 0)
            QSKIP("needs root, to read as another user (nobody) a store root writes");
        QTemporaryDir temporary;
        const std::filesystem::path directory(temporary.path().toStdString());
        const std::filesystem::path file = directory / "history.sqlite";
        auto report = [](std::size_t rows) {
            LoadedReport r;
            r.result = realisticResult();
            r.samples = sampleRows(0, rows);
            return r;
        };
        {
            RunHistory owner(file);
            owner.importReport(report(3000));
        }
        ::chmod(directory.c_str(), 0755); // others may read, not write
        ::chmod(file.c_str(), 0644);

        std::signal(SIGPIPE, SIG_IGN); // a child that failed early must not end the test mid-write
        int toChild[2];
        int toParent[2];
        QVERIFY(::pipe(toChild) == 0 && ::pipe(toParent) == 0);
        std::fflush(nullptr);
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            ::close(toChild[1]);
            ::close(toParent[0]);
            std::string out;
            if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) {
                out = "could not drop privileges";
            } else {
                try {
                    RunHistory reader(file);
                    out += std::to_string(reader.list().size()) + (reader.isReadOnly() ? " read-only" : " writable");
                    writeString(toParent[1], out + "\n");
                    char go = 0;
                    for (int round = 0; round < 2 && ::read(toChild[0], &go, 1) == 1; ++round) {
                        const std::vector<RunRecord> runs = reader.list();
                        std::size_t rows = 0;
                        for (const RunRecord& run : runs)
                            rows += reader.load(run.id).samples.rows.size();
                        writeString(toParent[1], std::to_string(runs.size()) + " " + std::to_string(rows) + "\n");
                    }
                    out.clear();
                } catch (const std::exception& error) {
                    out = std::string("error: ") + error.what() + "\n";
                }
            }
            writeString(toParent[1], out);
            ::_exit(0);
        }
        ::close(toChild[0]);
        ::close(toParent[1]);
        auto line = [&] {
            std::string text;
            char c = 0;
            while (::read(toParent[0], &c, 1) == 1 && c != '\n')
                text += c;
            return text;
        };
        const std::string first = line();
        std::string afterClosedWriter;
        std::string withLiveWriter;
        if (first == "1 read-only") {
            {
                // A writer that adds three runs and closes: checkpointed into the main file.
                RunHistory writer(file);
                for (int i = 0; i < 3; ++i)
                    writer.importReport(report(3000));
            }
            writeString(toChild[1], "g");
            afterClosedWriter = line();
            // A writer that keeps the store open: its run is in the log only.
            RunHistory live(file);
            live.importReport(report(50));
            writeString(toChild[1], "g");
            withLiveWriter = line();
        }
        ::close(toChild[1]);
        const std::string rest = line(); // an error the child reported, if any
        ::close(toParent[0]);
        int status = 0;
        ::waitpid(child, &status, 0);
        QVERIFY2(rest.empty(), rest.c_str());
        QCOMPARE(first, std::string("1 read-only"));
        QCOMPARE(afterClosedWriter, std::string("4 12000"));
        QCOMPARE(withLiveWriter, std::string("5 12050"));
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestHistoryStress)
#include "tst_historystress.moc"
