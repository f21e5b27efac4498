#include "models/numericsortproxy.h"
#include "models/pooltablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>
#include <cmath>

namespace buildscope {

namespace {

PoolStatistics pool(const char* name, std::size_t classBytes, std::uint64_t acquires, std::uint64_t hits)
{
    PoolStatistics statistics;
    statistics.name = name;
    statistics.classBytes = classBytes;
    statistics.acquires = acquires;
    statistics.hits = hits;
    statistics.misses = acquires - hits;
    statistics.retainedBytes = 3 * classBytes;
    statistics.retainedHighWaterBytes = 5 * classBytes;
    statistics.maxRetainedBytes = 64 * classBytes;
    return statistics;
}

std::vector<PoolStatistics> fourPools()
{
    return {pool("buffer-4k", 4096, 100, 75), pool("buffer-64k", 65536, 0, 0), pool("buffer-1m", 1 << 20, 8, 8),
        pool("string-256", 256, 10, 5)};
}

} // namespace

class TestPoolTableModel : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_model = std::make_unique<PoolTableModel>();
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
    }

    void display()
    {
        m_model->setPools(fourPools());
        const auto text = [this](int row, int column) { return m_model->index(row, column).data().toString(); };
        QCOMPARE(text(0, PoolTableModel::PoolColumn), QStringLiteral("buffer-4k"));
        QCOMPARE(text(0, PoolTableModel::ClassColumn), QStringLiteral("4.00 KiB"));
        QCOMPARE(text(0, PoolTableModel::AcquiresColumn), QStringLiteral("100"));
        QCOMPARE(text(0, PoolTableModel::HitsColumn), QStringLiteral("75"));
        QCOMPARE(text(0, PoolTableModel::MissesColumn), QStringLiteral("25"));
        QCOMPARE(text(0, PoolTableModel::HitRateColumn), QStringLiteral("75.0%"));
        QCOMPARE(text(0, PoolTableModel::RetainedColumn), QStringLiteral("12.0 KiB"));
        QCOMPARE(text(0, PoolTableModel::RetainedPeakColumn), QStringLiteral("20.0 KiB"));
        QCOMPARE(text(2, PoolTableModel::ClassColumn), QStringLiteral("1.00 MiB"));
        QCOMPARE(text(2, PoolTableModel::HitRateColumn), QStringLiteral("100.0%"));
        QVERIFY(
            m_model->index(0, PoolTableModel::RetainedColumn).data(Qt::ToolTipRole).toString().contains("256.0 KiB"));
    }

    void hitRateWithoutAcquiresIsNotApplicable()
    {
        m_model->setPools(fourPools());
        const QModelIndex idle = m_model->index(1, PoolTableModel::HitRateColumn);
        QCOMPARE(idle.data().toString(), QStringLiteral("n/a"));
        QVERIFY(std::isnan(idle.data(PoolTableModel::SortRole).toDouble()));
        QCOMPARE(m_model->index(0, PoolTableModel::HitRateColumn).data(PoolTableModel::SortRole).toDouble(), 0.75);
    }

    void notApplicableSortsLast()
    {
        m_model->setPools(fourPools());
        NumericSortProxy proxy;
        proxy.setSourceModel(m_model.get());
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto order = [&proxy] {
            QStringList names;
            for (int row = 0; row < proxy.rowCount(); ++row)
                names.append(proxy.index(row, PoolTableModel::PoolColumn).data().toString());
            return names;
        };
        proxy.sort(PoolTableModel::HitRateColumn, Qt::AscendingOrder);
        QCOMPARE(order(), (QStringList {"string-256", "buffer-4k", "buffer-1m", "buffer-64k"}));
        proxy.sort(PoolTableModel::HitRateColumn, Qt::DescendingOrder);
        QCOMPARE(order(), (QStringList {"buffer-1m", "buffer-4k", "string-256", "buffer-64k"}));
        // Byte columns sort by value, not by their text ("1.00 MiB" < "4.00 KiB" as strings).
        proxy.sort(PoolTableModel::ClassColumn, Qt::AscendingOrder);
        QCOMPARE(order(), (QStringList {"string-256", "buffer-4k", "buffer-64k", "buffer-1m"}));

        // Once the idle pool gets acquires it sorts by its rate.
        std::vector<PoolStatistics> next = fourPools();
        next[1].acquires = 10;
        next[1].hits = 1;
        next[1].misses = 9;
        m_model->setPools(next);
        proxy.sort(PoolTableModel::HitRateColumn, Qt::AscendingOrder);
        QCOMPARE(order(), (QStringList {"buffer-64k", "string-256", "buffer-4k", "buffer-1m"}));
    }

    void batchedUpdates()
    {
        m_model->setPools(fourPools());
        std::vector<PoolStatistics> next = fourPools();
        next[1].acquires += 1;
        next[1].misses += 1;
        next[2].retainedBytes += 1;
        QSignalSpy dataChanged(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->setPools(next);
        QCOMPARE(dataChanged.count(), 1);
        QCOMPARE(dataChanged.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(dataChanged.at(0).at(1).toModelIndex().row(), 2);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(reset.count(), 0);

        next[0].hits = 80;
        next[3].discards = 2;
        m_model->setPools(next);
        QCOMPARE(dataChanged.count(), 3);
        QCOMPARE(dataChanged.at(1).at(0).toModelIndex().row(), 0);
        QCOMPARE(dataChanged.at(1).at(1).toModelIndex().row(), 0);
        QCOMPARE(dataChanged.at(2).at(0).toModelIndex().row(), 3);
        QCOMPARE(dataChanged.at(2).at(1).toModelIndex().row(), 3);

        m_model->setPools(next);
        QCOMPARE(dataChanged.count(), 3); // nothing changed, nothing repainted

        next.push_back(pool("string-4k", 4096, 1, 0));
        m_model->setPools(next);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 4);
        QCOMPARE(inserted.at(0).at(2).toInt(), 4);
        QCOMPARE(dataChanged.count(), 3);
        QCOMPARE(reset.count(), 0);

        next.erase(next.begin());
        m_model->setPools(next);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(m_model->rowCount(), 4);
    }

    void headers()
    {
        const QStringList expected {
            "Pool", "Class", "Acquires", "Hits", "Misses", "Hit rate", "Retained", "Retained peak", "Discards"};
        QCOMPARE(m_model->columnCount(), expected.size());
        for (int column = 0; column < m_model->columnCount(); ++column) {
            QCOMPARE(m_model->headerData(column, Qt::Horizontal).toString(), expected[column]);
            QVERIFY(!m_model->headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty());
        }
    }

private:
    std::unique_ptr<PoolTableModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestPoolTableModel)
#include "tst_pooltablemodel.moc"
