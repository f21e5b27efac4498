#include "models/logtablemodel.h"
#include "theme/colormath.h"
#include "theme/palettetints.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSignalSpy>
#include <QtTest>

namespace buildscope {

namespace {

std::uint64_t g_sequence = 0;

LogEntry entry(const std::string& text, LogLevel level = LogLevel::Info, const std::string& step = "build",
    LogStream stream = LogStream::Stdout)
{
    LogEntry result;
    result.sequence = g_sequence++;
    result.seconds = static_cast<double>(result.sequence) / 10.0;
    result.level = level;
    result.stream = stream;
    result.step = step;
    result.text = text;
    return result;
}

std::vector<LogEntry> batch(int first, int count)
{
    std::vector<LogEntry> entries;
    for (int i = first; i < first + count; ++i)
        entries.push_back(entry("line " + std::to_string(i)));
    return entries;
}

} // namespace

class TestLogTableModel : public QObject
{
    Q_OBJECT

private slots:
    void display()
    {
        LogTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.maxRows(), LogTableModel::kDefaultMaxRows);
        LogEntry line = entry("hello", LogLevel::Warning, "compile", LogStream::Stderr);
        line.seconds = 65.25;
        LogEntry engine = entry("run started", LogLevel::Info, "", LogStream::Engine);
        engine.seconds = 3723.456;
        model.appendEntries({line, engine});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, LogTableModel::TimeColumn).data().toString(), QStringLiteral("1:05.250"));
        QCOMPARE(model.index(0, LogTableModel::LevelColumn).data().toString(), QStringLiteral("warning"));
        QCOMPARE(model.index(0, LogTableModel::StepColumn).data().toString(), QStringLiteral("compile"));
        QCOMPARE(model.index(0, LogTableModel::StreamColumn).data().toString(), QStringLiteral("stderr"));
        QCOMPARE(model.index(0, LogTableModel::MessageColumn).data().toString(), QStringLiteral("hello"));
        QCOMPARE(model.index(1, LogTableModel::TimeColumn).data().toString(), QStringLiteral("1:02:03.456"));
        QCOMPARE(model.index(1, LogTableModel::StepColumn).data().toString(), QString());
        QCOMPARE(model.index(1, LogTableModel::StreamColumn).data().toString(), QStringLiteral("engine"));
        QCOMPARE(model.index(0, LogTableModel::TimeColumn).data(LogTableModel::SortRole).toDouble(), 65.25);
        QCOMPARE(model.index(0, LogTableModel::LevelColumn).data(LogTableModel::SortRole).toInt(),
            static_cast<int>(LogLevel::Warning));
        QCOMPARE(model.headerData(LogTableModel::MessageColumn, Qt::Horizontal).toString(), QStringLiteral("Message"));
    }

    void oneInsertPerBatch()
    {
        LogTableModel model(100);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.appendEntries(batch(0, 30));
        model.appendEntries(batch(30, 30));
        model.appendEntries({});
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(inserted.at(1).at(1).toInt(), 30);
        QCOMPARE(inserted.at(1).at(2).toInt(), 59);
        QCOMPARE(removed.count(), 0);
    }

    void boundHolds_data()
    {
        QTest::addColumn<int>("batchSize");
        QTest::newRow("batches of 7") << 7;
        QTest::newRow("batches of 100 (= maxRows)") << 100;
        QTest::newRow("batches of 250 (> maxRows)") << 250;
    }

    void boundHolds()
    {
        QFETCH(int, batchSize);
        constexpr int maxRows = 100;
        LogTableModel model(maxRows);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        int appended = 0;
        while (appended < 10 * maxRows) {
            const int count = std::min(batchSize, 10 * maxRows - appended);
            const int rowsBefore = model.rowCount();
            inserted.clear();
            removed.clear();
            model.appendEntries(batch(appended, count));
            appended += count;

            QCOMPARE(inserted.count(), 1);
            // A batch bigger than the bound keeps only its newest maxRows lines.
            const int kept = std::min(count, maxRows);
            const bool overflowed = rowsBefore + kept > maxRows;
            QCOMPARE(removed.count(), overflowed ? 1 : 0);
            if (overflowed) {
                QCOMPARE(removed.at(0).at(1).toInt(), 0);
                QCOMPARE(removed.at(0).at(2).toInt(), rowsBefore + kept - maxRows - 1);
            }
            QCOMPARE(inserted.at(0).at(2).toInt() - inserted.at(0).at(1).toInt() + 1, kept);
            QVERIFY(model.rowCount() <= maxRows);
            // The newest line is always last.
            QCOMPARE(model.index(model.rowCount() - 1, LogTableModel::MessageColumn).data().toString(),
                QStringLiteral("line %1").arg(appended - 1));
        }
        QCOMPARE(model.rowCount(), maxRows);
        QCOMPARE(model.index(0, LogTableModel::MessageColumn).data().toString(),
            QStringLiteral("line %1").arg(10 * maxRows - maxRows));
    }

    void clear()
    {
        LogTableModel model(10);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.appendEntries(batch(0, 5));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        model.appendEntries({entry("again", LogLevel::Info, "other")});
        QCOMPARE(model.index(0, LogTableModel::StepColumn).data().toString(), QStringLiteral("other"));
    }

    void levelColorsFollowThePalette()
    {
        QPalette light;
        light.setColor(QPalette::Text, Qt::black);
        light.setColor(QPalette::Base, Qt::white);
        QApplication::setPalette(light);

        LogTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.appendEntries({entry("e", LogLevel::Error), entry("w", LogLevel::Warning), entry("d", LogLevel::Debug),
            entry("i", LogLevel::Info)});
        const auto colors = [&model] {
            QList<QColor> result;
            for (int row = 0; row < 3; ++row)
                result.append(model.index(row, LogTableModel::MessageColumn).data(Qt::ForegroundRole).value<QColor>());
            return result;
        };
        QVERIFY(!model.index(3, LogTableModel::MessageColumn).data(Qt::ForegroundRole).isValid());
        const QList<QColor> before = colors();
        QVERIFY(before[0].red() > before[0].green()); // red
        QVERIFY(before[1].red() > before[1].blue() && before[1].green() > before[1].blue()); // amber
        QVERIFY(before[0] != before[1] && before[1] != before[2]);

        QPalette dark;
        dark.setColor(QPalette::Text, QColor(0xdd, 0xdd, 0xdd));
        dark.setColor(QPalette::Base, QColor(0x20, 0x20, 0x20));
        QApplication::setPalette(dark);
        QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
        model.paletteChanged();
        QCOMPARE(dataChanged.count(), 1);
        QCOMPARE(dataChanged.at(0).at(1).toModelIndex(), model.index(3, LogTableModel::ColumnCount - 1));
        const QList<QColor> after = colors();
        for (int i = 0; i < 3; ++i) {
            QVERIFY(after[i] != before[i]);
            QVERIFY2(contrastRatio(after[i], dark.color(QPalette::Base)) >= PaletteTints::kMinimumContrast,
                qPrintable(after[i].name()));
        }
        QApplication::setPalette(light);
    }
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestLogTableModel)
#include "tst_logtablemodel.moc"
