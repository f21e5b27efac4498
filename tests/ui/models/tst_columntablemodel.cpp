// The table base every BuildScope table stands on: a column list serves display, sort,
// tooltip, alignment and the header; snapshots update with the fewest signals.
#include "models/columntablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>
#include <cmath>
#include <limits>

namespace buildscope {

namespace {

struct Fruit
{
    QString name;
    double grams = 0;
};

class FruitModel : public ColumnTableModel<Fruit>
{
public:
    enum Column
    {
        NameColumn,
        WeightColumn,
        ColumnCount
    };

    FruitModel()
    {
        setColumns({
            ColumnSpec(QStringLiteral("Name"), QStringLiteral("What it is"), [](const Fruit& f) { return f.name; }),
            ColumnSpec(QStringLiteral("Weight"), QStringLiteral("How heavy"),
                [](const Fruit& f) { return QStringLiteral("%1 g").arg(f.grams); })
                .withUnit(QStringLiteral("grams"))
                .withSortKey([](const Fruit& f) { return f.grams; })
                .withToolTip([](const Fruit& f) { return f.grams > 100 ? QStringLiteral("heavy") : QString(); })
                .alignedAsNumber(),
        });
    }

    void setFruits(std::vector<Fruit> fruits)
    {
        replaceRows(
            m_fruits, std::move(fruits), [](const Fruit& a, const Fruit& b) { return a.name == b.name; },
            [](const Fruit& a, const Fruit& b) { return a.grams == b.grams; });
    }
    void setNewestFirst(std::vector<Fruit> fruits)
    {
        prependRows(
            m_fruits, std::move(fruits), [](const Fruit& a, const Fruit& b) { return a.name == b.name; },
            [](const Fruit& a, const Fruit& b) { return a.grams == b.grams; });
    }

protected:
    int rowTotal() const override { return static_cast<int>(m_fruits.size()); }
    const Fruit& rowAt(int row) const override { return m_fruits[static_cast<std::size_t>(row)]; }
    QVariant cellData(const Fruit& fruit, int column, int role) const override
    {
        if (role == Qt::UserRole + 10 && column == NameColumn)
            return fruit.name.size();
        return {};
    }

private:
    std::vector<Fruit> m_fruits;
};

} // namespace

class TestColumnTableModel : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_model = std::make_unique<FruitModel>();
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
    }

    void columnsServeEveryRole()
    {
        m_model->setFruits({{"apple", 150}, {"fig", 40}});
        QCOMPARE(m_model->columnCount(), 2);
        QCOMPARE(m_model->headerData(FruitModel::WeightColumn, Qt::Horizontal).toString(), QStringLiteral("Weight"));
        QCOMPARE(m_model->headerData(FruitModel::WeightColumn, Qt::Horizontal, Qt::ToolTipRole).toString(),
            QStringLiteral("How heavy\nUnit: grams"));
        QCOMPARE(m_model->headerData(FruitModel::NameColumn, Qt::Horizontal, Qt::ToolTipRole).toString(),
            QStringLiteral("What it is"));
        const int right = Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter).toInt();
        QCOMPARE(m_model->headerData(FruitModel::WeightColumn, Qt::Horizontal, Qt::TextAlignmentRole).toInt(), right);
        QCOMPARE(m_model->index(0, FruitModel::WeightColumn).data(Qt::TextAlignmentRole).toInt(), right);
        QVERIFY(!m_model->index(0, FruitModel::NameColumn).data(Qt::TextAlignmentRole).isValid());

        QCOMPARE(m_model->index(0, FruitModel::WeightColumn).data().toString(), QStringLiteral("150 g"));
        QCOMPARE(m_model->index(0, FruitModel::WeightColumn).data(kSortRole).toDouble(), 150.0);
        // No sort key: the displayed text sorts.
        QCOMPARE(m_model->index(1, FruitModel::NameColumn).data(kSortRole).toString(), QStringLiteral("fig"));
        // A cell's own tooltip, else the header's.
        QCOMPARE(m_model->index(0, FruitModel::WeightColumn).data(Qt::ToolTipRole).toString(), QStringLiteral("heavy"));
        QCOMPARE(m_model->index(1, FruitModel::WeightColumn).data(Qt::ToolTipRole).toString(),
            QStringLiteral("How heavy\nUnit: grams"));
        // Roles the columns do not describe come from the model.
        QCOMPARE(m_model->index(0, FruitModel::NameColumn).data(Qt::UserRole + 10).toInt(), 5);
        QVERIFY(!m_model->index(0, FruitModel::WeightColumn).data(Qt::UserRole + 10).isValid());
    }

    void snapshotsUpdateInPlace()
    {
        m_model->setFruits({{"apple", 150}, {"fig", 40}, {"kiwi", 70}});
        QSignalSpy dataChanged(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->setFruits({{"apple", 150}, {"fig", 41}, {"kiwi", 71}, {"pear", 180}});
        QCOMPARE(dataChanged.count(), 1); // rows 1 and 2, one range
        QCOMPARE(dataChanged.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(dataChanged.at(0).at(1).toModelIndex().row(), 2);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 3);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(m_model->index(2, FruitModel::WeightColumn).data(kSortRole).toDouble(), 71.0);
        QCOMPARE(m_model->index(3, FruitModel::NameColumn).data().toString(), QStringLiteral("pear"));

        m_model->setFruits({{"fig", 41}});
        QCOMPARE(reset.count(), 1); // rows went away
        QCOMPARE(m_model->rowCount(), 1);
    }

    void newestFirstListingsPrepend()
    {
        m_model->setNewestFirst({{"fig", 40}, {"apple", 150}});
        QSignalSpy dataChanged(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->setNewestFirst({{"pear", 180}, {"fig", 40}, {"apple", 151}});
        QCOMPARE(reset.count(), 0);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 0);
        QCOMPARE(dataChanged.count(), 1);
        QCOMPARE(dataChanged.at(0).at(0).toModelIndex().row(), 1); // apple, in its old place, before the insert
        QCOMPARE(m_model->index(0, FruitModel::NameColumn).data().toString(), QStringLiteral("pear"));
        QCOMPARE(m_model->index(2, FruitModel::WeightColumn).data(kSortRole).toDouble(), 151.0);
    }

    void paletteChangeRepaintsColours()
    {
        m_model->setFruits({{"apple", 150}, {"fig", 40}});
        QSignalSpy dataChanged(m_model.get(), &QAbstractItemModel::dataChanged);
        m_model->paletteChanged();
        QCOMPARE(dataChanged.count(), 1);
        QCOMPARE(dataChanged.at(0).at(0).toModelIndex(), m_model->index(0, 0));
        QCOMPARE(dataChanged.at(0).at(1).toModelIndex(), m_model->index(1, 1));
        QVERIFY(dataChanged.at(0).at(2).value<QList<int>>().contains(Qt::ForegroundRole));
    }

private:
    std::unique_ptr<FruitModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestColumnTableModel)
#include "tst_columntablemodel.moc"
