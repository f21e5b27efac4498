#include "charts/chartpanel.h"
#include "charts/processtimelinechart.h"

#include <QSignalSpy>
#include <QtTest>

using namespace buildscope;

namespace {

ProcessRecord process(pid_t pid, const std::string& key, std::uint64_t peakMiB, double start, double end)
{
    ProcessRecord record;
    record.pid = pid;
    record.key = key;
    record.step = "build";
    record.peakRssBytes = peakMiB * 1024 * 1024;
    record.peakExact = true;
    record.startSeconds = start;
    record.endSeconds = end;
    return record;
}

} // namespace

class TestProcessTimelineChart : public QObject
{
    Q_OBJECT

private slots:
    // A process takes the first lane free at its start: lanes = most processes at once.
    void lanesAreHowManyRanAtOnce()
    {
        ProcessTimelineChart chart;
        chart.setProcesses({
            process(1, "a", 10, 0, 4),
            process(2, "b", 20, 1, 2),
            process(3, "c", 30, 2.5, 3), // lane of b again: b ended at 2
            process(4, "d", 40, 1.5, 5), // a, b and d at once: three lanes
            process(5, "e", 50, 6, 7), // alone: lane 0
        });
        QCOMPARE(chart.barCount(), std::size_t {5});
        QCOMPARE(chart.laneCount(), 3);
        QCOMPARE(chart.processAt(0.5, 0)->key, std::string("a"));
        QCOMPARE(chart.processAt(1.2, 1)->key, std::string("b"));
        QCOMPARE(chart.processAt(2.7, 1)->key, std::string("c"));
        QCOMPARE(chart.processAt(1.7, 2)->key, std::string("d"));
        QCOMPARE(chart.processAt(6.5, 0)->key, std::string("e"));
        QVERIFY(chart.processAt(5.5, 0) == nullptr);
    }

    // Running processes are drawn up to now and grow with it; they keep their lane while
    // they run, and a change of who runs lays the chart out again.
    void runningProcessesGrowUntilTheyEnd()
    {
        ProcessTimelineChart chart;
        chart.setProcesses({process(1, "a", 10, 0, 2)});
        ProcessRecord running = process(2, "cc1plus big.cc", 0, 1, 1);
        chart.setRunning({running}, 3.0);
        QCOMPARE(chart.runningCount(), std::size_t {1});
        QCOMPARE(chart.barCount(), std::size_t {2});
        QCOMPARE(chart.laneCount(), 2);
        const ProcessRecord* found = chart.processAt(2.5, 1);
        QVERIFY(found && chart.isRunning(found));
        QVERIFY(chart.processAt(3.5, 1) == nullptr);
        chart.setRunning({running}, 4.0); // the same process, later: its bar grows
        QVERIFY(chart.processAt(3.5, 1) != nullptr);
        const std::vector<const ProcessRecord*> alive = chart.aliveAt(1.5);
        QCOMPARE(alive.size(), std::size_t {2});
        QVERIFY(!chart.isRunning(alive[0]) && chart.isRunning(alive[1])); // ended (with a peak) first
        chart.setRunning({}, 5.0); // it ended
        QCOMPARE(chart.barCount(), std::size_t {1});
        QCOMPARE(chart.runningCount(), std::size_t {0});
    }

    void aliveAtListsTheHungriestFirst()
    {
        ProcessTimelineChart chart;
        chart.setProcesses({process(1, "a", 10, 0, 4), process(2, "b", 20, 1, 2), process(4, "d", 40, 1.5, 5)});
        const std::vector<const ProcessRecord*> alive = chart.aliveAt(1.8);
        QCOMPARE(alive.size(), std::size_t {3});
        QCOMPARE(alive[0]->key, std::string("d"));
        QCOMPARE(alive[2]->key, std::string("a"));
        QCOMPARE(chart.aliveAt(4.5).size(), std::size_t {1});
        QVERIFY(chart.aliveAt(9).empty());
    }

    // More than kMaxBars processes: the hungriest are drawn, the count says so.
    void aHugeBuildDrawsItsHungriestProcesses()
    {
        std::vector<ProcessRecord> processes;
        const std::size_t total = ProcessTimelineChart::kMaxBars + 500;
        for (std::size_t i = 0; i < total; ++i)
            processes.push_back(process(static_cast<pid_t>(i + 10), "p" + std::to_string(i), i, static_cast<double>(i) * 0.01,
                static_cast<double>(i) * 0.01 + 0.005));
        ProcessTimelineChart chart;
        chart.setProcesses(processes);
        QCOMPARE(chart.barCount(), ProcessTimelineChart::kMaxBars);
        // The 500 smallest (peaks 0..499 MiB, the first 5 s) are the ones left out.
        QVERIFY(chart.processAt(1.0, 0) == nullptr);
        QVERIFY(chart.processAt(static_cast<double>(total - 1) * 0.01 + 0.001, 0) != nullptr);
        QVERIFY(chart.laneCount() <= ProcessTimelineChart::kMaxLanes);
    }

    void clickingABarNamesItsProcess()
    {
        ProcessTimelineChart chart;
        chart.resize(800, 200);
        chart.setProcesses({process(7, "heavy", 500, 0, 10)});
        chart.xAxis->setRange(0, 10);
        chart.replot();
        QSignalSpy clicked(&chart, &ProcessTimelineChart::processClicked);
        const QPoint at(static_cast<int>(chart.xAxis->coordToPixel(5)), static_cast<int>(chart.yAxis->coordToPixel(0)));
        QTest::mousePress(&chart, Qt::LeftButton, {}, at);
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.at(0).at(0).value<pid_t>(), pid_t {7});
    }

    // Under the memory chart on the shared axis: zooming one moves it too.
    void sharesTheTimeAxisOfThePanel()
    {
        ChartPanel panel;
        panel.resize(900, 700);
        panel.show();
        panel.setProcesses({process(1, "a", 10, 0, 40)});
        panel.setFollowLive(false);
        panel.plot(ChartPanel::Chart::Memory)->xAxis->setRange(5, 15);
        const QCPRange range = panel.processTimeline()->xAxis->range();
        QCOMPARE(range.lower, 5.0);
        QCOMPARE(range.upper, 15.0);
        QCOMPARE(panel.plot(ChartPanel::Chart::Processes), static_cast<QCustomPlot*>(panel.processTimeline()));
        panel.clear();
        QCOMPARE(panel.processTimeline()->barCount(), std::size_t {0});
    }
};

QTEST_MAIN(TestProcessTimelineChart)
#include "tst_processtimelinechart.moc"
