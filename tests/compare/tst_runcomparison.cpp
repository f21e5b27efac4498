#include "compare/runcomparison.h"

#include <QtTest>
#include <algorithm>
#include <cmath>
#include <optional>

namespace buildscope {

namespace {

// A run whose compile step peaks at `compilePeak` bytes; small per-run jitter from `i`.
RunResult makeRun(int i, double compilePeak, double compileWall, std::uint64_t opAllocations = 3, double hitRate = 0.75)
{
    RunResult run;
    run.specName = "demo";
    run.status = RunStatus::Succeeded;
    run.startedAt = std::chrono::system_clock::time_point(std::chrono::seconds(1000 * i));
    run.endedAt = run.startedAt + std::chrono::milliseconds(static_cast<int>(compileWall * 1000) + 500 + i);
    StepResult fingerprint;
    fingerprint.name = "fingerprint";
    fingerprint.kind = StepKind::Checksum;
    fingerprint.status = StepStatus::Succeeded;
    fingerprint.endSeconds = 0.01 + 0.0001 * i;
    fingerprint.peakRssBytes = 10'000'000 + static_cast<std::uint64_t>(i) * 1000;
    StepResult compile;
    compile.name = "compile";
    compile.kind = StepKind::Run;
    compile.status = StepStatus::Succeeded;
    compile.startSeconds = 0.1;
    compile.endSeconds = 0.1 + compileWall + 0.01 * ((i * 7) % 5);
    compile.userCpuSeconds = compileWall;
    compile.peakRssBytes = static_cast<std::uint64_t>(compilePeak + 100'000.0 * ((i * 3) % 5));
    compile.peakIsProcessTree = true;
    run.steps = {fingerprint, compile};
    run.treePeakRssBytes = compile.peakRssBytes;
    OperationStatistics op;
    op.name = "fingerprint";
    op.count = 1;
    op.wallTotalNs = 1'000'000 + static_cast<std::uint64_t>(i) * 1000;
    op.allocations = opAllocations;
    op.allocatedBytes = opAllocations * 100;
    run.operations = {op};
    PoolStatistics pool;
    pool.name = "io.4KiB";
    pool.acquires = 100;
    pool.hits = static_cast<std::uint64_t>(hitRate * 100);
    pool.misses = pool.acquires - pool.hits;
    run.pools = {pool};
    return run;
}

// A copy, not a pointer: the tests often search the temporary that compareRuns() returns.
std::optional<ComparisonRow> find(const Comparison& comparison, const std::string& subject, const std::string& metric)
{
    for (const ComparisonRow& row : comparison.rows) {
        if (row.subject == subject && row.metric == metric)
            return row;
    }
    return std::nullopt;
}

} // namespace

class TestRunComparison : public QObject
{
    Q_OBJECT

private slots:
    void thirtyPercentMoreMemoryIsARegression()
    {
        std::vector<RunResult> base;
        std::vector<RunResult> candidate;
        for (int i = 0; i < 5; ++i) {
            base.push_back(makeRun(i, 400e6, 7.0));
            candidate.push_back(makeRun((i + 2) % 5, 520e6, 7.0)); // same jitter, shuffled
        }
        const Comparison comparison = compareRuns(base, candidate);
        const std::optional<ComparisonRow> peak = find(comparison, "compile", "peak_rss_bytes");
        QVERIFY(peak);
        QCOMPARE(peak->verdict, Verdict::Regression);
        QVERIFY(peak->pValue < 0.05);
        QVERIFY(qAbs(peak->pValue - 2.0 / 252.0) < 1e-12);
        QVERIFY(peak->deltaPercent > 25 && peak->deltaPercent < 35);
        // Wall time moved by noise only.
        QCOMPARE(find(comparison, "compile", "wall_s")->verdict, Verdict::NoChange);
        // Exactly the compile step's peak (and the run's peak, which is the same number).
        std::vector<std::string> flagged;
        for (const ComparisonRow& row : comparison.rows) {
            if (row.verdict == Verdict::Regression)
                flagged.push_back(row.subject + ":" + row.metric);
        }
        QVERIFY2(flagged == (std::vector<std::string> {"compile:peak_rss_bytes", "run:tree_peak_rss_bytes"}),
            qPrintable(QString::fromStdString([&] {
                std::string all;
                for (const auto& f : flagged)
                    all += f + " ";
                return all;
            }())));
        QVERIFY(comparison.warnings.empty());
    }

