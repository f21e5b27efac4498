#include "models/steprow.h"

#include <QtTest>
#include <cmath>

namespace buildscope {

namespace {

StepResult step(const char* name, StepKind kind, StepStatus status, double wall, double cpu = 0, std::uint64_t peak = 0,
    std::uint64_t allocations = 0, std::uint64_t bytes = 0)
{
    StepResult result;
    result.name = name;
    result.kind = kind;
    result.status = status;
    result.startSeconds = 10;
    result.endSeconds = 10 + wall;
    result.userCpuSeconds = cpu * 0.75;
    result.systemCpuSeconds = cpu * 0.25;
    result.peakRssBytes = peak;
    result.peakIsProcessTree = kind == StepKind::Run || kind == StepKind::Container;
    result.engineAllocations = allocations;
    result.engineAllocatedBytes = bytes;
    return result;
}

} // namespace

class TestStepRow : public QObject
{
    Q_OBJECT

private slots:
    void nearestRank_data()
    {
        QTest::addColumn<std::vector<double>>("values");
        QTest::addColumn<double>("p");
        QTest::addColumn<double>("expected");
        QTest::newRow("one p50") << std::vector<double> {7} << 50.0 << 7.0;
        QTest::newRow("one p95") << std::vector<double> {7} << 95.0 << 7.0;
        // n = 5: p50 rank ceil(2.5) = 3, p95 rank ceil(4.75) = 5.
        QTest::newRow("five p50") << std::vector<double> {5, 1, 4, 2, 3} << 50.0 << 3.0;
        QTest::newRow("five p95") << std::vector<double> {5, 1, 4, 2, 3} << 95.0 << 5.0;
        // n = 4: p50 rank 2 (the lower middle: an observed value, not an average).
        QTest::newRow("four p50") << std::vector<double> {40, 10, 30, 20} << 50.0 << 20.0;
        // n = 20: p95 rank 19.
        std::vector<double> twenty;
        for (int i = 1; i <= 20; ++i)
            twenty.push_back(i);
        QTest::newRow("twenty p95") << twenty << 95.0 << 19.0;
    }

    void nearestRank()
    {
        QFETCH(std::vector<double>, values);
        QFETCH(double, p);
        QFETCH(double, expected);
        QCOMPARE(nearestRankPercentile(values, p), expected);
    }

    void nearestRankOfNothingIsUnknown() { QVERIFY(std::isnan(nearestRankPercentile({}, 50))); }

    void oneRun()
    {
        const std::vector<std::vector<StepResult>> runs {{
            step("checksum", StepKind::Checksum, StepStatus::Succeeded, 0.25, 0.2, 50'000'000, 120, 4096),
            step("build", StepKind::Run, StepStatus::Failed, 12.5, 30.0, 900'000'000, 40, 8000),
            step("push", StepKind::Container, StepStatus::NotRun, 0),
        }};
        const QList<StepRow> rows = stepRowsFromRuns(runs);
        QCOMPARE(rows.size(), 3);

        QCOMPARE(rows[0].name, QStringLiteral("checksum"));
        QCOMPARE(rows[0].type, QStringLiteral("checksum"));
        QCOMPARE(rows[0].status, QStringLiteral("succeeded"));
        QCOMPARE(rows[0].count, 1);
        QCOMPARE(rows[0].wallP50Seconds, 0.25);
        QCOMPARE(rows[0].wallP95Seconds, 0.25);
        QCOMPARE(rows[0].cpuSeconds, 0.2);
        QCOMPARE(rows[0].allocationsPerOp, 120.0);
        QCOMPARE(rows[0].bytesPerOp, 4096.0);
        QCOMPARE(rows[0].peakRssBytes, 50'000'000.0);
        QVERIFY(!rows[0].peakIsProcessTree);

        QCOMPARE(rows[1].type, QStringLiteral("run"));
        QCOMPARE(rows[1].status, QStringLiteral("failed"));
        QCOMPARE(rows[1].count, 1);
        QCOMPARE(rows[1].wallP50Seconds, 12.5);
        QVERIFY(rows[1].peakIsProcessTree);

        // Never ran: counted zero times, nothing measured.
        QCOMPARE(rows[2].status, QStringLiteral("not-run"));
        QCOMPARE(rows[2].count, 0);
        QVERIFY(std::isnan(rows[2].wallP50Seconds));
        QVERIFY(std::isnan(rows[2].wallP95Seconds));
        QVERIFY(std::isnan(rows[2].cpuSeconds));
        QVERIFY(std::isnan(rows[2].allocationsPerOp));
        QVERIFY(std::isnan(rows[2].peakRssBytes));
    }

