#include "models/filterdebouncer.h"
#include "models/processfilterproxy.h"
#include "models/processtablemodel.h"
#include "window/processpanel.h"

#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>

namespace buildscope {

namespace {

ProcessRecord process(pid_t pid, const std::string& key, std::uint64_t peakMiB, double start, bool exact = true)
{
    ProcessRecord record;
    record.pid = pid;
    record.key = key;
    record.step = "build";
    record.peakRssBytes = peakMiB * 1024 * 1024;
    record.peakExact = exact;
    record.startSeconds = start;
    record.endSeconds = start + 1;
    return record;
}

std::shared_ptr<const std::vector<ProcessRecord>> build()
{
    return std::make_shared<const std::vector<ProcessRecord>>(std::vector<ProcessRecord> {
        process(10, "cc1plus a.cpp", 100, 0), process(11, "cc1plus heavy.cpp", 700, 0.5),
        process(12, "ld -> app", 300, 2), process(13, "sh -c x", 1, 2.5, false)});
}

} // namespace

class TestProcessPanel : public QObject
{
    Q_OBJECT

private slots:
    void hungriestFirst()
    {
        ProcessPanel panel;
        panel.setProcesses(build());
        QCOMPARE(panel.view()->model()->index(0, ProcessTableModel::CommandColumn).data().toString(),
            QStringLiteral("cc1plus heavy.cpp"));
        QCOMPARE(panel.view()->model()->index(3, ProcessTableModel::CommandColumn).data().toString(),
            QStringLiteral("sh -c x"));
        const QString summary = panel.summaryLabel()->text();
        QVERIFY2(summary.contains(QStringLiteral("4 processes")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("700.0 MiB")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("1 marked ~")), qPrintable(summary));
    }

    void filterNarrowsAndTheSummarySaysSo()
    {
        ProcessPanel panel;
        panel.setProcesses(build());
        panel.filterEdit()->setText(QStringLiteral("cc1plus"));
        panel.debouncer()->flush();
        QCOMPARE(panel.view()->model()->rowCount(), 2);
        QVERIFY2(panel.summaryLabel()->text().startsWith(QStringLiteral("2 of 4")), qPrintable(panel.summaryLabel()->text()));
    }

    void selectingARowNamesItsProcess()
    {
        ProcessPanel panel;
        panel.setProcesses(build());
        QSignalSpy selected(&panel, &ProcessPanel::processSelected);
        panel.view()->selectRow(1); // the second hungriest: ld
        QVERIFY(selected.count() >= 1);
        const auto chosen = selected.last().at(0).value<std::optional<std::pair<pid_t, double>>>();
        QVERIFY(chosen.has_value());
        QCOMPARE(chosen->first, pid_t {12});
        QCOMPARE(chosen->second, 2.0);
    }

    // A bar clicked on the timeline selects its row, even when the filter hid it.
    void selectProcessFindsAFilteredRow()
    {
        ProcessPanel panel;
        panel.setProcesses(build());
        panel.filterEdit()->setText(QStringLiteral("ld ->"));
        panel.debouncer()->flush();
        QCOMPARE(panel.view()->model()->rowCount(), 1);
        panel.selectProcess(11, 0.5);
        QVERIFY(panel.filterEdit()->text().isEmpty());
        const QModelIndex current = panel.view()->selectionModel()->currentIndex();
        QCOMPARE(current.siblingAtColumn(ProcessTableModel::PidColumn).data().toString(), QStringLiteral("11"));
    }

    void clearedForANewRun()
    {
        ProcessPanel panel;
        panel.setProcesses(build());
        panel.clear();
        QCOMPARE(panel.view()->model()->rowCount(), 0);
        QVERIFY(panel.summaryLabel()->text().startsWith(QStringLiteral("No processes")));
    }
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestProcessPanel)
#include "tst_processpanel.moc"
