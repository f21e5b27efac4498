#include "compare/comparisontablemodel.h"
#include "compare/significantonlyproxy.h"
#include "models/numericsortproxy.h"

#include <QAbstractItemModelTester>
#include <QtTest>

namespace buildscope {

namespace {

ComparisonRow row(const char* subject, Verdict verdict, double delta)
{
    ComparisonRow r;
    r.subject = subject;
    r.metric = "wall_s";
    r.unit = "s";
    r.base.n = r.candidate.n = 5;
    r.base.median = 1;
    r.candidate.median = 1 + delta / 100;
    r.deltaPercent = delta;
    r.verdict = verdict;
    return r;
}

Comparison fixture()
{
    Comparison c;
    c.rows = {row("a", Verdict::NoChange, 1), row("b", Verdict::Regression, 30), row("c", Verdict::NoChange, -2),
        row("d", Verdict::Improvement, -25), row("e", Verdict::Regression, 12)};
    return c;
}

QStringList subjects(const QAbstractItemModel& model)
{
    QStringList result;
    for (int r = 0; r < model.rowCount(); ++r)
        result << model.index(r, ComparisonTableModel::SubjectColumn).data().toString();
    return result;
}

} // namespace

class TestSignificantOnlyProxy : public QObject
{
    Q_OBJECT

private slots:
    void filtersWhenEnabled()
    {
        ComparisonTableModel model;
        SignificantOnlyProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setComparison(fixture());
        QVERIFY(!proxy.isEnabled());
        QCOMPARE(subjects(proxy), (QStringList {"a", "b", "c", "d", "e"}));
        proxy.setEnabled(true);
        QCOMPARE(subjects(proxy), (QStringList {"b", "d", "e"}));
        // A new comparison under an enabled filter is filtered too.
        Comparison next = fixture();
        next.rows[0].verdict = Verdict::Improvement;
        model.setComparison(next);
        QCOMPARE(subjects(proxy), (QStringList {"a", "b", "d", "e"}));
        proxy.setEnabled(false);
        QCOMPARE(proxy.rowCount(), 5);
    }

    void sortProxyOnTop()
    {
        // One proxy per concern: the filter below, the sort above, both stay consistent.
        ComparisonTableModel model;
        SignificantOnlyProxy filter;
        filter.setSourceModel(&model);
        NumericSortProxy sort;
        sort.setSourceModel(&filter);
        QAbstractItemModelTester filterTester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester sortTester(&sort, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setComparison(fixture());
        sort.sort(ComparisonTableModel::DeltaColumn, Qt::DescendingOrder);
        filter.setEnabled(true);
        QCOMPARE(subjects(sort), (QStringList {"b", "e", "d"}));
        filter.setEnabled(false);
        QCOMPARE(subjects(sort), (QStringList {"b", "e", "a", "c", "d"}));
    }

    void emptyModel()
    {
        ComparisonTableModel model;
        SignificantOnlyProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setEnabled(true);
        QCOMPARE(proxy.rowCount(), 0);
    }
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestSignificantOnlyProxy)
#include "tst_significantonlyproxy.moc"
