// The statistics a gate leans on besides Mann-Whitney U: the smallest p-value a sample
// size allows, the Hodges-Lehmann shift with its interval (R's wilcox.test(conf.int=TRUE)
// values), and the two-sample Kolmogorov-Smirnov test against a brute-force permutation
// count.
#include "compare/falsediscoveryrate.h"
#include "compare/kolmogorovsmirnov.h"
#include "compare/mannwhitney.h"
#include "compare/practicaleffect.h"
#include "compare/shiftestimate.h"

#include <QtTest>
#include <algorithm>
#include <cmath>
#include <vector>

namespace buildscope {

namespace {

// The exact permutation p-value of D: every way of splitting the pooled values into
// sides of sizes m and n, the share whose D is at least the observed one.
double permutationP(const std::vector<double>& x, const std::vector<double>& y)
{
    std::vector<double> pooled = x;
    pooled.insert(pooled.end(), y.begin(), y.end());
    const double observed = kolmogorovSmirnov(x, y).d;
    std::vector<bool> inX(pooled.size(), false);
    std::fill(inX.begin(), inX.begin() + static_cast<std::ptrdiff_t>(x.size()), true);
    std::sort(inX.begin(), inX.end());
    std::size_t total = 0;
    std::size_t atLeast = 0;
    do {
        std::vector<double> a;
        std::vector<double> b;
        for (std::size_t i = 0; i < pooled.size(); ++i)
            (inX[i] ? a : b).push_back(pooled[i]);
        ++total;
        atLeast += kolmogorovSmirnov(a, b).d >= observed - 1e-12 ? 1u : 0u;
    } while (std::next_permutation(inX.begin(), inX.end()));
    return static_cast<double>(atLeast) / static_cast<double>(total);
}

} // namespace

class TestGateStatistics : public QObject
{
    Q_OBJECT

private slots:
    void benjaminiHochbergMatchesR()
    {
        // R: p.adjust(c(0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216), "BH")
        //    0.0100 0.0400 0.0840 0.0840 0.0840 0.1000 0.1057 0.2160 0.2160 0.2160
        const std::vector<double> p {0.041, 0.001, 0.216, 0.008, 0.039, 0.06, 0.212, 0.042, 0.074, 0.205};
        const std::vector<double> expected {0.084, 0.01, 0.216, 0.04, 0.084, 0.1, 0.216, 0.084, 0.074 * 10 / 7, 0.216};
        const std::vector<double> q = benjaminiHochberg(p);
        QCOMPARE(q.size(), p.size());
        for (std::size_t i = 0; i < p.size(); ++i)
            QVERIFY2(std::abs(q[i] - expected[i]) < 1e-12, qPrintable(QString::number(i)));
    }

    void benjaminiHochbergCountsTheWholeFamily()
    {
        // One p of 0.0079 (5 + 5 runs, fully separated) among 10 hypotheses: q = 0.079.
        const std::vector<double> p {2.0 / 252.0};
        QVERIFY(std::abs(benjaminiHochberg(p, 10).front() - 20.0 / 252.0) < 1e-12);
        QVERIFY(std::abs(benjaminiHochberg(p).front() - 2.0 / 252.0) < 1e-12);
        QCOMPARE(benjaminiHochberg(std::vector<double> {0.5}, 10).front(), 1.0); // capped
        QVERIFY(benjaminiHochberg(std::vector<double> {}).empty());
    }

    void practicalEffectHasAFloorPerMetric()
    {
        // One clock tick on a 10 ms process is -100 % but no change.
        QVERIFY(!isPracticalChange("cpu_s", 0.01, 0.0, 5));
        QVERIFY(!isPracticalChange("wall_s", 0.011, 0.030, 5));
        QVERIFY(isPracticalChange("wall_s", 2.0, 2.5, 5));
        QVERIFY(!isPracticalChange("wall_s", 20.0, 20.5, 5)); // above the floor, below 5 %
        // Memory: 1 MiB, then the relative threshold.
        QVERIFY(!isPracticalChange("peak_rss_bytes", 3.0 * 1024 * 1024, 3.6 * 1024 * 1024, 5));
        QVERIFY(isPracticalChange("peak_rss_bytes", 61.5 * 1024 * 1024, 73.9 * 1024 * 1024, 5));
        QVERIFY(!isPracticalChange("tree_peak_rss_bytes", 400e6, 410e6, 5));
        // Counts have no floor of their own.
        QVERIFY(isPracticalChange("engine_allocations", 100, 110, 5));
        QVERIFY(!isPracticalChange("engine_allocations", 100, 100, 0));
        QCOMPARE(minimumEffect("duration_s"), 0.1);
    }

