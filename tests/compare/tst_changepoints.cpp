// E-divisive means with a deterministic test (compare/changepoints.h): the energy
// statistic against its O(n^2) definition, and what is and is not a change.
#include "compare/changepoints.h"
#include "compare/mannwhitney.h"
#include "compare/samplesummary.h"

#include <QtTest>
#include <memory>
#include <cmath>
#include <random>
#include <vector>

namespace buildscope {

namespace {

// The statistic of Matteson & James (2014) with alpha = 1, straight from its definition.
double bruteForceQ(const std::vector<double>& x, std::size_t t)
{
    const std::size_t n = x.size();
    double between = 0, left = 0, right = 0;
    for (std::size_t i = 0; i < t; ++i)
        for (std::size_t j = t; j < n; ++j)
            between += std::abs(x[i] - x[j]);
    for (std::size_t i = 0; i < t; ++i)
        for (std::size_t k = i + 1; k < t; ++k)
            left += std::abs(x[i] - x[k]);
    for (std::size_t j = t; j < n; ++j)
        for (std::size_t k = j + 1; k < n; ++k)
            right += std::abs(x[j] - x[k]);
    const double m = static_cast<double>(t);
    const double r = static_cast<double>(n - t);
    double energy = 2 * between / (m * r);
    if (t >= 2)
        energy -= left / (m * (m - 1) / 2);
    if (n - t >= 2)
        energy -= right / (r * (r - 1) / 2);
    return m * r / (m + r) * energy;
}

// Uniform noise of +-spread around level, from a fixed seed (portable: no std distribution).
std::vector<double> noisy(std::size_t count, double level, double spread, std::uint64_t seed)
{
    std::mt19937_64 random(seed);
    std::vector<double> values;
    for (std::size_t i = 0; i < count; ++i)
        values.push_back(level + spread * (static_cast<double>(random() >> 11) / 9007199254740992.0 * 2 - 1));
    return values;
}

std::vector<double> joined(std::vector<double> a, const std::vector<double>& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// Each change's p and medians are those of its segments, computed directly.
void verifyAgainstSegments(const std::vector<double>& values, const std::vector<ChangePoint>& changes)
{
    for (const ChangePoint& change : changes) {
        const std::span<const double> all(values);
        const std::span<const double> before = all.subspan(change.index - change.segmentBefore, change.segmentBefore);
        const std::span<const double> after = all.subspan(change.index, change.segmentAfter);
        QCOMPARE(change.p, mannWhitneyU(before, after).pValue);
        QCOMPARE(change.beforeMedian, summarize(before).median);
        QCOMPARE(change.afterMedian, summarize(after).median);
    }
}

} // namespace

class TestChangePoints : public QObject
{
    Q_OBJECT

private slots:
    void energyStatisticMatchesItsDefinition()
    {
        // Ties and repeated values included: ranks must not matter for equal values.
        std::vector<double> x = joined(noisy(17, 1e9, 3e6, 1), noisy(14, 1.1e9, 3e6, 2));
        x[3] = x[5];
        x[20] = x[5];
        const std::vector<double> q = energySplitStatistics(x);
        QCOMPARE(q.size(), x.size());
        QCOMPARE(q[0], 0.0);
        for (std::size_t t = 1; t < x.size(); ++t) {
            const double expected = bruteForceQ(x, t);
            QVERIFY2(std::abs(q[t] - expected) <= 1e-6 * std::abs(expected) + 1e-3,
                qPrintable(QStringLiteral("t=%1: %2 vs %3").arg(t).arg(q[t]).arg(expected)));
        }
        QVERIFY(energySplitStatistics(std::vector<double> {}).empty());
        QCOMPARE(energySplitStatistics(std::vector<double> {4.0}).size(), std::size_t {1});
    }