    void unchangedRunSetsHaveNoRegression()
    {
        std::vector<RunResult> base;
        std::vector<RunResult> candidate;
        for (int i = 0; i < 5; ++i) {
            base.push_back(makeRun(i, 400e6, 7.0));
            candidate.push_back(makeRun(i + 1, 400e6, 7.0));
        }
        const Comparison comparison = compareRuns(base, candidate);
        QCOMPARE(comparison.regressions(), std::size_t {0});
        QCOMPARE(comparison.improvements(), std::size_t {0});
    }

    void metricsOptionKeepsOnlyTheNamedMetrics()
    {
        std::vector<RunResult> base;
        std::vector<RunResult> candidate;
        for (int i = 0; i < 5; ++i) {
            base.push_back(makeRun(i, 400e6, 7.0));
            candidate.push_back(makeRun(i, 520e6, 9.0)); // slower and hungrier
        }
        CompareOptions memoryOnly;
        memoryOnly.metrics = {"peak_rss_bytes"};
        const Comparison comparison = compareRuns(base, candidate, memoryOnly);
        QVERIFY(!comparison.rows.empty());
        for (const ComparisonRow& row : comparison.rows)
            QCOMPARE(row.metric, std::string("peak_rss_bytes"));
        QVERIFY(find(comparison, "compile", "peak_rss_bytes"));
        QCOMPARE(comparison.regressions(), std::size_t {1}); // the slower wall time is not compared
        QCOMPARE(compareRuns(base, candidate).regressions() > 1, true);
    }

    void deterministicCountsCompareExactly()
    {
        std::vector<RunResult> base {makeRun(0, 400e6, 7, 3), makeRun(1, 400e6, 7, 3)};
        std::vector<RunResult> same {makeRun(2, 400e6, 7, 3), makeRun(3, 400e6, 7, 3)};
        std::vector<RunResult> more {makeRun(2, 400e6, 7, 4), makeRun(3, 400e6, 7, 4)};
        const std::optional<ComparisonRow> unchanged
            = find(compareRuns(base, same), "operation/fingerprint", "allocations_per_op");
        QVERIFY(unchanged->exact);
        QCOMPARE(unchanged->pValue, 1.0);
        QCOMPARE(unchanged->verdict, Verdict::NoChange);
        // One more allocation per op: real with two runs per side, because the count is exact.
        const Comparison changed = compareRuns(base, more);
        const std::optional<ComparisonRow> row = find(changed, "operation/fingerprint", "allocations_per_op");
        QVERIFY(row->exact);
        QCOMPARE(row->pValue, 0.0);
        QCOMPARE(row->verdict, Verdict::Regression);
        QVERIFY(!changed.warnings.empty()); // but the timing rows cannot be judged with n = 2
    }

    void lowerHitRateIsARegression()
    {
        std::vector<RunResult> base;
        std::vector<RunResult> candidate;
        for (int i = 0; i < 5; ++i) {
            base.push_back(makeRun(i, 400e6, 7.0, 3, 0.90 + 0.01 * i));
            candidate.push_back(makeRun(i, 400e6, 7.0, 3, 0.50 + 0.01 * i));
        }
        const std::optional<ComparisonRow> row = find(compareRuns(base, candidate), "pool/io.4KiB", "hit_rate");
        QVERIFY(row);
        QVERIFY(!row->higherIsWorse);
        QCOMPARE(row->verdict, Verdict::Regression);
    }

