#include "history/historytablemodel.h"
#include "history/runfilterproxy.h"

#include <QAbstractItemModelTester>
#include <QtTest>
#include <cmath>

namespace buildscope {

namespace {

RunRecord makeRun(std::int64_t id, const char* spec, const char* status,
    std::vector<std::pair<std::string, std::string>> labels, std::uint64_t peak)
{
    RunRecord run;
    run.id = id;
    run.specName = spec;
    run.status = status;
    run.startedAt = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000 + 60 * id));
    run.durationSeconds = 100.0 - static_cast<double>(id);
    run.treePeakRssBytes = peak;
    run.labels = std::move(labels);
    return run;
}

std::vector<RunRecord> fixture()
{
    return {makeRun(6, "api", "failed", {{"side", "cand"}, {"git.branch", "feature/x"}}, 900),
        makeRun(5, "api", "succeeded", {{"side", "cand"}, {"git.branch", "feature/x"}}, 0),
        makeRun(4, "web", "succeeded", {{"side", "baseline"}}, 500),
        makeRun(3, "api", "succeeded", {{"side", "base"}, {"git.branch", "main"}, {"git.commit", "3f2a9c0d"}}, 300),
        makeRun(2, "api", "interrupted", {{"side", "base"}, {"git.branch", "main"}}, 0),
        makeRun(1, "api", "succeeded", {{"side", "base"}, {"git.branch", "main"}}, 100)};
}

QList<qint64> shownIds(const QAbstractItemModel& proxy)
{
    QList<qint64> ids;
    for (int row = 0; row < proxy.rowCount(); ++row)
        ids << proxy.index(row, 0).data(HistoryTableModel::RunIdRole).toLongLong();
    return ids;
}

} // namespace

class TestRunFilterProxy : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_model = std::make_unique<HistoryTableModel>();
        m_proxy = std::make_unique<RunFilterProxy>();
        m_proxy->setSourceModel(m_model.get());
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_proxy.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_model->setRuns(fixture());
    }

    void cleanup()
    {
        m_tester.reset();
        m_proxy.reset();
        m_model.reset();
    }

    void nothingFiltersByDefault()
    {
        QVERIFY(!m_proxy->isFiltering());
        QCOMPARE(m_proxy->rowCount(), 6);
    }

    void bySpecExactly()
    {
        m_proxy->setSpecName(QStringLiteral("web"));
        QCOMPARE(shownIds(*m_proxy), (QList<qint64> {4}));
        m_proxy->setSpecName(QStringLiteral("ap")); // not a prefix match
        QCOMPARE(m_proxy->rowCount(), 0);
        m_proxy->setSpecName({});
        QCOMPARE(m_proxy->rowCount(), 6);
    }

    void byLabels_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QList<qint64>>("expected");
        QTest::newRow("a label") << QStringLiteral("side=cand") << QList<qint64> {6, 5};
        // Substring: side=base also finds side=baseline (documented).
        QTest::newRow("substring") << QStringLiteral("side=base") << QList<qint64> {4, 3, 2, 1};
        QTest::newRow("key suffix") << QStringLiteral("branch=main") << QList<qint64> {3, 2, 1};
        QTest::newRow("commit prefix") << QStringLiteral("3F2A") << QList<qint64> {3};
        QTest::newRow("all terms, spaces") << QStringLiteral("side=base main") << QList<qint64> {3, 2, 1};
        QTest::newRow("all terms, commas") << QStringLiteral("side=cand,feature") << QList<qint64> {6, 5};
        QTest::newRow("no match") << QStringLiteral("side=base feature") << QList<qint64> {};
        QTest::newRow("blank") << QStringLiteral("  ") << QList<qint64> {6, 5, 4, 3, 2, 1};
    }

    void byLabels()
    {
        QFETCH(QString, filter);
        QFETCH(QList<qint64>, expected);
        m_proxy->setLabelFilter(filter);
        QCOMPARE(shownIds(*m_proxy), expected);
    }

    void byStatusAndCombined()
    {
        m_proxy->setStatus(QStringLiteral("succeeded"));
        QCOMPARE(shownIds(*m_proxy), (QList<qint64> {5, 4, 3, 1}));
        m_proxy->setSpecName(QStringLiteral("api"));
        m_proxy->setLabelFilter(QStringLiteral("side=base"));
        QCOMPARE(shownIds(*m_proxy), (QList<qint64> {3, 1}));
        QVERIFY(m_proxy->isFiltering());
        m_proxy->setStatus(QStringLiteral("interrupted"));
        QCOMPARE(shownIds(*m_proxy), (QList<qint64> {2}));
    }

    void sortsBySortRole()
    {
        // Duration: 100 - id, numerically (text order would put "94 s" after "100 s"...).
        m_proxy->sort(HistoryTableModel::DurationColumn, Qt::AscendingOrder);
        QCOMPARE(shownIds(*m_proxy), (QList<qint64> {6, 5, 4, 3, 2, 1}));
        // Peak RSS: unknown (0 -> NaN) last in both directions.
        m_proxy->sort(HistoryTableModel::PeakRssColumn, Qt::DescendingOrder);
        QCOMPARE(shownIds(*m_proxy), (QList<qint64> {6, 4, 3, 1, 5, 2}));
        m_proxy->sort(HistoryTableModel::PeakRssColumn, Qt::AscendingOrder);
        QCOMPARE(shownIds(*m_proxy).mid(0, 4), (QList<qint64> {1, 3, 4, 6}));
        m_proxy->sort(HistoryTableModel::StartedColumn, Qt::DescendingOrder);
        QCOMPARE(shownIds(*m_proxy), (QList<qint64> {6, 5, 4, 3, 2, 1}));
        // New runs arriving at the top of the source keep the proxy consistent (tester checks).
        std::vector<RunRecord> next = fixture();
        next.insert(next.begin(), makeRun(7, "web", "running", {{"side", "cand"}}, 0));
        m_model->setRuns(next);
        QCOMPARE(shownIds(*m_proxy).front(), 7);
    }

private:
    std::unique_ptr<HistoryTableModel> m_model;
    std::unique_ptr<RunFilterProxy> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestRunFilterProxy)
#include "tst_runfilterproxy.moc"
