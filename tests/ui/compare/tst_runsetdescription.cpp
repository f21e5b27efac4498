// How a picked set of runs is named in the history panel and the comparison's summary.
#include "compare/runsetdescription.h"

#include <QtTest>

Q_DECLARE_METATYPE(std::vector<std::int64_t>)

namespace buildscope {

namespace {

RunRecord run(std::int64_t id, std::vector<std::pair<std::string, std::string>> labels, const char* spec = "demo")
{
    RunRecord record;
    record.id = id;
    record.specName = spec;
    record.labels = std::move(labels);
    return record;
}

} // namespace

class TestRunSetDescription : public QObject
{
    Q_OBJECT

private slots:
    void describes_data()
    {
        QTest::addColumn<std::vector<std::int64_t>>("ids");
        QTest::addColumn<QString>("expected");
        QTest::newRow("none") << std::vector<std::int64_t> {} << QStringLiteral("none");
        QTest::newRow("one") << std::vector<std::int64_t> {3} << QStringLiteral("run #3 (demo)");
        QTest::newRow("all of a label") << std::vector<std::int64_t> {5, 4, 3, 2, 1}
                                        << QStringLiteral("5 runs labelled side=base");
        // The issue: 3 of 5 labelled runs read as "3 runs (label side=base)".
        QTest::newRow("part of a label") << std::vector<std::int64_t> {5, 4, 3}
                                         << QStringLiteral("3 of 5 runs labelled side=base");
        QTest::newRow("the label that picked them first")
            << std::vector<std::int64_t> {5, 4} << QStringLiteral("2 runs labelled try=2");
        QTest::newRow("no label in common") << std::vector<std::int64_t> {6, 7} << QStringLiteral("2 runs (#6, #7)");
        QTest::newRow("many, by id") << std::vector<std::int64_t> {7, 6, 5, 4, 3}
                                     << QStringLiteral("5 runs (#7, #6, #5, #4, \u2026)");
    }

    void describes()
    {
        QFETCH(std::vector<std::int64_t>, ids);
        QFETCH(QString, expected);
        const std::vector<RunRecord> listed {run(7, {{"side", "cand"}}), run(6, {}),
            run(5, {{"side", "base"}, {"try", "2"}, {"git.branch", "main"}}),
            run(4, {{"side", "base"}, {"try", "2"}, {"git.branch", "main"}}),
            run(3, {{"side", "base"}, {"git.branch", "main"}}), run(2, {{"side", "base"}, {"git.branch", "main"}}),
            run(1, {{"side", "base"}, {"git.branch", "main"}})};
        QCOMPARE(describeRunSet(ids, listed), expected);
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestRunSetDescription)
#include "tst_runsetdescription.moc"
