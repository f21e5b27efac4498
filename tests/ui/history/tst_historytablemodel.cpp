#include "history/historytablemodel.h"
#include "theme/colormath.h"
#include "theme/darkpalette.h"
#include "theme/palettetints.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSignalSpy>
#include <QtTest>
#include <cmath>
#include <memory>

namespace buildscope {

namespace {

RunRecord makeRun(std::int64_t id, const char* status = "succeeded", std::uint64_t peak = 100 << 20)
{
    RunRecord run;
    run.id = id;
    run.specName = "demo";
    run.status = status;
    run.startedAt = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000 + 60 * id));
    run.durationSeconds = 10.0 + static_cast<double>(id);
    run.treePeakRssBytes = peak;
    run.hostname = "builder";
    run.labels = {{"side", id % 2 == 0 ? "base" : "cand"}, {"git.commit", "0123456789abcdef0123"}};
    return run;
}

// Newest first, as RunHistory::list() returns them: ids first..last descending.
std::vector<RunRecord> runs(std::int64_t newest, std::int64_t oldest)
{
    std::vector<RunRecord> result;
    for (std::int64_t id = newest; id >= oldest; --id)
        result.push_back(makeRun(id));
    return result;
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

class TestHistoryTableModel : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_model = std::make_unique<HistoryTableModel>();
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
        QApplication::setPalette(m_original);
    }

    void columnsAndRoles()
    {
        std::vector<RunRecord> list = runs(3, 1);
        list[1].treePeakRssBytes = 0; // a run with no process step, or not finished
        m_model->setRuns(list);
        QCOMPARE(m_model->rowCount(), 3);
        QCOMPARE(m_model->columnCount(), int(HistoryTableModel::ColumnCount));
        const auto cell = [this](int row, int column, int role = Qt::DisplayRole) {
            return m_model->data(m_model->index(row, column), role);
        };
        QCOMPARE(cell(0, HistoryTableModel::IdColumn).toString(), QStringLiteral("3"));
        QCOMPARE(cell(0, HistoryTableModel::LabelsColumn, HistoryTableModel::RunIdRole).toLongLong(), 3);
        QCOMPARE(cell(0, HistoryTableModel::SpecColumn).toString(), QStringLiteral("demo"));
        QCOMPARE(cell(0, HistoryTableModel::PeakRssColumn).toString(), QStringLiteral("100.0 MiB"));
        QCOMPARE(cell(1, HistoryTableModel::PeakRssColumn).toString(), QStringLiteral("\u2014"));
        QVERIFY(std::isnan(cell(1, HistoryTableModel::PeakRssColumn, HistoryTableModel::SortRole).toDouble()));
        // Started: local time as shown; the sort value is the instant, numeric.
        const QDateTime started = QDateTime::fromSecsSinceEpoch(1'700'000'000 + 180).toLocalTime();
        QCOMPARE(cell(0, HistoryTableModel::StartedColumn).toString(),
            started.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        QCOMPARE(cell(0, HistoryTableModel::StartedColumn, HistoryTableModel::SortRole).typeId(), QMetaType::Double);
        QCOMPARE(cell(0, HistoryTableModel::DurationColumn, HistoryTableModel::SortRole).toDouble(), 13.0);
        QCOMPARE(cell(0, HistoryTableModel::IdColumn, HistoryTableModel::SortRole).toDouble(), 3.0);
        // Commits are shortened in the table; the filter role has them whole.
        QCOMPARE(
            cell(0, HistoryTableModel::LabelsColumn).toString(), QStringLiteral("side=cand, git.commit=0123456789"));
        QCOMPARE(cell(0, HistoryTableModel::IdColumn, HistoryTableModel::LabelsRole).toString(),
            QStringLiteral("side=cand, git.commit=0123456789abcdef0123"));
        QCOMPARE(m_model->rowOfRun(1), 2);
        QCOMPARE(m_model->rowOfRun(42), -1);
    }

    void statusColors()
    {
        std::vector<RunRecord> list {makeRun(5, "failed"), makeRun(4, "interrupted"), makeRun(3, "cancelled"),
            makeRun(2, "succeeded"), makeRun(1, "running")};
        m_model->setRuns(list);
        const auto color = [this](int row) {
            return m_model->data(m_model->index(row, HistoryTableModel::StatusColumn), Qt::ForegroundRole);
        };
        const QPalette palette = QApplication::palette();
        QCOMPARE(color(0).value<QColor>(), PaletteTints::tint(palette, PaletteTints::Tint::Error));
        QCOMPARE(color(1).value<QColor>(), PaletteTints::tint(palette, PaletteTints::Tint::Error));
        QCOMPARE(color(2).value<QColor>(), PaletteTints::tint(palette, PaletteTints::Tint::Muted));
        QCOMPARE(color(3).value<QColor>(), PaletteTints::tint(palette, PaletteTints::Tint::Success));
        QVERIFY(!color(4).isValid()); // running: the view's text colour
        QVERIFY(!m_model->data(m_model->index(0, HistoryTableModel::SpecColumn), Qt::ForegroundRole).isValid());

        // Palette-aware: on a dark palette the failure red is still readable.
        QSignalSpy dataChanged(m_model.get(), &QAbstractItemModel::dataChanged);
        QApplication::setPalette(darkPalette());
        m_model->paletteChanged();
        QCOMPARE(dataChanged.count(), 1);
        const QColor dark = color(0).value<QColor>();
        QCOMPARE(dark, PaletteTints::tint(darkPalette(), PaletteTints::Tint::Error));
        QVERIFY(contrastRatio(dark, darkPalette().color(QPalette::Base)) >= 4.5);
    }

    void sameRunsChangedInRanges_data()
    {
        QTest::addColumn<QList<int>>("changed");
        QTest::addColumn<QList<Range>>("expected");
        QTest::newRow("none") << QList<int> {} << QList<Range> {};
        QTest::newRow("rows 1 and 2: one signal") << QList<int> {1, 2} << QList<Range> {{1, 2}};
        QTest::newRow("rows 0 and 3: two signals") << QList<int> {0, 3} << QList<Range> {{0, 0}, {3, 3}};
        QTest::newRow("all") << QList<int> {0, 1, 2, 3} << QList<Range> {{0, 3}};
    }

    void sameRunsChangedInRanges()
    {
        QFETCH(QList<int>, changed);
        QFETCH(QList<Range>, expected);
        m_model->setRuns(runs(4, 1));
        std::vector<RunRecord> next = runs(4, 1);
        for (int row : changed) {
            next[static_cast<std::size_t>(row)].status = "failed";
            next[static_cast<std::size_t>(row)].durationSeconds += 1;
        }
        QSignalSpy dataChanged(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->setRuns(next);
        QCOMPARE(changedRows(dataChanged), expected);
        for (const QList<QVariant>& arguments : dataChanged) {
            QCOMPARE(arguments.at(0).toModelIndex().column(), 0);
            QCOMPARE(arguments.at(1).toModelIndex().column(), HistoryTableModel::ColumnCount - 1);
        }
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(removed.count(), 0);
        QCOMPARE(reset.count(), 0);
        for (int row : changed)
            QCOMPARE(m_model->index(row, HistoryTableModel::StatusColumn).data().toString(), QStringLiteral("failed"));
    }

    void newRunsAreInsertedAtTheTop()
    {
        m_model->setRuns(runs(4, 1));
        std::vector<RunRecord> next = runs(6, 1); // runs 5 and 6 are new
        next[3].status = "failed"; // run 3, old row 1, finished meanwhile
        QSignalSpy dataChanged(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->setRuns(next);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 1);
        QCOMPARE(changedRows(dataChanged), (QList<Range> {{1, 1}})); // before the insert: old positions
        QCOMPARE(m_model->rowCount(), 6);
        QCOMPARE(m_model->index(0, 0).data().toString(), QStringLiteral("6"));
        QCOMPARE(m_model->index(1, 0).data().toString(), QStringLiteral("5"));
        QCOMPARE(m_model->index(3, HistoryTableModel::StatusColumn).data().toString(), QStringLiteral("failed"));
        QCOMPARE(m_model->index(5, 0).data().toString(), QStringLiteral("1"));
    }

    void firstListingIsInserted()
    {
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->setRuns(runs(3, 1));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(m_model->rowCount(), 3);
    }

    void otherChangesReset_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("a run deleted") << 0;
        QTest::newRow("reordered") << 1;
        QTest::newRow("new run not at the top") << 2;
        QTest::newRow("emptied") << 3;
    }

    void otherChangesReset()
    {
        QFETCH(int, kind);
        m_model->setRuns(runs(4, 1));
        std::vector<RunRecord> next = runs(4, 1);
        if (kind == 0)
            next.erase(next.begin() + 2);
        else if (kind == 1)
            std::swap(next[0], next[1]);
        else if (kind == 2)
            next.push_back(makeRun(0));
        else
            next.clear();
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy dataChanged(m_model.get(), &QAbstractItemModel::dataChanged);
        m_model->setRuns(next);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(dataChanged.count(), 0);
        QCOMPARE(m_model->rowCount(), int(next.size()));
    }

    void markedRunsGetASwatch()
    {
        m_model->setRuns(runs(5, 1)); // rows: 5 4 3 2 1
        QSignalSpy dataChanged(m_model.get(), &QAbstractItemModel::dataChanged);
        m_model->setMarkedRuns({4, 3}, {1});
        // Rows 1-2 (runs 4, 3) in one signal, row 4 (run 1) in another; the Id column only.
        QCOMPARE(changedRows(dataChanged), (QList<Range> {{1, 2}, {4, 4}}));
        const auto mark = [this](int row) {
            return m_model->data(m_model->index(row, HistoryTableModel::IdColumn), Qt::DecorationRole);
        };
        QCOMPARE(mark(1).value<QColor>(), m_model->baselineMarkColor());
        QCOMPARE(mark(4).value<QColor>(), m_model->candidateMarkColor());
        QVERIFY(!mark(0).isValid());
        QVERIFY(m_model->baselineMarkColor() != m_model->candidateMarkColor());
        QVERIFY(m_model->data(m_model->index(1, 0), Qt::ToolTipRole).toString().contains(QStringLiteral("baseline")));
    }

private:
    std::unique_ptr<HistoryTableModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    QPalette m_original = QApplication::palette();
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestHistoryTableModel)
#include "tst_historytablemodel.moc"
