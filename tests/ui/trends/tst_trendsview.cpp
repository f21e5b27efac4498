// The Trends tab: a store whose compile step got 30 % hungrier at a known commit shows the
// change on the chart (between the right commits), lists it first in the table, and asks
// Compare for exactly the runs either side.
#include "history/runhistory.h"
#include "models/numericsortproxy.h"
#include "syntheticruns.h"
#include "trends/changetablemodel.h"
#include "trends/trendchart.h"
#include "trends/trendsview.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

namespace buildscope {

namespace {

constexpr int kCommits = 8;
constexpr int kRunsPerCommit = 3;
constexpr int kJumpCommit = 5; // the compile holds 30 % more from this commit on

std::string commitHash(int commit)
{
    char text[41];
    std::snprintf(text, sizeof text, "%040x", 0xc0ffee00u + static_cast<unsigned>(commit));
    return text;
}

std::string commitTime(int commit)
{
    char text[32];
    std::snprintf(text, sizeof text, "2026-11-%02dT12:00:00Z", 1 + commit);
    return text;
}

// Runs stored in an order unlike commit order (newest commit first): the view must sort.
std::vector<std::int64_t> fillStore(RunHistory& history, std::vector<std::vector<std::int64_t>>& idsByCommit)
{
    idsByCommit.assign(kCommits, {});
    std::vector<std::int64_t> ids;
    int index = 0;
    for (int commit = kCommits - 1; commit >= 0; --commit) {
        for (int repeat = 0; repeat < kRunsPerCommit; ++repeat) {
            testing::RunShape shape;
            shape.index = index++;
            shape.compilePeakBytes = (commit >= kJumpCommit ? 520e6 : 400e6) + repeat * 1e6;
            shape.labels = {{"git.commit", commitHash(commit)}, {"git.commit_time", commitTime(commit)}};
            const std::int64_t id = history.importReport(testing::makeReport(shape));
            idsByCommit[static_cast<std::size_t>(commit)].push_back(id);
            ids.push_back(id);
        }
    }
    return ids;
}

// The row (in the view's order) of a key's change in a metric; -1 if none.
int rowOf(const TrendsView& view, const char* key, const char* metric)
{
    const QAbstractItemModel* table = view.changeTable()->model();
    for (int row = 0; row < table->rowCount(); ++row) {
        if (table->index(row, ChangeTableModel::KeyColumn).data().toString() == QLatin1String(key)
            && table->index(row, ChangeTableModel::MetricColumn).data().toString() == QLatin1String(metric))
            return row;
    }
    return -1;
}

} // namespace

class TestTrendsView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_store = m_dir.filePath("history.sqlite").toStdString();
        RunHistory history(m_store);
        fillStore(history, m_idsByCommit);
    }

    void showsTheJumpBetweenTheRightCommits()
    {
        TrendsView view;
        QAbstractItemModelTester tester(view.changeModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.resize(1000, 700);
        QSignalSpy loaded(&view, &TrendsView::loaded);
        view.setStore(m_store);
        view.show(); // read when shown
        QVERIFY(loaded.wait(10'000));
        QCOMPARE(view.specBox()->currentText(), QStringLiteral("demo"));
        QVERIFY(view.showSeries("demo", "step/compile", "peak_rss_bytes"));

        const TrendSeries& series = view.chart()->series();
        QCOMPARE(series.points.size(), std::size_t {kCommits * kRunsPerCommit});
        QCOMPARE(view.chart()->pointsGraph()->dataCount(), kCommits * kRunsPerCommit);
        // Commit order, oldest left, though stored newest first.
        QCOMPARE(series.points.front().commit, commitHash(0));
        QCOMPARE(series.points.back().commit, commitHash(kCommits - 1));
        QCOMPARE(series.changes.size(), std::size_t {1});
        const ChangePoint& change = series.changes.front();
        QCOMPARE(series.points[change.index - 1].commit, commitHash(kJumpCommit - 1));
        QCOMPARE(series.points[change.index].commit, commitHash(kJumpCommit));
        // 401 MB -> 521 MB (the synthetic runs' medians): +29.9 %.
        QVERIFY2(view.chart()->changeLabel(0).startsWith(QStringLiteral("+29.9 %")), qPrintable(view.chart()->changeLabel(0)));
        // One level per segment, at the medians either side.
        const std::vector<double> levels = view.chart()->segmentLevels();
        QCOMPARE(levels.size(), std::size_t {2});
        QVERIFY(std::abs(levels[0] - 401e6) < 2e6);
        QVERIFY(std::abs(levels[1] - 521e6) < 2e6);
        QVERIFY(view.chart()->pointText(0).contains(QString::fromStdString(commitHash(0).substr(0, 12))));

        // The table lists every change of the spec (compile and link both jumped, and the
        // run's tree peak with them), largest first, each between those commits.
        QVERIFY(view.changeModel()->rowCount() >= 2);
        const QAbstractItemModel* table = view.changeTable()->model();
        QVERIFY(rowOf(view, "step/compile", "peak_rss_bytes") >= 0);
        QVERIFY(rowOf(view, "step/link", "peak_rss_bytes") >= 0);
        for (int row = 0; row < table->rowCount(); ++row) {
            QVERIFY(table->index(row, ChangeTableModel::CommitsColumn)
                        .data()
                        .toString()
                        .startsWith(QString::fromStdString(commitHash(kJumpCommit - 1).substr(0, 12))));
            if (row > 0)
                QVERIFY(std::abs(table->index(row - 1, ChangeTableModel::ChangeColumn).data(kSortRole).toDouble())
                    >= std::abs(table->index(row, ChangeTableModel::ChangeColumn).data(kSortRole).toDouble()));
        }
        QVERIFY2(view.summaryLabel()->text().contains(QStringLiteral("of 8 commits")), qPrintable(view.summaryLabel()->text()));
    }

    // Clicking the change's line asks Compare for the runs before it and after it.
    void clickingAChangeRequestsTheComparison()
    {
        TrendsView view;
        view.resize(1000, 700);
        QSignalSpy loaded(&view, &TrendsView::loaded);
        view.setStore(m_store);
        view.show();
        QVERIFY(loaded.wait(10'000));
        QVERIFY(view.showSeries("demo", "step/compile", "peak_rss_bytes"));
        TrendChart* chart = view.chart();
        chart->replot();
        const ChangePoint& change = chart->series().changes.front();
        const QPoint at(static_cast<int>(chart->xAxis->coordToPixel(static_cast<double>(change.index) - 0.5)),
            chart->axisRect()->center().y());
        QCOMPARE(chart->changeAt(at), 0);
        QSignalSpy compare(&view, &TrendsView::compareRequested);
        QTest::mousePress(chart, Qt::LeftButton, {}, at);
        QCOMPARE(compare.count(), 1);
        auto before = compare.at(0).at(0).value<std::vector<std::int64_t>>();
        auto after = compare.at(0).at(1).value<std::vector<std::int64_t>>();
        std::vector<std::int64_t> expectedBefore;
        std::vector<std::int64_t> expectedAfter;
        for (int commit = 0; commit < kCommits; ++commit)
            for (std::int64_t id : m_idsByCommit[static_cast<std::size_t>(commit)])
                (commit < kJumpCommit ? expectedBefore : expectedAfter).push_back(id);
        std::sort(before.begin(), before.end());
        std::sort(after.begin(), after.end());
        std::sort(expectedBefore.begin(), expectedBefore.end());
        std::sort(expectedAfter.begin(), expectedAfter.end());
        QCOMPARE(before, expectedBefore);
        QCOMPARE(after, expectedAfter);
        // Far from the line: nothing.
        QCOMPARE(chart->changeAt(QPointF(chart->xAxis->coordToPixel(0), at.y())), -1);
    }

    void pickingARowShowsItsSeries()
    {
        TrendsView view;
        QSignalSpy loaded(&view, &TrendsView::loaded);
        view.setStore(m_store);
        view.show();
        QVERIFY(loaded.wait(10'000));
        // The table lists the chosen metric's changes.
        view.metricBox()->setCurrentIndex(view.metricBox()->findText("wall_s"));
        QCOMPARE(rowOf(view, "step/compile", "peak_rss_bytes"), -1);
        view.metricBox()->setCurrentIndex(view.metricBox()->findText("peak_rss_bytes"));
        view.keyBox()->setCurrentIndex(view.keyBox()->findText("step/link"));
        view.selectChange(rowOf(view, "step/compile", "peak_rss_bytes"));
        QCOMPARE(view.keyBox()->currentText(), QStringLiteral("step/compile"));
        QCOMPARE(view.metricBox()->currentText(), QStringLiteral("peak_rss_bytes"));
        QCOMPARE(view.chart()->series().changes.size(), std::size_t {1});
    }

    void aMissingStoreSaysSo()
    {
        TrendsView view;
        QSignalSpy loaded(&view, &TrendsView::loaded);
        const QString damaged = m_dir.filePath("damaged.sqlite");
        QFile file(damaged);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(8192, 'x')); // not a SQLite database
        file.close();
        view.setStore(damaged.toStdString());
        view.show();
        QVERIFY(loaded.wait(10'000));
        QVERIFY2(view.summaryLabel()->text().startsWith(QStringLiteral("Cannot read the run history")),
            qPrintable(view.summaryLabel()->text()));
        QCOMPARE(view.changeModel()->rowCount(), 0);
    }

private:
    QTemporaryDir m_dir;
    std::filesystem::path m_store;
    std::vector<std::vector<std::int64_t>> m_idsByCommit;
};

} // namespace buildscope

Q_DECLARE_METATYPE(std::vector<std::int64_t>)
QTEST_MAIN(buildscope::TestTrendsView)
#include "tst_trendsview.moc"
