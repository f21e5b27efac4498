#include "compare/mannwhitney.h"

#include <QtTest>
#include <algorithm>
#include <vector>

namespace buildscope {

class TestMannWhitney : public QObject
{
    Q_OBJECT

private slots:
    void exactSmallSamplesMatchR()
    {
        // R: x <- c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46)
        //    y <- c(1.15, 0.88, 0.90, 0.74, 1.21)
        //    wilcox.test(x, y, alternative = "g")  ->  W = 35, p-value = 0.1272 (so two-sided 0.2544)
        const std::vector<double> x {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
        const std::vector<double> y {1.15, 0.88, 0.90, 0.74, 1.21};
        const MannWhitneyResult result = mannWhitneyU(x, y);
        QCOMPARE(result.u, 35.0);
        QVERIFY(result.exact);
        QVERIFY(qAbs(result.pValue - 0.2544122544122544) < 1e-12);
    }

    void completeSeparationOfFiveAndFive()
    {
        // Every candidate above every baseline: the smallest p five runs per side can give.
        const std::vector<double> a {10, 11, 12, 13, 14};
        const std::vector<double> b {15, 16, 17, 18, 19};
        const MannWhitneyResult result = mannWhitneyU(a, b);
        QCOMPARE(result.u, 0.0);
        QVERIFY(qAbs(result.pValue - 2.0 / 252.0) < 1e-12); // 0.0079
        QVERIFY(qAbs(mannWhitneyU(b, a).pValue - 2.0 / 252.0) < 1e-12);
        QCOMPARE(mannWhitneyU(b, a).u, 25.0);
    }

    void threeAgainstThreeCannotBeSignificant()
    {
        const std::vector<double> a {1, 2, 3};
        const std::vector<double> b {4, 5, 6};
        QVERIFY(qAbs(mannWhitneyU(a, b).pValue - 0.1) < 1e-12);
    }

    // Small samples with ties: the exact permutation distribution of the midrank sum,
    // checked against enumerating every way to pick the first sample from the pooled one.
    void smallSamplesWithTiesAreExact_data()
    {
        QTest::addColumn<std::vector<double>>("x");
        QTest::addColumn<std::vector<double>>("y");
        const double mib = 1024.0 * 1024.0;
        QTest::newRow("3 vs 3, all tied a side") << std::vector<double> {100 * mib, 100 * mib, 100 * mib}
                                                 << std::vector<double> {200 * mib, 200 * mib, 200 * mib};
        QTest::newRow("4 vs 5") << std::vector<double> {1, 2, 2, 3} << std::vector<double> {2, 3, 4, 4, 5};
        QTest::newRow("6 vs 6, clock ticks") << std::vector<double> {0.01, 0.01, 0.02, 0.01, 0.0, 0.01}
                                             << std::vector<double> {0.02, 0.01, 0.02, 0.02, 0.01, 0.03};
        QTest::newRow("5 vs 7, one tie across")
            << std::vector<double> {10, 11, 12, 13, 20} << std::vector<double> {20, 21, 22, 23, 24, 25, 26};
    }

    void smallSamplesWithTiesAreExact()
    {
        QFETCH(std::vector<double>, x);
        QFETCH(std::vector<double>, y);
        const MannWhitneyResult result = mannWhitneyU(x, y);
        QVERIFY(result.exact);
        // Enumerate: every subset of the pooled sample of x's size, its U against the rest.
        std::vector<double> pooled = x;
        pooled.insert(pooled.end(), y.begin(), y.end());
        const std::size_t m = x.size();
        const std::size_t total = pooled.size();
        auto uOf = [&](const std::vector<bool>& chosen) {
            double u = 0;
            for (std::size_t i = 0; i < total; ++i) {
                for (std::size_t j = 0; j < total; ++j) {
                    if (chosen[i] && !chosen[j])
                        u += pooled[i] > pooled[j] ? 1.0 : pooled[i] == pooled[j] ? 0.5 : 0.0;
                }
            }
            return u;
        };
        std::vector<bool> chosen(total, false);
        std::fill(chosen.begin(), chosen.begin() + static_cast<std::ptrdiff_t>(m), true);
        const double observed = uOf(chosen);
        QCOMPARE(result.u, observed);
        double lower = 0;
        double upper = 0;
        double count = 0;
        std::vector<bool> mask(total, false);
        std::fill(mask.end() - static_cast<std::ptrdiff_t>(m), mask.end(), true);
        do {
            const double u = uOf(mask);
            lower += u <= observed + 1e-9 ? 1 : 0;
            upper += u >= observed - 1e-9 ? 1 : 0;
            ++count;
        } while (std::next_permutation(mask.begin(), mask.end()));
        const double expected = std::min(1.0, 2.0 * std::min(lower, upper) / count);
        QVERIFY2(qAbs(result.pValue - expected) < 1e-12,
            qPrintable(QStringLiteral("%1 vs enumerated %2").arg(result.pValue, 0, 'g', 17).arg(expected, 0, 'g', 17)));
    }

    void threeTiedAgainstThreeTiedIsOneInTen()
    {
        // 3 runs at 100 MiB, 3 at 200 MiB: 1 arrangement in C(6, 3) = 20 a tail, p = 0.1,
        // where the normal approximation said 0.047.
        const std::vector<double> a {100, 100, 100};
        const std::vector<double> b {200, 200, 200};
        const MannWhitneyResult result = mannWhitneyU(a, b);
        QVERIFY(result.exact);
        QVERIFY(qAbs(result.pValue - 0.1) < 1e-12);
    }

    void tiesUseTheNormalApproximationAsR()
    {
        // R's documented example: wilcox.test(Ozone ~ Month, data = airquality,
        // subset = Month %in% c(5, 8))  ->  W = 127.5, p-value = 0.0001208
        const std::vector<double> may {
            41, 36, 12, 18, 28, 23, 19, 8, 7, 16, 11, 14, 18, 14, 34, 6, 30, 11, 1, 11, 4, 32, 23, 45, 115, 37};
        const std::vector<double> august {
            39, 9, 16, 78, 35, 66, 122, 89, 110, 44, 28, 65, 22, 59, 23, 31, 44, 21, 9, 45, 168, 73, 76, 118, 84, 85};
        const MannWhitneyResult result = mannWhitneyU(may, august);
        QCOMPARE(result.u, 127.5);
        QVERIFY(!result.exact);
        QVERIFY2(
            qAbs(result.pValue - 0.00012080783076877434) < 1e-12, qPrintable(QString::number(result.pValue, 'g', 17)));
    }

    void largeSamplesUseTheNormalApproximation()
    {
        // scipy.stats.mannwhitneyu(x, y, method="asymptotic") -> U = 435, p = 1.046957585499723e-11
        std::vector<double> x;
        std::vector<double> y;
        for (int i = 0; i < 60; ++i)
            x.push_back(i);
        for (int i = 0; i < 55; ++i)
            y.push_back(i + 30.5);
        const MannWhitneyResult result = mannWhitneyU(x, y);
        QCOMPARE(result.u, 435.0);
        QVERIFY(!result.exact);
        QVERIFY(qAbs(result.pValue / 1.046957585499723e-11 - 1.0) < 1e-9);
    }

    void identicalSamplesGiveOne()
    {
        const std::vector<double> a {5, 5, 5, 5};
        QCOMPARE(mannWhitneyU(a, a).pValue, 1.0);
        const std::vector<double> b {1, 2, 3, 4};
        QCOMPARE(mannWhitneyU(b, b).pValue, 1.0);
    }

    void emptySideIsRejected()
    {
        const std::vector<double> a {1};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mannWhitneyU(a, std::vector<double> {}));
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestMannWhitney)
#include "tst_mannwhitney.moc"