    void smallSignificantChangesBelowTheThresholdAreNotFlagged()
    {
        std::vector<RunResult> base;
        std::vector<RunResult> candidate;
        for (int i = 0; i < 6; ++i) {
            base.push_back(makeRun(i, 400e6, 7.0));
            candidate.push_back(makeRun(i, 412e6, 7.0)); // +3 %, perfectly separated
        }
        const std::optional<ComparisonRow> row = find(compareRuns(base, candidate), "compile", "peak_rss_bytes");
        QVERIFY(row->pValue < 0.05);
        QCOMPARE(row->verdict, Verdict::NoChange);
        CompareOptions strict;
        strict.thresholdPercent = 1.0;
        QCOMPARE(find(compareRuns(base, candidate, strict), "compile", "peak_rss_bytes")->verdict, Verdict::Regression);
    }

    void stepsOnOneSideAreListed()
    {
        RunResult a = makeRun(0, 400e6, 7.0);
        RunResult b = makeRun(1, 400e6, 7.0);
        b.steps[1].name = "compile-renamed";
        const Comparison comparison = compareRuns({a}, {b});
        QCOMPARE(comparison.onlyInBase, (std::vector<std::string> {"compile"}));
        QCOMPARE(comparison.onlyInCandidate, (std::vector<std::string> {"compile-renamed"}));
        QVERIFY(!find(comparison, "compile", "wall_s"));
        QVERIFY(find(comparison, "fingerprint", "wall_s"));
    }

    void failedStepsContributeNothing()
    {
        RunResult a = makeRun(0, 400e6, 7.0);
        RunResult b = makeRun(1, 400e6, 7.0);
        b.steps[1].status = StepStatus::Failed;
        QVERIFY(!find(compareRuns({a}, {b}), "compile", "peak_rss_bytes"));
    }

    void geomeanOfRatios()
    {
        std::vector<RunResult> base {makeRun(0, 400e6, 7.0)};
        std::vector<RunResult> candidate {makeRun(0, 800e6, 7.0)};
        const Comparison comparison = compareRuns(base, candidate);
        const double ratio = comparison.geomeanRatio("peak_rss_bytes");
        QVERIFY(ratio > 1.0 && ratio < 2.0); // compile doubled, fingerprint unchanged
    }

    // --- the gate faults of issue 11 ---

    // Four killed runs against twelve good ones read as a -100 % "improvement" when their
    // 0 B peaks counted; swapped, a real increase became "no change". Now they stay out.
    void interruptedRunsDoNotEnter()
    {
        std::vector<RunResult> good;
        std::vector<RunResult> mixed;
        for (int i = 0; i < 12; ++i)
            good.push_back(makeRun(i, 400e6, 7.0));
        for (int i = 0; i < 4; ++i) {
            RunResult killed = makeRun(i, 0, 1.0);
            killed.status = RunStatus::Failed;
            killed.failure = "interrupted: the recording process is gone";
            killed.steps[1].status = StepStatus::Running;
            killed.treePeakRssBytes = 0;
            mixed.push_back(killed);
        }
        for (int i = 0; i < 6; ++i)
            mixed.push_back(makeRun(20 + i, 520e6, 7.0)); // +30 %
        for (const bool swapped : {false, true}) {
            const Comparison comparison = swapped ? compareRuns(mixed, good) : compareRuns(good, mixed);
            QCOMPARE(swapped ? comparison.baseExcluded : comparison.candidateExcluded, std::size_t {4});
            QCOMPARE(swapped ? comparison.baseRuns : comparison.candidateRuns, std::size_t {6});
            const std::optional<ComparisonRow> peak = find(comparison, "run", "tree_peak_rss_bytes");
            QVERIFY(peak);
            QCOMPARE(peak->verdict, swapped ? Verdict::Improvement : Verdict::Regression);
            QVERIFY(std::abs(peak->deltaPercent) > 20 && std::abs(peak->deltaPercent) < 40);
            QVERIFY(std::any_of(comparison.warnings.begin(), comparison.warnings.end(), [](const std::string& w) {
                return w.find("4 of 10 runs left out (4 interrupted)") != std::string::npos;
            }));
        }
        CompareOptions all;
        all.includeUnsuccessful = true;
        QCOMPARE(compareRuns(good, mixed, all).candidateRuns, std::size_t {10});
    }

