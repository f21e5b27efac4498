#include "models/steptablemodel.h"
#include "theme/colormath.h"
#include "theme/darkpalette.h"
#include "theme/palettetints.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QPalette>
#include <QSignalSpy>
#include <QtTest>
#include <cmath>

namespace buildscope {

namespace {

StepRow makeRow(const QString& name, double wall, const QString& status = QStringLiteral("succeeded"))
{
    StepRow row;
    row.name = name;
    row.type = QStringLiteral("run");
    row.status = status;
    row.count = 1;
    row.wallP50Seconds = wall;
    row.wallP95Seconds = wall;
    row.cpuSeconds = wall / 2;
    row.allocationsPerOp = 10;
    row.bytesPerOp = 2048;
    row.peakRssBytes = 100.0 * 1024 * 1024;
    row.peakIsProcessTree = true;
    return row;
}

QList<StepRow> fourRows()
{
    return {makeRow("a", 1), makeRow("b", 2), makeRow("c", 3), makeRow("d", 4)};
}

QPalette lightPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0xef, 0xef, 0xef));
    palette.setColor(QPalette::Base, Qt::white);
    palette.setColor(QPalette::Text, Qt::black);
    palette.setColor(QPalette::WindowText, Qt::black);
    return palette;
}

using Range = std::pair<int, int>;

QList<Range> changedRows(const QSignalSpy& spy)
{
    QList<Range> ranges;
    for (const QList<QVariant>& arguments : spy)
        ranges.append({arguments.at(0).toModelIndex().row(), arguments.at(1).toModelIndex().row()});
    return ranges;
}

} // namespace

