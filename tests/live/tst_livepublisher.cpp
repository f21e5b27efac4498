// An engine publishing a real run: a viewer that attaches mid-run ends with the same run
// the engine recorded (every sample once, every log line, the final result), a viewer
// that leaves mid-run changes nothing, and --repeat rounds all reach a viewer.
#include "engine/runsession.h"
#include "live/liveclient.h"
#include "report/reportreader.h"

#include <QTemporaryDir>
#include <algorithm>
#include <QtTest>
#include <thread>

namespace buildscope {

namespace {

BuildSpec tickingSpec(const std::filesystem::path& context, int lines, const char* pause)
{
    BuildSpec spec;
    spec.name = "ticking";
    spec.context = context;
    spec.sampleHz = 50;
    StepSpec step;
    step.name = "tick";
    step.kind = StepKind::Run;
    step.command = "i=0; while [ $i -lt " + std::to_string(lines) + " ]; do i=$((i+1)); echo line $i; sleep " + pause
        + "; done";
    spec.steps.push_back(step);
    return spec;
}

class SessionThread
{
public:
    explicit SessionThread(RunSessionConfig config)
        : m_session(std::move(config))
        , m_thread([this] { m_exit = m_session.run(m_stop, m_observer); })
    { }
    ~SessionThread() { join(); }
    ExitCode join()
    {
        if (m_thread.joinable())
            m_thread.join();
        return m_exit;
    }
    std::filesystem::path socket() const { return m_session.liveSocket(); }

private:
    RunObserver m_observer;
    std::atomic<bool> m_stop {false};
    ExitCode m_exit = ExitUsage;
    RunSession m_session;
    std::thread m_thread;
};

} // namespace

class TestLivePublisher : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { qputenv("BUILDSCOPE_LIVE_DIR", m_dir.filePath("live").toUtf8()); }

    void aViewerAttachingMidRunSeesTheWholeRun()
    {
        RunSessionConfig config;
        config.spec = tickingSpec(m_dir.path().toStdString(), 30, "0.03");
        config.reportDirectory = m_dir.filePath("report").toStdString();
        SessionThread session(std::move(config));
        QTRY_VERIFY_WITH_TIMEOUT(!session.socket().empty(), 5000);
        QTest::qWait(400); // well into the step
        live::LiveClient viewer(session.socket());
        QCOMPARE(session.join(), ExitOk);
        QTRY_COMPARE_WITH_TIMEOUT(viewer.state(), live::LiveClient::State::Ended, 5000);

        const live::LiveMirror::View view = viewer.mirror().view();
        const LoadedReport report = readRunReport(m_dir.filePath("report").toStdString());
        QVERIFY(view.runEnded);
        QCOMPARE(view.exitCode, std::optional<int>(0));
        QCOMPARE(view.run.status, RunStatus::Succeeded);
        QCOMPARE(view.run.steps.size(), std::size_t {1});
        QCOMPARE(view.run.steps[0].exitCode, report.result.steps[0].exitCode);
        QCOMPARE(view.run.steps[0].peakRssBytes, report.result.steps[0].peakRssBytes);

        // Every sample exactly once, in order: the backfill and the live stream meet
        // without a gap or an overlap.
        const TimeSeriesStore::Snapshot samples = view.store->snapshot();
        QCOMPARE(samples.sampleCount(), static_cast<std::uint64_t>(report.samples.rows.size()));
        double previous = -1;
        samples.forEachRow([&](const TimeSeriesStore::Bucket& bucket, std::span<const double>, std::span<const double>,
                               std::span<const double>) {
            QVERIFY(bucket.begin > previous);
            previous = bucket.begin;
        });

        std::vector<LogEntry> entries;
        view.log->copySince(0, entries);
        int lines = 0;
        for (const LogEntry& entry : entries)
            lines += entry.stream == LogStream::Stdout ? 1 : 0;
        QCOMPARE(lines, 30);
        QVERIFY(entries.back().text.starts_with("run succeeded after"));
    }

    // Who runs now reaches a viewer while it runs (a `running` message), and is gone once
    // it ended; its record arrives with its exact figures.
    void aViewerSeesWhoRunsNow()
    {
        BuildSpec spec = tickingSpec(m_dir.path().toStdString(), 1, "0");
        spec.steps.front().command = "sleep 1.5";
        RunSessionConfig config;
        config.spec = spec;
        config.reportDirectory = m_dir.filePath("running-report").toStdString();
        SessionThread session(std::move(config));
        QTRY_VERIFY_WITH_TIMEOUT(!session.socket().empty(), 5000);
        live::LiveClient viewer(session.socket());
        // The shell runs first, then execs sleep (a record of its own).
        auto sleeping = [&viewer]() -> std::optional<ProcessRecord> {
            for (const ProcessRecord& record : viewer.mirror().view().running) {
                if (record.key.starts_with("sleep"))
                    return record;
            }
            return std::nullopt;
        };
        QTRY_VERIFY_WITH_TIMEOUT(sleeping().has_value(), 5000);
        const ProcessRecord sleeper = *sleeping();
        QCOMPARE(sleeper.step, std::string("tick"));
        QCOMPARE(sleeper.endSeconds, sleeper.startSeconds); // not ended
        QCOMPARE(session.join(), ExitOk);
        QTRY_COMPARE_WITH_TIMEOUT(viewer.state(), live::LiveClient::State::Ended, 5000);
        const live::LiveMirror::View view = viewer.mirror().view();
        QVERIFY(view.running.empty());
        const std::vector<ProcessRecord> ended = viewer.mirror().processesSince(view.generation, 0);
        QVERIFY(std::any_of(ended.begin(), ended.end(), [&](const ProcessRecord& record) {
            return record.pid == sleeper.pid && record.key == sleeper.key && record.peakExact
                && record.endSeconds > record.startSeconds + 1.0;
        }));
    }

    void aViewerLeavingMidRunChangesNothing()
    {
        RunSessionConfig config;
        config.spec = tickingSpec(m_dir.path().toStdString(), 10, "0.05");
        config.reportDirectory = m_dir.filePath("left").toStdString();
        SessionThread session(std::move(config));
        QTRY_VERIFY_WITH_TIMEOUT(!session.socket().empty(), 5000);
        {
            live::LiveClient viewer(session.socket());
            QTRY_VERIFY_WITH_TIMEOUT(viewer.messagesApplied() > 2, 5000);
        } // gone mid-run
        QCOMPARE(session.join(), ExitOk);
        const LoadedReport report = readRunReport(m_dir.filePath("left").toStdString());
        QCOMPARE(report.result.status, RunStatus::Succeeded);
    }

    void everyRoundReachesTheViewer()
    {
        RunSessionConfig config;
        config.spec = tickingSpec(m_dir.path().toStdString(), 2, "0.01");
        config.repeat = 3;
        SessionThread session(std::move(config));
        QTRY_VERIFY_WITH_TIMEOUT(!session.socket().empty(), 5000);
        live::LiveClient viewer(session.socket());
        QCOMPARE(session.join(), ExitOk);
        QTRY_COMPARE_WITH_TIMEOUT(viewer.state(), live::LiveClient::State::Ended, 5000);
        const live::LiveMirror::View view = viewer.mirror().view();
        QCOMPARE(view.runCount, 3);
        QCOMPARE(view.runIndex, 3);
        // The viewer may have attached during round 1 or 2: it has every round from there on.
        QVERIFY(view.finished && !view.finished->empty());
        QCOMPARE(view.finished->size(), static_cast<std::size_t>(view.generation));
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestLivePublisher)
#include "tst_livepublisher.moc"
