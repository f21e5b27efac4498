#include "models/processfilterproxy.h"
#include "models/processtablemodel.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QtTest>

namespace buildscope {

namespace {

ProcessRecord process(pid_t pid, const std::string& key, std::uint64_t peakMiB, double start, double end,
    const std::string& step = "build", bool exact = true)
{
    ProcessRecord record;
    record.pid = pid;
    record.parentPid = 1;
    record.key = key;
    record.argv = {key};
    record.step = step;
    record.peakRssBytes = peakMiB * 1024 * 1024;
    record.peakExact = exact;
    record.startSeconds = start;
    record.endSeconds = end;
    record.userCpuSeconds = (end - start) * 0.75;
    record.systemCpuSeconds = (end - start) * 0.25;
    record.exitCode = 0;
    return record;
}

std::vector<ProcessRecord> build()
{
    return {
        process(100, "cc1plus src/parser.cpp -> parser.o", 612, 0.5, 9.0),
        process(101, "cc1plus src/lexer.cpp -> lexer.o", 140, 0.6, 2.0),
        process(102, "ld -> app", 90, 9.5, 10.5, "link"),
        process(103, "sh -c true", 2, 0.1, 0.101, "build", false),
    };
}

} // namespace

class TestProcessTableModel : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_model = std::make_unique<ProcessTableModel>();
        m_proxy = std::make_unique<ProcessFilterProxy>();
        m_proxy->setSourceModel(m_model.get());
        m_modelTester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_proxyTester = std::make_unique<QAbstractItemModelTester>(
            m_proxy.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void cleanup()
    {
        m_proxyTester.reset();
        m_modelTester.reset();
        m_proxy.reset();
        m_model.reset();
    }

    void showsEveryFieldWithUnits()
    {
        m_model->setProcesses(build());
        QCOMPARE(m_model->rowCount(), 4);
        QCOMPARE(m_model->columnCount(), int(ProcessTableModel::ColumnCount));
        const QModelIndex parser = m_model->index(0, ProcessTableModel::PeakColumn);
        QCOMPARE(parser.data().toString(), QStringLiteral("612.0 MiB"));
        QCOMPARE(m_model->index(0, ProcessTableModel::CommandColumn).data().toString(),
            QStringLiteral("cc1plus src/parser.cpp -> parser.o"));
        QCOMPARE(m_model->index(2, ProcessTableModel::StepColumn).data().toString(), QStringLiteral("link"));
        QCOMPARE(m_model->index(0, ProcessTableModel::EndColumn).data().toString(), QStringLiteral("exit 0"));
        QCOMPARE(m_model->index(0, ProcessTableModel::PeakColumn).data(ProcessTableModel::PeakBytesRole).toDouble(),
            612.0 * 1024 * 1024);
        // The header says the peak is exact and in binary units.
        const QString header
            = m_model->headerData(ProcessTableModel::PeakColumn, Qt::Horizontal, Qt::ToolTipRole).toString();
        QVERIFY2(header.contains("exact"), qPrintable(header));
        QVERIFY2(header.contains("MiB"), qPrintable(header));
    }

    void aPeakThatIsNotExactIsMarked()
    {
        m_model->setProcesses(build());
        const QModelIndex shell = m_model->index(3, ProcessTableModel::PeakColumn);
        QVERIFY(shell.data().toString().startsWith(QStringLiteral("~ ")));
        QVERIFY(shell.data(Qt::FontRole).value<QFont>().italic());
        QVERIFY(!m_model->index(0, ProcessTableModel::PeakColumn).data().toString().startsWith(QLatin1Char('~')));
    }

    void sortsByRawPeakNotText()
    {
        m_model->setProcesses(build());
        m_proxy->sort(ProcessTableModel::PeakColumn, Qt::DescendingOrder);
        QStringList order;
        for (int row = 0; row < m_proxy->rowCount(); ++row)
            order << m_proxy->index(row, ProcessTableModel::PidColumn).data().toString();
        // As text "90.0 MiB" would sort above "612.0 MiB".
        QCOMPARE(order, (QStringList {"100", "101", "102", "103"}));
    }

    void filtersOnCommandAndStepIgnoringCase()
    {
        m_model->setProcesses(build());
        m_proxy->setFilterText(QStringLiteral("PARSER"));
        QCOMPARE(m_proxy->rowCount(), 1);
        m_proxy->setFilterText(QStringLiteral("link"));
        QCOMPARE(m_proxy->rowCount(), 1);
        QCOMPARE(m_proxy->index(0, ProcessTableModel::PidColumn).data().toString(), QStringLiteral("102"));
        m_proxy->setFilterText(QStringLiteral("nothing like it"));
        QCOMPARE(m_proxy->rowCount(), 0);
        m_proxy->setFilterText(QString());
        QCOMPARE(m_proxy->rowCount(), 4);
    }

    void aGrowingListAppendsRows()
    {
        std::vector<ProcessRecord> processes = build();
        processes.resize(2);
        m_model->setProcesses(processes);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        m_model->setProcesses(build());
        QCOMPARE(m_model->rowCount(), 4);
        QCOMPARE(reset.count(), 0); // a selection in the view survives new processes ending
        QCOMPARE(inserted.count(), 1);
        m_model->setProcesses({});
        QCOMPARE(m_model->rowCount(), 0);
    }

private:
    std::unique_ptr<ProcessTableModel> m_model;
    std::unique_ptr<ProcessFilterProxy> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_modelTester;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestProcessTableModel)
#include "tst_processtablemodel.moc"