    void fiveRuns()
    {
        // compile: wall 4, 1, 5, 2, 3 s -> sorted 1 2 3 4 5: p50 = 3 (rank 3), p95 = 5 (rank 5).
        // CPU 10, 50, 30, 20, 40 -> median 30. Allocations 5, 1, 4, 3, 2 -> 3. Peak max = 700.
        // test: skipped in run 3, so 4 runs with wall 8, 6, 9, 7 -> p50 rank 2 = 7, p95 rank 4 = 9.
        const double walls[] = {4, 1, 5, 2, 3};
        const double cpus[] = {10, 50, 30, 20, 40};
        const std::uint64_t allocations[] = {5, 1, 4, 3, 2};
        const std::uint64_t peaks[] = {300, 700, 100, 500, 600};
        const double testWalls[] = {8, 6, 0, 9, 7};
        std::vector<std::vector<StepResult>> runs;
        for (int i = 0; i < 5; ++i) {
            const auto at = static_cast<std::size_t>(i);
            const StepStatus last = i == 4 ? StepStatus::TimedOut : StepStatus::Succeeded;
            runs.push_back({
                step("compile", StepKind::Run, last, walls[at], cpus[at], peaks[at], allocations[at],
                    allocations[at] * 100),
                step("test", StepKind::Run, i == 2 ? StepStatus::Skipped : StepStatus::Succeeded, testWalls[at]),
            });
        }
        const QList<StepRow> rows = stepRowsFromRuns(runs);
        QCOMPARE(rows.size(), 2);
        const StepRow& compile = rows[0];
        QCOMPARE(compile.name, QStringLiteral("compile"));
        QCOMPARE(compile.count, 5);
        QCOMPARE(compile.wallP50Seconds, 3.0);
        QCOMPARE(compile.wallP95Seconds, 5.0);
        QCOMPARE(compile.cpuSeconds, 30.0);
        QCOMPARE(compile.allocationsPerOp, 3.0);
        QCOMPARE(compile.bytesPerOp, 300.0);
        QCOMPARE(compile.peakRssBytes, 700.0);
        QCOMPARE(compile.status, QStringLiteral("timed-out")); // the latest run's

        const StepRow& test = rows[1];
        QCOMPARE(test.count, 4);
        QCOMPARE(test.wallP50Seconds, 7.0);
        QCOMPARE(test.wallP95Seconds, 9.0);
        QCOMPARE(test.status, QStringLiteral("succeeded"));
    }

    void runningStepCountsButAddsNoSample()
    {
        std::vector<std::vector<StepResult>> runs {
            {step("build", StepKind::Run, StepStatus::Succeeded, 2)},
            {step("build", StepKind::Run, StepStatus::Running, 0)},
        };
        const QList<StepRow> rows = stepRowsFromRuns(runs);
        QCOMPARE(rows[0].count, 2);
        QCOMPARE(rows[0].status, QStringLiteral("running"));
        QCOMPARE(rows[0].wallP50Seconds, 2.0);
    }

    void stepsFirstSeenLaterAreAppended()
    {
        std::vector<std::vector<StepResult>> runs {
            {step("a", StepKind::Run, StepStatus::Succeeded, 1), step("b", StepKind::Run, StepStatus::Succeeded, 1)},
            {step("c", StepKind::Tar, StepStatus::Succeeded, 1), step("a", StepKind::Run, StepStatus::Failed, 1)},
        };
        const QList<StepRow> rows = stepRowsFromRuns(runs);
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows[0].name, QStringLiteral("a"));
        QCOMPARE(rows[0].status, QStringLiteral("failed"));
        QCOMPARE(rows[1].name, QStringLiteral("b"));
        QCOMPARE(rows[2].name, QStringLiteral("c"));
        QCOMPARE(rows[2].type, QStringLiteral("tar"));
    }

    void noRuns() { QVERIFY(stepRowsFromRuns({}).isEmpty()); }
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestStepRow)
#include "tst_steprow.moc"