    void aStepIsFoundWhereItIs()
    {
        const std::vector<double> values = joined(noisy(20, 100, 1, 3), noisy(25, 120, 1, 4));
        const std::vector<ChangePoint> changes = detectChangePoints(values);
        QCOMPARE(changes.size(), std::size_t {1});
        const ChangePoint& change = changes.front();
        QCOMPARE(change.index, std::size_t {20});
        QVERIFY(change.p < 1e-6);
        QVERIFY(std::abs(change.beforeMedian - 100) < 1);
        QVERIFY(std::abs(change.afterMedian - 120) < 1);
        QVERIFY(std::abs(change.relativeChange - 0.2) < 0.02);
        QVERIFY(change.shift.low <= change.shift.shift && change.shift.shift <= change.shift.high);
        QVERIFY(change.shift.low > 17 && change.shift.high < 23);
        QCOMPARE(change.shift.confidence, 0.95);
        QCOMPARE(change.segmentBefore, std::size_t {20});
        QCOMPARE(change.segmentAfter, std::size_t {25});
        verifyAgainstSegments(values, changes);
    }

    void aStepDownIsFoundToo()
    {
        const std::vector<double> values = joined(noisy(30, 500, 5, 5), noisy(30, 400, 5, 6));
        const std::vector<ChangePoint> changes = detectChangePoints(values);
        QCOMPARE(changes.size(), std::size_t {1});
        QCOMPARE(changes.front().index, std::size_t {30});
        QVERIFY(changes.front().relativeChange < -0.15);
        QVERIFY(changes.front().shift.shift < 0);
    }

    void severalChangesAreAllFound()
    {
        std::vector<double> values = noisy(25, 100, 1, 7);
        values = joined(values, noisy(25, 130, 1, 8));
        values = joined(values, noisy(25, 100, 1, 9));
        values = joined(values, noisy(25, 90, 1, 10));
        const std::vector<ChangePoint> changes = detectChangePoints(values);
        QCOMPARE(changes.size(), std::size_t {3});
        QCOMPARE(changes[0].index, std::size_t {25});
        QCOMPARE(changes[1].index, std::size_t {50});
        QCOMPARE(changes[2].index, std::size_t {75});
        // Each change is judged between its neighbours, not against the whole series.
        QCOMPARE(changes[1].segmentBefore, std::size_t {25});
        QCOMPARE(changes[1].segmentAfter, std::size_t {25});
        verifyAgainstSegments(values, changes);
    }

    // One slow run, or two, is noise: neither side of a change may be shorter than
    // minSegment, and a spike does not move a median.
    void spikesAreNotChanges()
    {
        std::vector<double> values = noisy(60, 100, 2, 11);
        values[10] = 400;
        values[30] = 250;
        values[31] = 260;
        values[58] = 300;
        QVERIFY(detectChangePoints(values).empty());
    }

    // The newest runs: one slow run is not a change; minSegment runs that moved are.
    void theLastRunsCanBeAChangeWhenThereAreMinSegmentOfThem()
    {
        std::vector<double> values = noisy(40, 100, 1, 12);
        values.push_back(150);
        QVERIFY(detectChangePoints(values).empty());
        values.push_back(151);
        values.push_back(149);
        const std::vector<ChangePoint> changes = detectChangePoints(values);
        QCOMPARE(changes.size(), std::size_t {1});
        QCOMPARE(changes.front().index, std::size_t {40});
        QCOMPARE(changes.front().segmentAfter, std::size_t {3});
        // Segments of 7: the three new runs are not the majority of any segment yet.
        ChangePointOptions longer;
        longer.minSegment = 7;
        QVERIFY(detectChangePoints(values, longer).empty());
    }

    // Significant but small: the size floor decides, as compare's --threshold does.
    void theThresholdIsASizeFloor()
    {
        const std::vector<double> values = joined(noisy(40, 100, 0.2, 13), noisy(40, 103, 0.2, 14));
        QVERIFY(detectChangePoints(values).empty());
        ChangePointOptions fine;
        fine.thresholdPercent = 1;
        const std::vector<ChangePoint> changes = detectChangePoints(values, fine);
        QCOMPARE(changes.size(), std::size_t {1});
        QCOMPARE(changes.front().index, std::size_t {40});
    }

