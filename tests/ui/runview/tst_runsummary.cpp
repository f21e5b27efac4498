// What the status line says of Run N Times: the time left while it runs, a summary when
// it ends (the issue: no estimate, and a bare "Run succeeded").
#include "runview/runsummary.h"

#include <QtTest>
#include <chrono>

namespace buildscope {

namespace {

RunResult run(RunStatus status, double seconds, std::uint64_t compilePeak, std::uint64_t enginePeak = 11'000'000)
{
    RunResult result;
    result.status = status;
    result.startedAt = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
    result.endedAt = result.startedAt + std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
    StepResult fingerprint;
    fingerprint.name = "fingerprint";
    fingerprint.status = StepStatus::Succeeded;
    fingerprint.peakRssBytes = enginePeak;
    fingerprint.peakIsProcessTree = false;
    StepResult compile;
    compile.name = "compile";
    compile.status = status == RunStatus::Failed ? StepStatus::Failed : StepStatus::Succeeded;
    compile.peakRssBytes = compilePeak;
    compile.peakIsProcessTree = true;
    StepResult image;
    image.name = "image";
    image.status = StepStatus::Skipped;
    result.steps = {fingerprint, compile, image};
    result.treePeakRssBytes = compilePeak;
    return result;
}

constexpr std::uint64_t kMiB = 1024 * 1024;

} // namespace

class TestRunSummary : public QObject
{
    Q_OBJECT

private slots:
    void oneRun()
    {
        QCOMPARE(summarizeRuns({run(RunStatus::Succeeded, 6.88, 408 * kMiB)}),
            QStringLiteral("Run succeeded in 6.88 s \u00b7 compile peak 408.0 MiB"));
        QCOMPARE(summarizeRuns({}), QString());
    }

    void severalRunsSayHowEachEndedAndTheMedianPeak()
    {
        const std::vector<RunResult> runs {run(RunStatus::Succeeded, 7, 400 * kMiB),
            run(RunStatus::Succeeded, 7, 408 * kMiB), run(RunStatus::Failed, 3, 500 * kMiB),
            run(RunStatus::Succeeded, 7, 410 * kMiB), run(RunStatus::Succeeded, 7, 409 * kMiB)};
        QCOMPARE(summarizeRuns(runs),
            QStringLiteral("5 runs: 4 succeeded, 1 failed \u00b7 compile peak 409.0 MiB (median)"));
    }

    void anEngineOnlyBuildSaysSo()
    {
        RunResult only = run(RunStatus::Cancelled, 0.5, 0, 20 * kMiB);
        only.steps.erase(only.steps.begin() + 1);
        QCOMPARE(summarizeRuns({only}),
            QStringLiteral("Run cancelled in 500.0 ms \u00b7 fingerprint peak 20.0 MiB (engine)"));
    }

    void timeLeftFromTheRoundsSoFar()
    {
        // Before a round ended there is nothing to go by.
        QVERIFY(!estimateSecondsLeft({}, 1, 5, 3));
        // Round 2 of 5, 3 s into it, rounds take 10 s: 7 s of this one and 3 more rounds.
        QCOMPARE(*estimateSecondsLeft({10}, 2, 5, 3), 37.0);
        // The median, so one slow round does not throw it off.
        QCOMPARE(*estimateSecondsLeft({10, 30, 11}, 4, 5, 0), 22.0);
        // Overdue: this round's share is nothing, not negative.
        QCOMPARE(*estimateSecondsLeft({10}, 5, 5, 14), 0.0);
        QVERIFY(!estimateSecondsLeft({10}, 6, 5, 0));
    }

    void timeLeftReadsRounded()
    {
        QCOMPARE(timeLeftText(0.2), QStringLiteral("about 1 s left"));
        QCOMPARE(timeLeftText(37.4), QStringLiteral("about 37 s left"));
        QCOMPARE(timeLeftText(184), QStringLiteral("about 3m 00s left"));
        QCOMPARE(timeLeftText(3 * 3600 + 60), QStringLiteral("about 3h 01m left"));
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestRunSummary)
#include "tst_runsummary.moc"
