// A commit's verdict from a comparison of its runs with the good commit's: which rows
// count (metric, key), regression beats 'unknown', and the evidence shown.
#include "bisect/commitverdict.h"

#include <QtTest>

namespace buildscope {

namespace {

// A run with one step "compile" of `stepPeak` bytes whose ledger recorded the processes
// `processes` (key, peak).
RunResult makeRun(std::uint64_t stepPeak, const std::vector<std::pair<std::string, std::uint64_t>>& processes,
    RunStatus status = RunStatus::Succeeded)
{
    RunResult run;
    run.specName = "demo";
    run.status = status;
    StepResult step;
    step.name = "compile";
    step.status = StepStatus::Succeeded;
    step.startSeconds = 0;
    step.endSeconds = 1;
    step.peakRssBytes = stepPeak;
    run.steps.push_back(step);
    for (const auto& [key, peak] : processes) {
        ProcessRecord process;
        process.key = key;
        process.peakRssBytes = peak;
        run.processes.push_back(process);
    }
    return run;
}

std::vector<RunResult> runs(int count, std::uint64_t stepPeak, std::uint64_t ldPeak, std::uint64_t ccPeak = 100'000'000)
{
    std::vector<RunResult> result;
    for (int i = 0; i < count; ++i)
        result.push_back(makeRun(stepPeak + static_cast<std::uint64_t>(i) * 1000,
            {{"ld", ldPeak + static_cast<std::uint64_t>(i) * 1000},
                {"cc1plus", ccPeak + static_cast<std::uint64_t>(i)}}));
    return result;
}

Comparison compare(const std::vector<RunResult>& base, const std::vector<RunResult>& candidate)
{
    CompareOptions options;
    options.metrics = {"peak_rss_bytes"};
    return compareRuns(base, candidate, options);
}

} // namespace

class TestCommitVerdict : public QObject
{
    Q_OBJECT

private slots:
    void aRegressionOfAnyStepOrProcessIsBad()
    {
        // The linker 30 % hungrier, the step's own peak the same.
        const Comparison comparison = compare(runs(5, 500'000'000, 200'000'000), runs(5, 500'000'000, 260'000'000));
        const CommitJudgement judgement = judgeCommit(comparison, "peak_rss_bytes", "");
        QCOMPARE(judgement.verdict, CommitVerdict::Bad);
        QVERIFY(judgement.evidence);
        QCOMPARE(judgement.evidence->subject, std::string("process/ld"));
        QVERIFY(judgement.evidence->deltaPercent > 29 && judgement.evidence->deltaPercent < 31);
    }

    void aKeyLimitsTheRowsThatCount()
    {
        const Comparison comparison = compare(runs(5, 500'000'000, 200'000'000), runs(5, 500'000'000, 260'000'000));
        QCOMPARE(judgeCommit(comparison, "peak_rss_bytes", "ld").verdict, CommitVerdict::Bad);
        QCOMPARE(judgeCommit(comparison, "peak_rss_bytes", "compile").verdict, CommitVerdict::Good);
        QCOMPARE(judgeCommit(comparison, "peak_rss_bytes", "cc1plus").verdict, CommitVerdict::Good);
        // A key nothing measured: untestable, with a note naming it, never "good".
        const CommitJudgement missing = judgeCommit(comparison, "peak_rss_bytes", "lld");
        QCOMPARE(missing.verdict, CommitVerdict::Untestable);
        QVERIFY(missing.note.find("'lld'") != std::string::npos);
        // Another metric than the comparison holds: nothing to judge either.
        QCOMPARE(judgeCommit(comparison, "wall_s", "").verdict, CommitVerdict::Untestable);
    }

    void noChangeAndImprovementAreGood()
    {
        QCOMPARE(judgeCommit(compare(runs(5, 500'000'000, 200'000'000), runs(5, 500'000'000, 200'000'000)),
                     "peak_rss_bytes", "")
                     .verdict,
            CommitVerdict::Good);
        QCOMPARE(judgeCommit(compare(runs(5, 500'000'000, 200'000'000), runs(5, 300'000'000, 200'000'000)),
                     "peak_rss_bytes", "")
                     .verdict,
            CommitVerdict::Good);
    }

    // 3 + 3 runs cannot reach p < 0.05: however large the change, "cannot tell".
    void tooFewRunsCannotTell()
    {
        const CommitJudgement judgement = judgeCommit(
            compare(runs(3, 500'000'000, 200'000'000), runs(3, 500'000'000, 400'000'000)), "peak_rss_bytes", "");
        QCOMPARE(judgement.verdict, CommitVerdict::CannotTell);
        QVERIFY(judgement.note.find("3 + 3") != std::string::npos);
    }

    void aBuildThatFailsEverywhereIsUntestable()
    {
        std::vector<RunResult> failed;
        for (int i = 0; i < 5; ++i)
            failed.push_back(makeRun(500'000'000, {}, RunStatus::Failed));
        const CommitJudgement judgement
            = judgeCommit(compare(runs(5, 500'000'000, 200'000'000), failed), "peak_rss_bytes", "");
        QCOMPARE(judgement.verdict, CommitVerdict::Untestable);
        QVERIFY(!judgement.evidence);
        QVERIFY(judgement.note.find("build fails") != std::string::npos);
    }

    // The evidence follows the subject the bisection cares about when it has the verdict.
    void theEvidenceFollowsThePreferredSubject()
    {
        const Comparison comparison
            = compare(runs(5, 500'000'000, 200'000'000), runs(5, 500'000'000, 200'000'000, 104'000'000));
        const CommitJudgement largest = judgeCommit(comparison, "peak_rss_bytes", "");
        QCOMPARE(largest.verdict, CommitVerdict::Good);
        QCOMPARE(largest.evidence->subject, std::string("process/cc1plus"));
        const CommitJudgement preferred = judgeCommit(comparison, "peak_rss_bytes", "", "process/ld");
        QCOMPARE(preferred.evidence->subject, std::string("process/ld"));
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestCommitVerdict)
#include "tst_commitverdict.moc"