    void smallestPossibleP()
    {
        QCOMPARE(mannWhitneyMinimumP(3, 3), 0.1); // 2 / C(6, 3)
        QVERIFY(std::abs(mannWhitneyMinimumP(4, 4) - 2.0 / 70.0) < 1e-15);
        QVERIFY(std::abs(mannWhitneyMinimumP(5, 5) - 2.0 / 252.0) < 1e-15);
        QCOMPARE(mannWhitneyMinimumP(1, 1), 1.0);
        QVERIFY(mannWhitneyMinimumP(200, 200) < 1e-100);
    }

    // R: wilcox.test(c(6,7,8,9,10), c(1,2,3,4,5), conf.int=TRUE) gives the estimate 5 and
    // the interval [2, 8] (qwilcox(0.025, 5, 5) = 3: the 3rd smallest and 3rd largest).
    void hodgesLehmannMatchesR()
    {
        const std::vector<double> base {1, 2, 3, 4, 5};
        const std::vector<double> candidate {6, 7, 8, 9, 10};
        const ShiftEstimate shift = hodgesLehmannShift(base, candidate);
        QCOMPARE(shift.shift, 5.0);
        QCOMPARE(shift.low, 2.0);
        QCOMPARE(shift.high, 8.0);
        QCOMPARE(shift.confidence, 0.95);
        QCOMPARE(mannWhitneyCriticalCount(5, 5), std::size_t {3});
    }

    void hodgesLehmannWithTooFewRuns()
    {
        // 3 + 3: no interval reaches 95 %; the whole range, covering 1 - 2/20 = 90 %.
        const ShiftEstimate shift
            = hodgesLehmannShift(std::vector<double> {10, 11, 12}, std::vector<double> {13, 14, 15});
        QCOMPARE(shift.shift, 3.0);
        QCOMPARE(shift.low, 1.0);
        QCOMPARE(shift.high, 5.0);
        QVERIFY(std::abs(shift.confidence - 0.9) < 1e-12);
    }

    void kolmogorovSmirnovSeparatedSamples()
    {
        const KolmogorovSmirnovResult result
            = kolmogorovSmirnov(std::vector<double> {1, 2, 3, 4, 5}, std::vector<double> {6, 7, 8, 9, 10});
        QCOMPARE(result.d, 1.0);
        QVERIFY(result.exact);
        QVERIFY(std::abs(result.pValue - 2.0 / 252.0) < 1e-12);
        QCOMPARE(kolmogorovSmirnov(std::vector<double> {1, 2, 3}, std::vector<double> {1, 2, 3}).pValue, 1.0);
    }

    void kolmogorovSmirnovAgainstPermutations_data()
    {
        QTest::addColumn<QList<double>>("x");
        QTest::addColumn<QList<double>>("y");
        QTest::newRow("overlap") << QList<double> {1, 3, 5, 7, 9} << QList<double> {2, 4, 6, 12, 14, 16};
        QTest::newRow("wider spread, same median")
            << QList<double> {9, 10, 10.5, 11, 12} << QList<double> {2, 6, 10.4, 15, 19, 23};
        QTest::newRow("uneven sizes") << QList<double> {1, 2, 3, 4} << QList<double> {2.5, 5, 6, 7, 8, 9, 10};
    }
    void kolmogorovSmirnovAgainstPermutations()
    {
        QFETCH(QList<double>, x);
        QFETCH(QList<double>, y);
        const std::vector<double> a(x.begin(), x.end());
        const std::vector<double> b(y.begin(), y.end());
        const KolmogorovSmirnovResult result = kolmogorovSmirnov(a, b);
        QVERIFY(result.exact);
        const double expected = permutationP(a, b);
        QVERIFY2(std::abs(result.pValue - expected) < 1e-9,
            qPrintable(QString("lattice %1, permutations %2").arg(result.pValue).arg(expected)));
    }

    // With ties the lattice count assumes distinct values: its p-value is conservative
    // (never below the exact permutation p), as documented.
    void kolmogorovSmirnovWithTiesIsConservative()
    {
        const std::vector<double> a {9, 10, 10.5, 11, 12};
        const std::vector<double> b {2, 6, 10.5, 15, 19, 23};
        QVERIFY(kolmogorovSmirnov(a, b).pValue >= permutationP(a, b) - 1e-12);
    }

    void kolmogorovSmirnovLargeSamplesUseTheAsymptote()
    {
        std::vector<double> a;
        std::vector<double> b;
        for (int i = 0; i < 200; ++i) {
            a.push_back(i);
            b.push_back(i + 40);
        }
        const KolmogorovSmirnovResult result = kolmogorovSmirnov(a, b);
        QVERIFY(!result.exact);
        QCOMPARE(result.d, 0.2);
        QVERIFY(result.pValue > 0 && result.pValue < 0.01);
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestGateStatistics)
#include "tst_gatestatistics.moc"
