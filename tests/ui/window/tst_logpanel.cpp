// The Log dock as the issue found it: newest first, Follow scrolling to the bottom (so the
// start showed), lines of the same millisecond out of order. Now: oldest first, in arrival
// order, and Follow keeps the newest line in view.
#include "models/filterdebouncer.h"
#include "models/logfilterproxy.h"
#include "models/logtablemodel.h"
#include "window/logpanel.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QLineEdit>
#include <QScrollBar>
#include <QTableView>
#include <QtTest>

namespace buildscope {

namespace {

std::uint64_t g_sequence = 0;

LogEntry line(const std::string& text, double seconds, const std::string& step = "compile")
{
    LogEntry entry;
    entry.sequence = g_sequence++;
    entry.seconds = seconds;
    entry.step = step;
    entry.stream = LogStream::Stdout;
    entry.text = text;
    return entry;
}

std::vector<LogEntry> lines(int first, int count)
{
    std::vector<LogEntry> entries;
    for (int i = first; i < first + count; ++i)
        entries.push_back(line("line " + std::to_string(i), i * 0.01));
    return entries;
}

QString shown(const LogPanel& panel, int row)
{
    return panel.proxy()->index(row, LogTableModel::MessageColumn).data().toString();
}

bool newestInView(const LogPanel& panel)
{
    const QModelIndex last = panel.proxy()->index(panel.proxy()->rowCount() - 1, 0);
    return panel.view()->viewport()->rect().contains(panel.view()->visualRect(last).center());
}

} // namespace

class TestLogPanel : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_panel = std::make_unique<LogPanel>();
        m_panel->resize(700, 260);
        m_panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
        m_modelTester = std::make_unique<QAbstractItemModelTester>(
            m_panel->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_proxyTester = std::make_unique<QAbstractItemModelTester>(
            m_panel->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void cleanup()
    {
        m_proxyTester.reset();
        m_modelTester.reset();
        m_panel.reset();
    }

    void oldestFirstInArrivalOrder()
    {
        QVERIFY(!m_panel->view()->isSortingEnabled());
        QCOMPARE(m_panel->proxy()->sortColumn(), -1);
        m_panel->appendEntries(lines(0, 50));
        // Printed in the same millisecond: shown in the order they arrived, not shuffled.
        m_panel->appendEntries({line("test succeeded", 6.889, "test"), line("image started", 6.889, "image"),
            line("image skipped: no docker or podman", 6.889, "image")});
        m_panel->appendEntries(lines(50, 50));
        QCOMPARE(m_panel->proxy()->rowCount(), 103);
        QCOMPARE(shown(*m_panel, 0), QStringLiteral("line 0"));
        QCOMPARE(shown(*m_panel, 50), QStringLiteral("test succeeded"));
        QCOMPARE(shown(*m_panel, 51), QStringLiteral("image started"));
        QCOMPARE(shown(*m_panel, 52), QStringLiteral("image skipped: no docker or podman"));
        QCOMPARE(shown(*m_panel, 102), QStringLiteral("line 99"));
        // Filtering keeps the order too.
        m_panel->filterEdit()->setText(QStringLiteral("image"));
        m_panel->debouncer()->flush();
        QCOMPARE(m_panel->proxy()->rowCount(), 2);
        QCOMPARE(shown(*m_panel, 0), QStringLiteral("image started"));
    }

    void followKeepsTheNewestLineInView()
    {
        QVERIFY(m_panel->follows());
        QScrollBar* scroll = m_panel->view()->verticalScrollBar();
        for (int batch = 0; batch < 10; ++batch) {
            m_panel->appendEntries(lines(batch * 40, 40));
            QVERIFY(newestInView(*m_panel));
            QCOMPARE(scroll->value(), scroll->maximum());
        }
        QVERIFY(scroll->maximum() > 0); // far more lines than fit
        QVERIFY(!m_panel->view()->visualRect(m_panel->proxy()->index(0, 0)).isValid()
            || !m_panel->view()->viewport()->rect().contains(
                m_panel->view()->visualRect(m_panel->proxy()->index(0, 0)).center())); // the start is out of view
    }

    void scrollingUpStopsFollowingAndBackDownResumes()
    {
        m_panel->appendEntries(lines(0, 300));
        QScrollBar* scroll = m_panel->view()->verticalScrollBar();
        // The user scrolls up (wheel, drag or the bar's arrows all trigger slider actions).
        scroll->triggerAction(QAbstractSlider::SliderPageStepSub);
        QTRY_VERIFY(!m_panel->follows());
        const int reading = scroll->value();
        m_panel->appendEntries(lines(300, 100));
        QCOMPARE(scroll->value(), reading); // what the user reads stays put
        QVERIFY(!newestInView(*m_panel));
        // Back to the bottom: following again.
        scroll->triggerAction(QAbstractSlider::SliderToMaximum);
        QTRY_VERIFY(m_panel->follows());
        m_panel->appendEntries(lines(400, 100));
        QVERIFY(newestInView(*m_panel));
        // Turning Follow on jumps to the newest line at once.
        m_panel->setFollow(false);
        scroll->setValue(0);
        m_panel->followBox()->setChecked(true);
        QVERIFY(newestInView(*m_panel));
    }

    void boundedLogStillFollows()
    {
        LogPanel panel;
        panel.resize(700, 260);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        for (int batch = 0; batch < 30; ++batch) // 60,000 lines through a 50,000-line log
            panel.appendEntries(lines(batch * 2000, 2000));
        QCOMPARE(panel.model()->rowCount(), LogTableModel::kDefaultMaxRows);
        QCOMPARE(shown(panel, panel.proxy()->rowCount() - 1), QStringLiteral("line 59999"));
        QVERIFY(newestInView(panel));
    }

private:
    std::unique_ptr<LogPanel> m_panel;
    std::unique_ptr<QAbstractItemModelTester> m_modelTester;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestLogPanel)
#include "tst_logpanel.moc"