    // Nothing but noise, however long: no change.
    void noiseHasNoChange()
    {
        for (std::uint64_t seed = 20; seed < 30; ++seed)
            QVERIFY(detectChangePoints(noisy(300, 1000, 30, seed)).empty());
    }

    // Memory figures are often exactly equal from run to run; a step between two exact
    // levels is a change, a constant series is not.
    void exactValues()
    {
        std::vector<double> values(30, 4096.0);
        QVERIFY(detectChangePoints(values).empty());
        values.insert(values.end(), 10, 8192.0);
        const std::vector<ChangePoint> changes = detectChangePoints(values);
        QCOMPARE(changes.size(), std::size_t {1});
        QCOMPARE(changes.front().index, std::size_t {30});
        QCOMPARE(changes.front().relativeChange, 1.0);
        QCOMPARE(changes.front().shift.shift, 4096.0);
        verifyAgainstSegments(values, changes);
    }

    // Ties (the normal approximation with tie correction) and long segments.
    void statisticsWithTiesAndLongSegments()
    {
        std::vector<double> values;
        for (int i = 0; i < 120; ++i)
            values.push_back(100 + (i * 7) % 5);
        for (int i = 0; i < 80; ++i)
            values.push_back(110 + (i * 3) % 4);
        const std::vector<ChangePoint> changes = detectChangePoints(values);
        QCOMPARE(changes.size(), std::size_t {1});
        QCOMPARE(changes.front().index, std::size_t {120});
        verifyAgainstSegments(values, changes);
    }

    void shortSeriesHaveNoChange()
    {
        QVERIFY(detectChangePoints(std::vector<double> {}).empty());
        QVERIFY(detectChangePoints(std::vector<double> {1.0}).empty());
        QVERIFY(detectChangePoints(std::vector<double> {1, 1, 1, 9, 9}).empty());
    }

    // History allows a change only where a commit starts: a shift among one commit's runs
    // (the machine got busy) is never reported, and a real step still is, at its commit.
    void changesStartOnlyWhereAllowed()
    {
        // Commits of 5 runs; the machine slows down in the middle of commit 3 (index 12).
        const std::vector<double> values = joined(noisy(12, 100, 1, 5), noisy(13, 130, 1, 6));
        std::vector<char> flags(values.size(), 0);
        for (std::size_t i = 0; i < values.size(); i += 5)
            flags[i] = 1;
        const auto allowed = std::make_unique<bool[]>(values.size());
        for (std::size_t i = 0; i < values.size(); ++i)
            allowed[i] = flags[i] != 0;
        const std::vector<ChangePoint> free = detectChangePoints(values);
        QCOMPARE(free.size(), std::size_t {1});
        QCOMPARE(free.front().index, std::size_t {12});
        const std::vector<ChangePoint> atCommits
            = detectChangePoints(values, {}, std::span<const bool>(allowed.get(), values.size()));
        for (const ChangePoint& change : atCommits)
            QVERIFY2(change.index % 5 == 0, qPrintable(QString::number(change.index)));
        // A flag per value, or none.
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument, detectChangePoints(values, {}, std::span<const bool>(allowed.get(), 3)));
    }

    void nanIsRefused()
    {
        const std::vector<double> values {1, 2, std::nan(""), 4};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, detectChangePoints(values));
    }

    void theSameInputGivesTheSameAnswer()
    {
        const std::vector<double> values = joined(noisy(50, 10, 0.5, 15), noisy(50, 12, 0.5, 16));
        const std::vector<ChangePoint> first = detectChangePoints(values);
        const std::vector<ChangePoint> second = detectChangePoints(values);
        QCOMPARE(first.size(), second.size());
        for (std::size_t i = 0; i < first.size(); ++i) {
            QCOMPARE(first[i].index, second[i].index);
            QCOMPARE(first[i].p, second[i].p);
        }
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestChangePoints)
#include "tst_changepoints.moc"
