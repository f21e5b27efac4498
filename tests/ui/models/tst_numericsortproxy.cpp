#include "models/numericsortproxy.h"
#include "models/steptablemodel.h"

#include <QAbstractItemModelTester>
#include <QtTest>

namespace buildscope {

namespace {

StepRow makeRow(const QString& name, double wall)
{
    StepRow row;
    row.name = name;
    row.type = QStringLiteral("run");
    row.count = 1;
    row.wallP50Seconds = wall;
    row.wallP95Seconds = wall;
    return row;
}

} // namespace

class TestNumericSortProxy : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_model = std::make_unique<StepTableModel>();
        m_proxy = std::make_unique<NumericSortProxy>();
        m_proxy->setSourceModel(m_model.get());
        m_modelTester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_proxyTester = std::make_unique<QAbstractItemModelTester>(
            m_proxy.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_model->setRows({makeRow("b", 2), makeRow("unknown", StepRow::kUnknown), makeRow("a", 10),
            makeRow("hash", 0.5), makeRow("c", 0.1)});
    }

    void cleanup()
    {
        m_proxyTester.reset();
        m_modelTester.reset();
        m_proxy.reset();
        m_model.reset();
    }

    void sortsByRawValueWithUnknownLast()
    {
        m_proxy->sort(StepTableModel::WallP50Column, Qt::AscendingOrder);
        QCOMPARE(names(), (QStringList {"c", "hash", "b", "a", "unknown"}));
        m_proxy->sort(StepTableModel::WallP50Column, Qt::DescendingOrder);
        QCOMPARE(names(), (QStringList {"a", "b", "hash", "c", "unknown"}));
    }

    void sortsTextCaseInsensitively()
    {
        m_model->setRows({makeRow("beta", 1), makeRow("Alpha", 1), makeRow("gamma", 1)});
        m_proxy->sort(StepTableModel::NameColumn, Qt::AscendingOrder);
        QCOMPARE(names(), (QStringList {"Alpha", "beta", "gamma"}));
    }

    void liveUpdatesKeepTheSort()
    {
        m_proxy->sort(StepTableModel::WallP50Column, Qt::AscendingOrder);
        QList<StepRow> next = m_model->rows();
        next[0].wallP50Seconds = 20; // b becomes the slowest
        next.append(makeRow("d", 0.05));
        m_model->setRows(next);
        QCOMPARE(names(), (QStringList {"d", "c", "hash", "a", "b", "unknown"}));
    }

private:
    QStringList names() const
    {
        QStringList result;
        for (int row = 0; row < m_proxy->rowCount(); ++row)
            result.append(m_proxy->index(row, StepTableModel::NameColumn).data().toString());
        return result;
    }

    std::unique_ptr<StepTableModel> m_model;
    std::unique_ptr<NumericSortProxy> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_modelTester;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestNumericSortProxy)
#include "tst_numericsortproxy.moc"
