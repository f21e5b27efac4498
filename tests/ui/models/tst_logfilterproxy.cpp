#include "models/logfilterproxy.h"
#include "models/logtablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

namespace buildscope {

namespace {

LogEntry entry(const std::string& step, LogLevel level, const std::string& text)
{
    LogEntry result;
    result.step = step;
    result.level = level;
    result.text = text;
    return result;
}

} // namespace

class TestLogFilterProxy : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_model = std::make_unique<LogTableModel>(1000);
        m_proxy = std::make_unique<LogFilterProxy>();
        m_proxy->setSourceModel(m_model.get());
        m_modelTester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_proxyTester = std::make_unique<QAbstractItemModelTester>(
            m_proxy.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_model->appendEntries({
            entry("", LogLevel::Info, "run started"),
            entry("compile", LogLevel::Debug, "cc -O2 main.c"),
            entry("compile", LogLevel::Warning, "main.c:3: unused variable"),
            entry("compile", LogLevel::Error, "main.c:9: Undefined reference"),
            entry("test", LogLevel::Info, "42 tests passed"),
            entry("test", LogLevel::Error, "compile cache missing"),
        });
    }

    void cleanup()
    {
        m_proxyTester.reset();
        m_modelTester.reset();
        m_proxy.reset();
        m_model.reset();
    }

    void everythingByDefault() { QCOMPARE(m_proxy->rowCount(), 6); }

    void byTextInMessageOrStep_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("message, case-insensitive") << "UNDEFINED" << QStringList {"main.c:9: Undefined reference"};
        QTest::newRow("step name") << "TES" << QStringList {"42 tests passed", "compile cache missing"};
        QTest::newRow("message or step") << "compile"
                                         << QStringList {"cc -O2 main.c", "main.c:3: unused variable",
                                                "main.c:9: Undefined reference", "compile cache missing"};
        QTest::newRow("nothing") << "zzz" << QStringList {};
        QTest::newRow("empty: all") << ""
                                    << QStringList {"run started", "cc -O2 main.c", "main.c:3: unused variable",
                                           "main.c:9: Undefined reference", "42 tests passed", "compile cache missing"};
    }

    void byTextInMessageOrStep()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        m_proxy->setFilterText(text);
        QCOMPARE(messages(), expected);
    }

    void byMinimumLevel()
    {
        m_proxy->setMinimumLevel(LogLevel::Warning);
        QCOMPARE(messages(),
            (QStringList {"main.c:3: unused variable", "main.c:9: Undefined reference", "compile cache missing"}));
        m_proxy->setMinimumLevel(LogLevel::Error);
        QCOMPARE(m_proxy->rowCount(), 2);
        m_proxy->setMinimumLevel(LogLevel::Info);
        QCOMPARE(m_proxy->rowCount(), 5);
    }

    void byStep()
    {
        m_proxy->setStepFilter("test");
        QCOMPARE(messages(), (QStringList {"42 tests passed", "compile cache missing"}));
        m_proxy->setStepFilter("tes"); // exact, not a substring
        QCOMPARE(m_proxy->rowCount(), 0);
        m_proxy->setStepFilter({});
        QCOMPARE(m_proxy->rowCount(), 6);
    }

    void filtersCombine()
    {
        m_proxy->setStepFilter("compile");
        m_proxy->setMinimumLevel(LogLevel::Warning);
        m_proxy->setFilterText("main");
        QCOMPARE(messages(), (QStringList {"main.c:3: unused variable", "main.c:9: Undefined reference"}));
        m_proxy->setFilterText("undefined");
        QCOMPARE(messages(), (QStringList {"main.c:9: Undefined reference"}));
    }

    void unchangedFilterDoesNotRefilter()
    {
        m_proxy->setFilterText("compile");
        QSignalSpy layout(m_proxy.get(), &QAbstractItemModel::layoutChanged);
        QSignalSpy removed(m_proxy.get(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(m_proxy.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(m_proxy.get(), &QAbstractItemModel::modelReset);
        m_proxy->setFilterText("compile");
        m_proxy->setMinimumLevel(LogLevel::Debug);
        m_proxy->setStepFilter({});
        QCOMPARE(layout.count() + removed.count() + inserted.count() + reset.count(), 0);
    }

    void newLinesAreFilteredAsTheyArrive()
    {
        m_proxy->setMinimumLevel(LogLevel::Error);
        QCOMPARE(m_proxy->rowCount(), 2);
        m_model->appendEntries({entry("link", LogLevel::Info, "ok"), entry("link", LogLevel::Error, "ld failed")});
        QCOMPARE(m_proxy->rowCount(), 3);
        QCOMPARE(messages().last(), QStringLiteral("ld failed"));
    }

    void followsTheBoundedLog()
    {
        // The log dropping its oldest lines must drop them from the proxy too.
        LogTableModel small(3);
        LogFilterProxy proxy;
        proxy.setSourceModel(&small);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setMinimumLevel(LogLevel::Warning);
        small.appendEntries(
            {entry("a", LogLevel::Error, "1"), entry("a", LogLevel::Info, "2"), entry("a", LogLevel::Warning, "3")});
        QCOMPARE(proxy.rowCount(), 2);
        small.appendEntries({entry("a", LogLevel::Info, "4"), entry("a", LogLevel::Error, "5")});
        QCOMPARE(proxy.rowCount(), 2);
        QCOMPARE(proxy.index(0, LogTableModel::MessageColumn).data().toString(), QStringLiteral("3"));
        QCOMPARE(proxy.index(1, LogTableModel::MessageColumn).data().toString(), QStringLiteral("5"));
    }

private:
    QStringList messages() const
    {
        QStringList result;
        for (int row = 0; row < m_proxy->rowCount(); ++row)
            result.append(m_proxy->index(row, LogTableModel::MessageColumn).data().toString());
        return result;
    }

    std::unique_ptr<LogTableModel> m_model;
    std::unique_ptr<LogFilterProxy> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_modelTester;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestLogFilterProxy)
#include "tst_logfilterproxy.moc"
