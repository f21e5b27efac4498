// The bisection's search without git or builds: it finds the first bad commit wherever it
// is, within ceil(log2(commits)) tests, and works around commits it cannot test.
#include "bisect/bisectsearch.h"

#include <QtTest>
#include <set>

namespace buildscope {

namespace {

int ceilLog2(std::size_t n)
{
    int steps = 0;
    for (std::size_t reach = 1; reach < n; reach *= 2)
        ++steps;
    return steps;
}

struct SearchRun
{
    std::size_t firstBad = 0;
    int steps = 0;
    std::set<std::size_t> tested;
};

// Runs the search over `count` candidates whose first bad one is `culprit`; `untestable`
// candidates are skipped when asked for.
SearchRun searchFor(std::size_t count, std::size_t culprit, const std::set<std::size_t>& untestable = {})
{
    BisectSearch bisect(count);
    SearchRun run;
    while (const std::optional<std::size_t> index = bisect.next()) {
        if (!run.tested.insert(*index).second || run.steps > 100)
            break; // a repeated test would loop forever: the test then fails on the count
        ++run.steps;
        if (untestable.contains(*index))
            bisect.markSkipped(*index);
        else if (*index >= culprit)
            bisect.markBad(*index);
        else
            bisect.markGood(*index);
    }
    run.firstBad = bisect.firstBad();
    return run;
}

} // namespace

class TestBisectSearch : public QObject
{
    Q_OBJECT

private slots:
    // Every position in ranges of 1 to 64 commits: found, in at most ceil(log2(n)) tests
    // (the last commit is the bad one and needs none), never testing the bad commit.
    void findsTheFirstBadCommitAnywhere()
    {
        for (std::size_t count = 1; count <= 64; ++count) {
            for (std::size_t culprit = 0; culprit < count; ++culprit) {
                const SearchRun run = searchFor(count, culprit);
                QCOMPARE(run.firstBad, culprit);
                QVERIFY2(run.steps <= ceilLog2(count),
                    qPrintable(QString("%1 commits, culprit %2: %3 steps").arg(count).arg(culprit).arg(run.steps)));
                QVERIFY(!run.tested.contains(count - 1));
            }
        }
    }

    // The example: 31 commits after good, the 18th of them (the repository's 19th
    // commit) the culprit: 5 tests, the first in the middle.
    void thirtyOneCommitsTakeFiveSteps()
    {
        BisectSearch bisect(31);
        QCOMPARE(bisect.next(), std::optional<std::size_t>(14));
        QCOMPARE(bisect.stepsLeft(), 5);
        QCOMPARE(bisect.untested(), std::size_t(30));
        const SearchRun run = searchFor(31, 17);
        QCOMPARE(run.firstBad, std::size_t(17));
        QCOMPARE(run.steps, 5);
    }

    void oneCommitNeedsNoTest()
    {
        BisectSearch bisect(1);
        QVERIFY(bisect.done());
        QCOMPARE(bisect.firstBad(), std::size_t(0));
        QCOMPARE(bisect.stepsLeft(), 0);
        QVERIFY(!bisect.lastGood());
        QVERIFY(bisect.skippedInRange().empty());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, BisectSearch(0));
    }

    // A skipped middle: its neighbour is tested instead, and the answer is still exact
    // when the skipped commit ends up outside the range.
    void aSkippedCommitIsWorkedAround()
    {
        BisectSearch bisect(9); // candidates 0..8, the middle is 3
        QCOMPARE(bisect.next(), std::optional<std::size_t>(3));
        bisect.markSkipped(3);
        QCOMPARE(bisect.next(), std::optional<std::size_t>(2)); // the one below first
        const SearchRun run = searchFor(9, 6, {3});
        QCOMPARE(run.firstBad, std::size_t(6));
        QVERIFY(!run.tested.contains(3) || run.steps <= 5);
    }

    // Untestable commits right before the culprit: the answer is a range, the skipped
    // commits and the first bad one, never a wrong single commit.
    void skippedCommitsBeforeTheCulpritLeaveARange()
    {
        BisectSearch bisect(10);
        const std::set<std::size_t> untestable {4, 5};
        while (const std::optional<std::size_t> index = bisect.next()) {
            if (untestable.contains(*index))
                bisect.markSkipped(*index);
            else if (*index >= 6)
                bisect.markBad(*index);
            else
                bisect.markGood(*index);
        }
        QCOMPARE(bisect.firstBad(), std::size_t(6));
        QCOMPARE(bisect.lastGood(), std::optional<std::size_t>(3));
        QCOMPARE(bisect.skippedInRange(), (std::vector<std::size_t> {4, 5}));
        QCOMPARE(bisect.untested(), std::size_t(0));
    }

    // Every candidate untestable: the search ends (no loop) with the whole range.
    void allSkippedEnds()
    {
        std::set<std::size_t> all;
        for (std::size_t i = 0; i < 7; ++i)
            all.insert(i);
        const SearchRun run = searchFor(8, 3, all);
        QCOMPARE(run.steps, 7);
        QCOMPARE(run.firstBad, std::size_t(7));
    }

    void stepsLeftShrinksAsTheRangeHalves()
    {
        BisectSearch bisect(16); // 15 untested + the bad one: 16 answers, 4 steps
        QCOMPARE(bisect.stepsLeft(), 4);
        bisect.markGood(7);
        QCOMPARE(bisect.untested(), std::size_t(7));
        QCOMPARE(bisect.stepsLeft(), 3);
        bisect.markBad(11);
        QCOMPARE(bisect.untested(), std::size_t(3));
        QCOMPARE(bisect.stepsLeft(), 2);
        // Marks outside the range change nothing.
        bisect.markGood(2);
        bisect.markBad(14);
        QCOMPARE(bisect.lastGood(), std::optional<std::size_t>(7));
        QCOMPARE(bisect.firstBad(), std::size_t(11));
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestBisectSearch)
#include "tst_bisectsearch.moc"
