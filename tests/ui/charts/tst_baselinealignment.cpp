// How a baseline run is moved onto another run's clock, step by step: never back over
// itself, so all of it is drawn.
#include "charts/baselinealignment.h"

#include <QtTest>
#include <cmath>

namespace buildscope {

namespace {

StepResult step(const char* name, double start, double end, StepStatus status = StepStatus::Succeeded)
{
    StepResult result;
    result.name = name;
    result.status = status;
    result.startSeconds = start;
    result.endSeconds = end;
    return result;
}

} // namespace

class TestBaselineAlignment : public QObject
{
    Q_OBJECT

private slots:
    void stepsStartWhereTheOtherRunsDid()
    {
        const BaselineAlignment alignment({step("a", 0, 2), step("b", 2, 5), step("c", 5, 8)},
            {step("a", 0, 3), step("b", 3, 4), step("c", 0, 0, StepStatus::Pending)});
        QCOMPARE(alignment.step("a")->shift, 0.0);
        QCOMPARE(alignment.step("b")->shift, 1.0);
        QVERIFY(alignment.step("b")->matched);
        QCOMPARE(alignment.step("c")->shift, 1.0); // not started there: keeps the pace
        QVERIFY(!alignment.step("c")->matched);
        QCOMPARE(alignment.alignedEnd(), 9.0);
        QCOMPARE(alignment.shiftAt(2.5), 1.0);
        QCOMPARE(alignment.shiftAt(-1), 0.0);
    }

    void aLongerBaselineStepIsNeitherCutNorOverdrawn()
    {
        // The other run's compile took 4 s where the baseline's took 30: its link starts at
        // 5 s, but the baseline's link follows right after the baseline's compile.
        const std::vector<StepResult> baseline {step("setup", 0, 1), step("compile", 1, 31), step("link", 31, 33)};
        const BaselineAlignment alignment(baseline, {step("setup", 0, 1), step("compile", 1, 5), step("link", 5, 7)});
        QCOMPARE(alignment.step("link")->shift, 0.0);
        QVERIFY(alignment.step("link")->delayed);
        QVERIFY(!alignment.step("compile")->delayed);
        std::vector<double> times;
        std::vector<double> values;
        for (int i = 0; i < 330; ++i) {
            times.push_back(i * 0.1);
            values.push_back(i == 300 ? 410.0 : 100.0); // the peak, late in the compile
        }
        const QVector<QCPGraphData> points = alignment.align(times, values);
        QCOMPARE(points.size(), 330);
        QCOMPARE(points.back().key, 32.9);
        double peak = 0;
        for (int i = 1; i < points.size(); ++i) {
            QVERIFY(points[i].key > points[i - 1].key);
            peak = std::max(peak, points[i].value);
        }
        QCOMPARE(peak, 410.0);
    }

    void aLaterStepLeavesAGap()
    {
        const BaselineAlignment alignment({step("a", 0, 1), step("b", 1, 2)}, {step("a", 0, 1), step("b", 3, 4)});
        const QVector<QCPGraphData> points
            = alignment.align(std::vector<double> {0.5, 1.5}, std::vector<double> {1, 2});
        QCOMPARE(points.size(), 3);
        QCOMPARE(points[0].key, 0.5);
        QVERIFY(std::isnan(points[1].value)); // broken, not joined across the jump
        QCOMPARE(points[2].key, 3.5);
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestBaselineAlignment)
#include "tst_baselinealignment.moc"