    // 3 + 3 runs cannot reach p < 0.05: a clean +27 % is "unknown", not "no change".
    void tooFewRunsAreUnknown()
    {
        std::vector<RunResult> base;
        std::vector<RunResult> candidate;
        for (int i = 0; i < 3; ++i) {
            base.push_back(makeRun(i, 400e6, 7.0));
            candidate.push_back(makeRun(i, 508e6, 7.0));
        }
        const Comparison comparison = compareRuns(base, candidate);
        const std::optional<ComparisonRow> peak = find(comparison, "compile", "peak_rss_bytes");
        QVERIFY(peak);
        QCOMPARE(peak->verdict, Verdict::Unknown);
        QCOMPARE(comparison.runsNeeded, std::size_t {4});
        QVERIFY(comparison.unknowns() > 0);
        QCOMPARE(comparison.regressions(), std::size_t {0});
        // Deterministic counts are still decided exactly.
        const std::optional<ComparisonRow> allocations
            = find(comparison, "operation/fingerprint", "allocations_per_op");
        QVERIFY(allocations && allocations->verdict == Verdict::NoChange && allocations->exact);
    }

    void effectSizeComesWithItsInterval()
    {
        std::vector<RunResult> base;
        std::vector<RunResult> candidate;
        for (int i = 0; i < 6; ++i) {
            base.push_back(makeRun(i, 400e6, 7.0));
            candidate.push_back(makeRun(i, 520e6, 7.0));
        }
        const std::optional<ComparisonRow> peak = find(compareRuns(base, candidate), "compile", "peak_rss_bytes");
        QVERIFY(peak);
        QVERIFY(std::abs(peak->shift - 120e6) < 1e6);
        QVERIFY(peak->shiftLow <= peak->shift && peak->shift <= peak->shiftHigh);
        QCOMPARE(peak->shiftConfidence, 0.95);
        QVERIFY(peak->spreadPValue < 0.05); // the distributions differ (in location, here)
        QVERIFY(!peak->spreadChanged); // ... which MWU already reports
    }

    // --- issue 19: the gate covers memory of the steps and the run; other rows explain ---

    void timingExplainsButDoesNotGateByDefault()
    {
        std::vector<RunResult> base;
        std::vector<RunResult> candidate;
        for (int i = 0; i < 5; ++i) {
            base.push_back(makeRun(i, 400e6, 7.0));
            candidate.push_back(makeRun(i, 400e6, 9.1)); // 30 % slower, no hungrier
        }
        const Comparison comparison = compareRuns(base, candidate);
        const std::optional<ComparisonRow> wall = find(comparison, "compile", "wall_s");
        QVERIFY(wall);
        QCOMPARE(wall->verdict, Verdict::Regression);
        QVERIFY(!wall->gates);
        QVERIFY(find(comparison, "compile", "peak_rss_bytes")->gates);
        QVERIFY(find(comparison, "run", "tree_peak_rss_bytes")->gates);
        QCOMPARE(comparison.gateRegressions(), std::size_t {0});
        QCOMPARE(comparison.gateVerdict(), GateVerdict::Pass);
        // The deciding rows come first even when they do not gate, largest first.
        QCOMPARE(comparison.rows.front().verdict, Verdict::Regression);

        CompareOptions timing;
        timing.metrics = {"wall_s"}; // naming a metric puts it under the gate
        const Comparison gated = compareRuns(base, candidate, timing);
        QVERIFY(find(gated, "compile", "wall_s")->gates);
        QCOMPARE(gated.gateVerdict(), GateVerdict::Fail);
    }