class TestStepTableModel : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_model = std::make_unique<StepTableModel>();
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
        QApplication::setPalette(lightPalette());
    }

    void firstRowsAreInserted()
    {
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->setRows(fourRows());
        QCOMPARE(m_model->rowCount(), 4);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 3);
        QCOMPARE(reset.count(), 0);
    }

    void changedRanges_data()
    {
        QTest::addColumn<QList<int>>("changed");
        QTest::addColumn<QList<Range>>("expected");
        QTest::newRow("none") << QList<int> {} << QList<Range> {};
        QTest::newRow("rows 1 and 2: one signal") << QList<int> {1, 2} << QList<Range> {{1, 2}};
        QTest::newRow("rows 0 and 3: two signals") << QList<int> {0, 3} << QList<Range> {{0, 0}, {3, 3}};
        QTest::newRow("all") << QList<int> {0, 1, 2, 3} << QList<Range> {{0, 3}};
        QTest::newRow("0, 1 and 3") << QList<int> {0, 1, 3} << QList<Range> {{0, 1}, {3, 3}};
    }

    void changedRanges()
    {
        QFETCH(QList<int>, changed);
        QFETCH(QList<Range>, expected);
        m_model->setRows(fourRows());

        QList<StepRow> next = fourRows();
        for (int row : changed)
            next[row].wallP95Seconds += 1;
        QSignalSpy dataChanged(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->setRows(next);

        QCOMPARE(changedRows(dataChanged), expected);
        for (const QList<QVariant>& arguments : dataChanged) {
            QCOMPARE(arguments.at(0).toModelIndex().column(), 0);
            QCOMPARE(arguments.at(1).toModelIndex().column(), StepTableModel::ColumnCount - 1);
        }
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(removed.count(), 0);
        QCOMPARE(reset.count(), 0);
        for (int row : changed)
            QCOMPARE(
                m_model->data(m_model->index(row, StepTableModel::WallP95Column), StepTableModel::SortRole).toDouble(),
                next[row].wallP95Seconds);
    }

    void unknownStaysUnchanged()
    {
        // NaN != NaN: a naive compare would repaint every row with an unknown value each tick.
        QList<StepRow> rows = fourRows();
        rows[2].cpuSeconds = StepRow::kUnknown;
        m_model->setRows(rows);
        QSignalSpy dataChanged(m_model.get(), &QAbstractItemModel::dataChanged);
        m_model->setRows(rows);
        QCOMPARE(dataChanged.count(), 0);
    }

    void appendingInsertsTheTailOnly()
    {
        m_model->setRows(fourRows());
        QList<StepRow> next = fourRows();
        next[1].status = QStringLiteral("failed");
        next.append(makeRow("e", 5));
        next.append(makeRow("f", 6));
        QSignalSpy dataChanged(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->setRows(next);

        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 4);
        QCOMPARE(inserted.at(0).at(2).toInt(), 5);
        QCOMPARE(changedRows(dataChanged), (QList<Range> {{1, 1}}));
        QCOMPARE(reset.count(), 0);
        QCOMPARE(m_model->rowCount(), 6);
        QCOMPARE(m_model->index(5, 0).data().toString(), QStringLiteral("f"));
        QCOMPARE(m_model->index(1, StepTableModel::StatusColumn).data().toString(), QStringLiteral("failed"));
    }

    void structureChangeResets_data()
    {
        QTest::addColumn<QList<StepRow>>("next");
        QList<StepRow> renamed = fourRows();
        renamed[2].name = QStringLiteral("x");
        QTest::newRow("renamed") << renamed;
        QList<StepRow> fewer = fourRows();
        fewer.removeLast();
        QTest::newRow("fewer") << fewer;
        QList<StepRow> reordered = fourRows();
        std::swap(reordered[0], reordered[1]);
        QTest::newRow("reordered") << reordered;
        QTest::newRow("empty") << QList<StepRow> {};
    }

    void structureChangeResets()
    {
        QFETCH(QList<StepRow>, next);
        m_model->setRows(fourRows());
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        QSignalSpy dataChanged(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        m_model->setRows(next);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(dataChanged.count(), 0);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(m_model->rowCount(), next.size());
    }

    void displayAndSortValues()
    {
        StepRow engine = makeRow("checksum", 0.0123);
        engine.type = QStringLiteral("checksum");
        engine.peakIsProcessTree = false;
        engine.peakRssBytes = 1536;
        engine.allocationsPerOp = 2.5;
        StepRow unknown = makeRow("push", StepRow::kUnknown, QStringLiteral("not-run"));
        unknown.cpuSeconds = StepRow::kUnknown;
        unknown.allocationsPerOp = StepRow::kUnknown;
        unknown.bytesPerOp = StepRow::kUnknown;
        unknown.peakRssBytes = StepRow::kUnknown;
        m_model->setRows({makeRow("build", 4.5), engine, unknown});

        const auto text = [this](int row, int column) { return m_model->index(row, column).data().toString(); };
        QCOMPARE(text(0, StepTableModel::WallP50Column), QStringLiteral("4.50 s"));
        QCOMPARE(text(0, StepTableModel::CpuColumn), QStringLiteral("2.25 s"));
        QCOMPARE(text(0, StepTableModel::BytesPerOpColumn), QStringLiteral("2.00 KiB"));
        QCOMPARE(text(0, StepTableModel::PeakRssColumn), QStringLiteral("100.0 MiB"));
        QCOMPARE(text(1, StepTableModel::WallP50Column), QStringLiteral("12.3 ms"));
        QCOMPARE(text(1, StepTableModel::PeakRssColumn), QStringLiteral("1.50 KiB (engine)"));
        QCOMPARE(text(1, StepTableModel::AllocationsPerOpColumn), QStringLiteral("2.5"));
        for (const int column :
            {StepTableModel::PeakRssColumn, StepTableModel::WallP50Column, StepTableModel::WallP95Column,
                StepTableModel::CpuColumn, StepTableModel::AllocationsPerOpColumn, StepTableModel::BytesPerOpColumn}) {
            QCOMPARE(text(2, column), QStringLiteral("n/a"));
            QVERIFY(std::isnan(m_model->index(2, column).data(StepTableModel::SortRole).toDouble()));
        }

        QCOMPARE(m_model->index(1, StepTableModel::PeakRssColumn).data(StepTableModel::SortRole).toDouble(), 1536.0);
        QCOMPARE(m_model->index(0, StepTableModel::NameColumn).data(StepTableModel::SortRole).toString(),
            QStringLiteral("build"));

        const int right = Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter).toInt();
        QCOMPARE(m_model->index(0, StepTableModel::WallP50Column).data(Qt::TextAlignmentRole).toInt(), right);
        QVERIFY(!m_model->index(0, StepTableModel::NameColumn).data(Qt::TextAlignmentRole).isValid());
    }

    void toolTipsExplainColumns()
    {
        StepRow engine = makeRow("tar", 1);
        engine.peakIsProcessTree = false;
        m_model->setRows({makeRow("build", 1), engine});
        QCOMPARE(m_model->index(0, StepTableModel::PeakRssColumn).data(Qt::ToolTipRole).toString(),
            QStringLiteral("Peak RSS of the step's whole process tree"));
        QVERIFY(m_model->index(1, StepTableModel::PeakRssColumn).data(Qt::ToolTipRole).toString().contains("engine"));
        for (int column = 0; column < StepTableModel::ColumnCount; ++column) {
            QVERIFY(!m_model->headerData(column, Qt::Horizontal).toString().isEmpty());
            QVERIFY(!m_model->headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty());
        }
        QCOMPARE(
            m_model->headerData(StepTableModel::PeakRssColumn, Qt::Horizontal).toString(), QStringLiteral("Peak RSS"));
        // What a build step costs stands next to its name.
        QCOMPARE(StepTableModel::PeakRssColumn, StepTableModel::NameColumn + 1);
        QVERIFY(m_model->headerData(StepTableModel::BytesPerOpColumn, Qt::Horizontal, Qt::ToolTipRole)
                    .toString()
                    .contains("KiB"));
    }

    void statusColors()
    {
        QApplication::setPalette(lightPalette());
        m_model->setRows({makeRow("a", 1, "failed"), makeRow("b", 1, "succeeded"), makeRow("c", 1, "skipped"),
            makeRow("d", 1, "timed-out"), makeRow("e", 1, "running")});
        const auto color = [this](int row) {
            return m_model->index(row, StepTableModel::StatusColumn).data(Qt::ForegroundRole).value<QColor>();
        };
        const QColor failed = color(0);
        const QColor succeeded = color(1);
        const QColor skipped = color(2);
        QVERIFY(failed.isValid() && succeeded.isValid() && skipped.isValid());
        QCOMPARE(color(3), failed);
        QVERIFY(!m_model->index(4, StepTableModel::StatusColumn).data(Qt::ForegroundRole).isValid());
        QVERIFY(!m_model->index(0, StepTableModel::NameColumn).data(Qt::ForegroundRole).isValid());
        // Red is red-dominant, green green-dominant; gray has no hue to speak of.
        QVERIFY(failed.red() > failed.green() && failed.red() > failed.blue());
        QVERIFY(succeeded.green() > succeeded.red() && succeeded.green() > succeeded.blue());
        QVERIFY(std::abs(skipped.red() - skipped.blue()) < 16);
    }

    void paletteChangeRecolors()
    {
        QApplication::setPalette(lightPalette());
        m_model->setRows({makeRow("a", 1, "failed"), makeRow("b", 1, "succeeded"), makeRow("c", 1, "cancelled")});
        const auto colors = [this] {
            QList<QColor> result;
            for (int row = 0; row < m_model->rowCount(); ++row)
                result.append(
                    m_model->index(row, StepTableModel::StatusColumn).data(Qt::ForegroundRole).value<QColor>());
            return result;
        };
        const QList<QColor> light = colors();
        for (const QColor& color : light)
            QVERIFY2(contrastRatio(color, Qt::white) >= PaletteTints::kMinimumContrast, qPrintable(color.name()));

        QApplication::setPalette(darkPalette());
        QSignalSpy dataChanged(m_model.get(), &QAbstractItemModel::dataChanged);
        m_model->paletteChanged();
        QCOMPARE(dataChanged.count(), 1);
        const QModelIndex topLeft = dataChanged.at(0).at(0).toModelIndex();
        const QModelIndex bottomRight = dataChanged.at(0).at(1).toModelIndex();
        QCOMPARE(topLeft, m_model->index(0, 0));
        QCOMPARE(bottomRight, m_model->index(2, StepTableModel::ColumnCount - 1));
        QVERIFY(dataChanged.at(0).at(2).value<QList<int>>().contains(Qt::ForegroundRole));

        const QList<QColor> dark = colors();
        const QColor base = darkPalette().color(QPalette::Base);
        for (int i = 0; i < dark.size(); ++i) {
            QVERIFY2(dark[i] != light[i], qPrintable(dark[i].name()));
            QVERIFY2(contrastRatio(dark[i], base) >= PaletteTints::kMinimumContrast, qPrintable(dark[i].name()));
            // On a dark base the light theme's colour would be hard to read.
            QVERIFY(contrastRatio(light[i], base) < contrastRatio(dark[i], base));
        }
    }

private:
    std::unique_ptr<StepTableModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestStepTableModel)
#include "tst_steptablemodel.moc"
