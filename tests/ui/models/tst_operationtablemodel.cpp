#include "models/operationrow.h"
#include "models/operationtablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>
#include <cmath>

namespace buildscope {

namespace {

OperationRow makeRow(const QString& name, double wall)
{
    OperationRow row;
    row.name = name;
    row.count = 2;
    row.wallP50Seconds = wall;
    row.wallP95Seconds = wall * 2;
    row.cpuSeconds = wall / 2;
    row.allocationsPerOp = 4;
    row.bytesPerOp = 512;
    return row;
}

} // namespace

// The engine's operations have a table of their own: no Peak RSS (not measured per
// operation), no status; the same incremental updates as the steps table.
class TestOperationTableModel : public QObject
{
    Q_OBJECT

private slots:
    void rowsFromOperationStatistics()
    {
        OperationStatistics hash;
        hash.name = "context.hash";
        hash.count = 4;
        hash.wallP50Ns = 1'500'000;
        hash.wallP95Ns = 9'000'000;
        hash.cpuTimedCount = 2;
        hash.cpuTotalNs = 3'000'000;
        hash.allocations = 10;
        hash.allocatedBytes = 4096;
        OperationStatistics untimed;
        untimed.name = "tar.write";
        untimed.count = 3;
        untimed.wallP50Ns = 1000;
        untimed.wallP95Ns = 2000;

        const QList<OperationRow> rows = operationRows({hash, untimed});
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[0].name, QStringLiteral("context.hash"));
        QCOMPARE(rows[0].count, 4);
        QCOMPARE(rows[0].wallP50Seconds, 0.0015);
        QCOMPARE(rows[0].wallP95Seconds, 0.009);
        QCOMPARE(rows[0].cpuSeconds, 0.0015);
        QCOMPARE(rows[0].allocationsPerOp, 2.5);
        QCOMPARE(rows[0].bytesPerOp, 1024.0);

        QVERIFY(std::isnan(rows[1].cpuSeconds)); // CPU never measured: unknown, not 0
        QCOMPARE(rows[1].allocationsPerOp, 0.0);
    }

    void columnsAreTheOperationsOwn()
    {
        OperationTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.columnCount(), int(OperationTableModel::ColumnCount));
        QStringList titles;
        for (int column = 0; column < model.columnCount(); ++column) {
            titles << model.headerData(column, Qt::Horizontal).toString();
            QVERIFY(!model.headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty());
        }
        QVERIFY(!titles.contains(QStringLiteral("Peak RSS")));
        QVERIFY(!titles.contains(QStringLiteral("Status")));
        QCOMPARE(titles.front(), QStringLiteral("Operation"));
    }

    void updatesRepaintChangedRowsOnly()
    {
        OperationTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows({makeRow("hash", 0.001), makeRow("tar", 0.002)});
        QList<OperationRow> next = model.rows();
        next[1].count = 3;
        next.append(makeRow("asflags", 0.0001));
        QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setRows(next);
        QCOMPARE(dataChanged.count(), 1);
        QCOMPARE(dataChanged.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(model.index(1, OperationTableModel::CountColumn).data().toString(), QStringLiteral("3"));
        QCOMPARE(model.index(0, OperationTableModel::WallP50Column).data().toString(), QStringLiteral("1.0 ms"));
        QCOMPARE(
            model.index(0, OperationTableModel::WallP50Column).data(OperationTableModel::SortRole).toDouble(), 0.001);
        QCOMPARE(model.index(2, OperationTableModel::NameColumn).data().toString(), QStringLiteral("asflags"));
    }
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestOperationTableModel)
#include "tst_operationtablemodel.moc"
