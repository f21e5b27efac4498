#include "compare/samplesummary.h"

#include <QtTest>
#include <vector>

namespace buildscope {

class TestSampleSummary : public QObject
{
    Q_OBJECT

private slots:
    void medianOddAndEven()
    {
        const std::vector<double> odd {5, 1, 3};
        QCOMPARE(summarize(odd).median, 3.0);
        const std::vector<double> even {4, 1, 3, 2};
        QCOMPARE(summarize(even).median, 2.5);
    }

    void smallSamplesReportTheRangeAndItsCoverage()
    {
        const std::vector<double> five {10, 12, 11, 14, 13};
        const SampleSummary s = summarize(five);
        QCOMPARE(s.low, 10.0);
        QCOMPARE(s.high, 14.0);
        QCOMPARE(s.confidence, 1.0 - 2.0 / 32.0); // 0.9375: 95 % is out of reach with 5 values
    }

    void largerSamplesUseOrderStatistics()
    {
        // n = 20: P(B(20, 1/2) <= 5) = 0.0207 -> k = 6: [x(6), x(15)], coverage 0.9586.
        std::vector<double> values;
        for (int i = 1; i <= 20; ++i)
            values.push_back(i);
        const SampleSummary s = summarize(values);
        QCOMPARE(s.low, 6.0);
        QCOMPARE(s.high, 15.0);
        QVERIFY(qAbs(s.confidence - 0.9586105346679688) < 1e-12);
        QVERIFY(s.confidence >= 0.95);
    }

    void equalValuesAreFlagged()
    {
        const std::vector<double> same {7, 7, 7};
        QVERIFY(summarize(same).allEqual);
        const std::vector<double> different {7, 7, 8};
        QVERIFY(!summarize(different).allEqual);
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestSampleSummary)
#include "tst_samplesummary.moc"