    void keysWidenTheGateToProcesses()
    {
        std::vector<RunResult> base;
        std::vector<RunResult> candidate;
        auto withCompiles = [](RunResult run, std::uint64_t parserPeak) {
            for (const auto& [key, peak] : {std::pair<const char*, std::uint64_t> {"cc1plus src/lexer.cpp", 20u << 20},
                     {"cc1plus src/parser.cpp", parserPeak}}) {
                ProcessRecord process;
                process.key = key;
                process.step = "compile";
                process.peakRssBytes = peak;
                process.startSeconds = 0.1;
                process.endSeconds = 1.1;
                run.processes.push_back(process);
            }
            return run;
        };
        for (int i = 0; i < 5; ++i) {
            base.push_back(withCompiles(makeRun(i, 400e6, 7.0), (40u << 20) + static_cast<std::uint64_t>(i) * 4096));
            candidate.push_back(
                withCompiles(makeRun(i, 400e6, 7.0), (52u << 20) + static_cast<std::uint64_t>(i) * 4096));
        }
        const Comparison comparison = compareRuns(base, candidate);
        const std::optional<ComparisonRow> parser
            = find(comparison, "process/cc1plus src/parser.cpp", "peak_rss_bytes");
        QVERIFY(parser);
        QCOMPARE(parser->verdict, Verdict::Regression); // named, as the explanation
        QVERIFY(!parser->gates);
        QCOMPARE(comparison.gateVerdict(), GateVerdict::Pass); // the step's peak did not move
        QCOMPARE(find(comparison, "process/cc1plus src/lexer.cpp", "peak_rss_bytes")->verdict, Verdict::NoChange);

        CompareOptions processes;
        processes.gateKeys = {"process/*"};
        const Comparison widened = compareRuns(base, candidate, processes);
        QVERIFY(find(widened, "process/cc1plus src/parser.cpp", "peak_rss_bytes")->gates);
        QVERIFY(!find(widened, "compile", "peak_rss_bytes")->gates);
        QCOMPARE(widened.gateVerdict(), GateVerdict::Fail);
        QCOMPARE(widened.rows.front().subject, std::string("process/cc1plus src/parser.cpp"));
    }

    void keysMatchWithStars()
    {
        QVERIFY(keyMatches("step/*", "step/compile"));
        QVERIFY(keyMatches("process/cc1plus*", "process/cc1plus src/a.cpp"));
        QVERIFY(keyMatches("*parser*", "process/cc1plus src/parser.cpp"));
        QVERIFY(keyMatches("run", "run"));
        QVERIFY(!keyMatches("run", "runner"));
        QVERIFY(!keyMatches("step/*", "process/step/x"));
        QVERIFY(keyMatches("*", ""));
        QCOMPARE(subjectKey("compile", true), std::string("step/compile"));
        QCOMPARE(subjectKey("process/ld app", false), std::string("process/ld app"));
    }

    // 3 + 3 runs: every row unknown, the largest move first, so the changed one is read first.
    void unknownRowsComeLargestFirst()
    {
        std::vector<RunResult> base;
        std::vector<RunResult> candidate;
        for (int i = 0; i < 3; ++i) {
            base.push_back(makeRun(i, 400e6, 7.0));
            candidate.push_back(makeRun(i, 620e6, 7.0)); // +55 %
        }
        const Comparison comparison = compareRuns(base, candidate);
        QCOMPARE(comparison.gateVerdict(), GateVerdict::CannotTell);
        QCOMPARE(comparison.rows.front().verdict, Verdict::Unknown);
        QVERIFY(comparison.rows.front().metric.find("peak_rss_bytes") != std::string::npos);
        QVERIFY(comparison.rows.front().deltaPercent > 50);
    }

    void selfCompareAndDifferentSpecsAreWarned()
    {
        std::vector<RunResult> base;
        for (int i = 1; i <= 5; ++i)
            base.push_back(makeRun(i, 400e6, 7.0));
        const Comparison self = compareRuns(base, base);
        QVERIFY(std::any_of(self.warnings.begin(), self.warnings.end(),
            [](const std::string& w) { return w.find("the same runs") != std::string::npos; }));
        std::vector<RunResult> other = base;
        for (RunResult& run : other) {
            run.specName = "another";
            run.startedAt += std::chrono::hours(1);
        }
        const Comparison different = compareRuns(base, other);
        QVERIFY(std::any_of(different.warnings.begin(), different.warnings.end(),
            [](const std::string& w) { return w.find("different specs") != std::string::npos; }));
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestRunComparison)
#include "tst_runcomparison.moc"
