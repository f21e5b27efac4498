#include "compare/compareoptionsbar.h"
#include "compare/compareview.h"
#include "compare/comparisontablemodel.h"
#include "compare/memoryoverlaychart.h"
#include "compare/runcomparison.h"
#include "compare/significantonlyproxy.h"
#include "compare/stepdeltachart.h"
#include "compare/verdictcolors.h"
#include "models/numericsortproxy.h"
#include "syntheticruns.h"
#include "theme/darkpalette.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>
#include <cmath>

namespace buildscope {

namespace {

// 5 vs 5: the candidate's compile peaks 30 % higher; its fingerprint takes 1.5 s instead of
// 0.5 s, so its compile and link start 1 s later than the baseline's.
struct Fixture
{
    std::vector<LoadedReport> base;
    std::vector<LoadedReport> candidate;
    Comparison comparison;

    explicit Fixture(int baseRuns = 5, int candidateRuns = 5)
    {
        for (int i = 0; i < std::max(baseRuns, candidateRuns); ++i) {
            if (i < baseRuns)
                base.push_back(testing::makeReport({.index = i, .compilePeakBytes = 400e6}));
            if (i < candidateRuns)
                candidate.push_back(
                    testing::makeReport({.index = (i + 2) % 5, .fingerprintSeconds = 1.5, .compilePeakBytes = 520e6}));
        }
        std::vector<RunResult> baseResults;
        std::vector<RunResult> candidateResults;
        for (const LoadedReport& report : base)
            baseResults.push_back(report.result);
        for (const LoadedReport& report : candidate)
            candidateResults.push_back(report.result);
        comparison = compareRuns(baseResults, candidateResults);
    }
};

const StepResult& stepNamed(const LoadedReport& report, const char* name)
{
    for (const StepResult& step : report.result.steps) {
        if (step.name == name)
            return step;
    }
    qFatal("no step %s", name);
}

// As the window does: the runs go in, the comparison is computed off the GUI thread.
bool show(CompareView& view, const Fixture& fixture, const QString& baseName = {}, const QString& candidateName = {})
{
    QSignalSpy changed(&view, &CompareView::comparisonChanged);
    view.setRuns(fixture.base, fixture.candidate, baseName, candidateName);
    return changed.wait(10'000);
}

int rowOf(const QAbstractItemModel& model, const QString& subject, const QString& metric)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, ComparisonTableModel::SubjectColumn).data().toString() == subject
            && model.index(row, ComparisonTableModel::MetricColumn).data().toString() == metric)
            return row;
    }
    return -1;
}

} // namespace

class TestCompareView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // The options are remembered: keep the user's settings out of the test.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("BuildScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_compareview"));
    }

    void init() { QSettings().clear(); }

    void cleanup() { QApplication::setPalette(QApplication::style()->standardPalette()); }

    void tableShowsTheRegressionInRed()
    {
        const Fixture fixture;
        CompareView view;
        QAbstractItemModelTester modelTester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester filterTester(
            view.significantProxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester sortTester(view.sortProxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(show(view, fixture));

        QAbstractItemModel* shown = view.table()->model();
        QCOMPARE(shown->rowCount(), int(fixture.comparison.rows.size()));
        const int peak = rowOf(*shown, QStringLiteral("compile"), QStringLiteral("peak RSS"));
        QVERIFY(peak >= 0);
        QCOMPARE(
            shown->index(peak, ComparisonTableModel::VerdictColumn).data().toString(), QStringLiteral("regression"));
        const VerdictColors red = VerdictColors::forVerdict(QApplication::palette(), Verdict::Regression);
        QCOMPARE(shown->index(peak, ComparisonTableModel::SubjectColumn).data(Qt::BackgroundRole).value<QColor>(),
            red.background);
        QCOMPARE(
            shown->index(peak, ComparisonTableModel::VerdictColumn).data(Qt::ForegroundRole).value<QColor>(), red.text);
        QVERIFY(
            shown->index(peak, ComparisonTableModel::DeltaColumn).data().toString().startsWith(QStringLiteral("+30")));
        // Regressions are listed first.
        QCOMPARE(shown->index(0, ComparisonTableModel::VerdictColumn).data().toString(), QStringLiteral("regression"));
        // The wall times did not change.
        const int wall = rowOf(*shown, QStringLiteral("compile"), QStringLiteral("wall"));
        QCOMPARE(shown->index(wall, ComparisonTableModel::VerdictColumn).data().toString(), QStringLiteral("~"));

        const QString summary = view.summaryText();
        QVERIFY2(summary.contains(QStringLiteral("5 vs 5 runs")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("%1 regressions").arg(fixture.comparison.regressions()))
                || summary.contains(QStringLiteral("1 regression")),
            qPrintable(summary));
        QVERIFY(summary.contains(QStringLiteral("0 improvements")));
    }

    void significantOnlyLeavesFlaggedRows()
    {
        const Fixture fixture;
        CompareView view;
        QAbstractItemModelTester sortTester(view.sortProxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(show(view, fixture));
        QAbstractItemModel* shown = view.table()->model();
        const int flagged = int(fixture.comparison.regressions() + fixture.comparison.improvements());
        QVERIFY(flagged >= 2); // compile peak and the run's tree peak at least
        QVERIFY(shown->rowCount() > flagged);
        view.significantOnlyBox()->setChecked(true);
        QCOMPARE(shown->rowCount(), flagged);
        for (int row = 0; row < shown->rowCount(); ++row)
            QVERIFY(shown->index(row, 0).data(ComparisonTableModel::VerdictRole).toInt()
                != static_cast<int>(Verdict::NoChange));
        view.significantOnlyBox()->setChecked(false);
        QCOMPARE(shown->rowCount(), int(fixture.comparison.rows.size()));
    }

    void overlayAlignsTheBaselineByStep()
    {
        const Fixture fixture;
        CompareView view;
        view.resize(1280, 860); // step names are shown where a span is wide enough for them
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(show(view, fixture));
        MemoryOverlayChart* chart = view.memoryChart();
        QCPGraph* candidate = chart->candidateGraph();
        QCPGraph* baseline = chart->baselineGraph();
        QVERIFY(baseline);
        QVERIFY(candidate->data()->size() > 50);
        QVERIFY(baseline->data()->size() > 50);
        QCOMPARE(chart->graphCount(), 2);
        QVERIFY(chart->legend->hasItemWithPlottable(candidate));
        QVERIFY(chart->legend->hasItemWithPlottable(baseline));
        QCOMPARE(baseline->pen().style(), Qt::CustomDashLine);
        QCOMPARE(candidate->pen().style(), Qt::SolidLine);

        // The drawn runs are each side's median-duration run.
        const LoadedReport& baseRun = fixture.base[std::size_t(CompareView::medianDurationRun(fixture.base))];
        const LoadedReport& candidateRun
            = fixture.candidate[std::size_t(CompareView::medianDurationRun(fixture.candidate))];
        // Each baseline step starts where the candidate's step of that name started.
        const BaselineAlignment& alignment = chart->alignment();
        QCOMPARE(alignment.steps().size(), std::size_t(3));
        for (const char* name : {"fingerprint", "compile", "link"}) {
            const BaselineAlignment::Step* step = alignment.step(name);
            QVERIFY(step);
            QVERIFY(step->matched);
            QCOMPARE(step->alignedStart(), stepNamed(candidateRun, name).startSeconds);
        }
        const double compileShift
            = stepNamed(candidateRun, "compile").startSeconds - stepNamed(baseRun, "compile").startSeconds;
        QCOMPARE(compileShift, 1.0);
        // A baseline sample 2 s into its compile is drawn 2 s into the candidate's compile.
        const double baseTime = stepNamed(baseRun, "compile").startSeconds + 2.0;
        const auto found = baseline->data()->findBegin(baseTime + compileShift - 1e-6, false);
        QVERIFY(found != baseline->data()->constEnd());
        QVERIFY(std::abs(found->key - (baseTime + compileShift)) < 1e-6);
        QVERIFY(std::abs(found->value - testing::treeRss({.compilePeakBytes = 400e6}, "compile", 2.0)) < 1.0);
        // Before the shifted compile there is no baseline data from its fingerprint (in-process: NaN).
        // The baseline's step marks sit at the aligned spans; the candidate's steps are shaded and named.
        QCOMPARE(chart->baselineStepMarks().size(), std::size_t(3));
        QCOMPARE(chart->baselineStepMarks()[1]->topLeft->coords().x(), stepNamed(candidateRun, "compile").startSeconds);
        QCOMPARE(chart->baselineStepMarks()[1]->bottomRight->coords().x(),
            stepNamed(baseRun, "compile").endSeconds + compileShift);
        QCOMPARE(chart->stepBands().size(), std::size_t(3));
        QCOMPARE(chart->stepLabels()[1]->text().isEmpty(), false);
        QCOMPARE(chart->stepBands()[1]->topLeft->coords().x(), stepNamed(candidateRun, "compile").startSeconds);
        // The value axis holds the candidate's higher peak.
        QVERIFY(chart->yAxis->range().upper >= 520e6);
    }

    // The per-step chart holds steps; a build's commands (hundreds of process/ rows) stay
    // in the table.
    void deltaChartLeavesCommandsToTheTable()
    {
        Comparison comparison;
        for (const char* subject : {"compile", "process/cc1plus src/heavy.cpp", "run", "pool/io"}) {
            ComparisonRow row;
            row.subject = subject;
            row.metric = "peak_rss_bytes";
            row.unit = "bytes";
            row.deltaPercent = 30;
            row.verdict = Verdict::Regression;
            comparison.rows.push_back(row);
        }
        StepDeltaChart chart;
        chart.setComparison(comparison);
        QCOMPARE(chart.rowNames(), (QStringList {"compile"}));
    }

    void deltaChartPerStep()
    {
        const Fixture fixture;
        CompareView view;
        QVERIFY(show(view, fixture));
        StepDeltaChart* chart = view.deltaChart();
        // Every step in the comparison's reading order: the steps whose memory decided the
        // verdict (compile and link, +30 % each) before the one that only got slower.
        QStringList names = chart->rowNames();
        QCOMPARE(names.size(), 3);
        QCOMPARE(names.back(), QStringLiteral("fingerprint"));
        names.sort();
        QCOMPARE(names, (QStringList {"compile", "fingerprint", "link"}));
        const auto bar = [chart](const char* step, const char* metric) -> const StepDeltaChart::Bar* {
            for (const StepDeltaChart::Bar& b : chart->shownBars()) {
                if (b.step == QLatin1String(step) && b.metric == QLatin1String(metric))
                    return &b;
            }
            return nullptr;
        };
        const StepDeltaChart::Bar* compilePeak = bar("compile", StepDeltaChart::kPeakMetric);
        QVERIFY(compilePeak);
        QCOMPARE(compilePeak->verdict, Verdict::Regression);
        QVERIFY(std::abs(compilePeak->deltaPercent - 30.0) < 0.5);
        QCOMPARE(bar("compile", StepDeltaChart::kWallMetric)->verdict, Verdict::NoChange);
        QCPBars* red = chart->bars(QString::fromLatin1(StepDeltaChart::kPeakMetric), Verdict::Regression);
        QVERIFY(red->data()->size() >= 1);
        QVERIFY(red->brush().color().red() > red->brush().color().green());
        QVERIFY(chart->legend->hasItemWithPlottable(red));
        QVERIFY(chart->figures().join(QLatin1Char('|')).contains(QStringLiteral("peak RSS +30")));
    }

    void exportCsvWritesTheTable()
    {
        const Fixture fixture;
        CompareView view;
        QVERIFY(show(view, fixture));
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("comparison.csv"));
        QString error;
        QVERIFY2(view.exportCsv(file, &error), qPrintable(error));
        QFile written(file);
        QVERIFY(written.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(written.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), int(fixture.comparison.rows.size()) + 1);
        QVERIFY(lines.front().startsWith(QStringLiteral("subject,metric,unit,base_n,base_median")));
        QCOMPARE(lines.front().split(QLatin1Char(',')).size(), 24); // the columns of docs/REPORTS.md's comparison CSV
        QVERIFY(lines.join(QLatin1Char('\n')).contains(QStringLiteral("compile,peak_rss_bytes")));

        // A directory that does not exist: false and a reason, no exception.
        QVERIFY(!view.exportCsv(dir.filePath(QStringLiteral("missing/x.csv")), &error));
        QVERIFY(error.contains(QStringLiteral("missing/x.csv")));
    }

    void summaryNamesTheSidesInTheDashboardsWords()
    {
        // The issue: "use --repeat 5" (a command-line flag) in a window, and "3 runs (label
        // side=base)" for 3 of 5 labelled runs.
        const Fixture fixture(3, 2);
        CompareView view;
        QVERIFY(
            show(view, fixture, QStringLiteral("3 of 5 runs labelled side=base"), QStringLiteral("run #12 (demo)")));
        const QString summary = view.summaryText();
        QVERIFY2(summary.contains(QStringLiteral("Baseline: 3 of 5 runs labelled side=base.")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("Candidate: run #12 (demo).")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("Fewer than 4 runs on a side (3 vs 2)")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("Run N Times")), qPrintable(summary));
        QVERIFY2(!summary.contains(QStringLiteral("--")), qPrintable(summary)); // no command-line flags
        QVERIFY(!view.exportButton()->toolTip().contains(QStringLiteral("--")));
        QVERIFY(!view.optionsBar()->metricsButton()->toolTip().contains(QStringLiteral("--")));
    }

    void optionsAreTheCommandLinesOptions()
    {
        const Fixture fixture;
        CompareView view;
        QAbstractItemModelTester modelTester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(show(view, fixture));
        CompareOptionsBar* bar = view.optionsBar();
        QCOMPARE(bar->thresholdBox()->value(), 5.0);
        QCOMPARE(bar->alphaBox()->value(), 0.05);
        QCOMPARE(bar->metricsButton()->text(), QStringLiteral("All metrics"));
        QVERIFY(view.options().metrics.empty()); // every metric: none named, as without --metrics
        QCOMPARE(view.comparison().rows.size(), fixture.comparison.rows.size());

        // A 30 % rise with a threshold of 50 %: no longer a change that counts, exactly as
        // the command line's compare with that threshold says.
        QSignalSpy changed(&view, &CompareView::comparisonChanged);
        bar->thresholdBox()->setValue(50);
        QVERIFY(changed.wait(10'000));
        CompareOptions fifty;
        fifty.thresholdPercent = 50;
        std::vector<RunResult> baseResults;
        std::vector<RunResult> candidateResults;
        for (const LoadedReport& run : fixture.base)
            baseResults.push_back(run.result);
        for (const LoadedReport& run : fixture.candidate)
            candidateResults.push_back(run.result);
        const Comparison expected = compareRuns(baseResults, candidateResults, fifty);
        QCOMPARE(view.comparison().regressions(), expected.regressions());
        QCOMPARE(view.comparison().options.thresholdPercent, 50.0);
        const int peak = rowOf(*view.model(), QStringLiteral("compile"), QStringLiteral("peak RSS"));
        QCOMPARE(view.model()->index(peak, ComparisonTableModel::VerdictColumn).data().toString(), QStringLiteral("~"));

        // Alpha.
        bar->alphaBox()->setValue(0.01);
        QVERIFY(changed.wait(10'000));
        QCOMPARE(view.comparison().options.alpha, 0.01);

        // The memory metrics only: a gate the machine's load cannot fail.
        QAction* memoryOnly = bar->metricsMenu()->actions().at(1);
        memoryOnly->trigger();
        QVERIFY(changed.wait(10'000));
        QCOMPARE(bar->metricsButton()->text(), QStringLiteral("Memory metrics"));
        QCOMPARE(view.options().metrics, CompareOptionsBar::memoryMetrics());
        for (const ComparisonRow& row : view.comparison().rows)
            QVERIFY2(row.metric.find("rss") != std::string::npos || row.metric.find("peak") != std::string::npos,
                row.metric.c_str());
        QVERIFY(rowOf(*view.model(), QStringLiteral("compile"), QStringLiteral("wall")) < 0);

        // Remembered: the next comparison is judged the same way.
        CompareView next;
        QCOMPARE(next.options().thresholdPercent, 50.0);
        QCOMPARE(next.options().alpha, 0.01);
        QCOMPARE(next.options().metrics, CompareOptionsBar::memoryMetrics());

        // The last metric cannot be unchecked: a comparison of nothing is no comparison.
        CompareOptions one;
        one.metrics = {"wall_s"};
        view.setOptions(one);
        QVERIFY(changed.wait(10'000));
        QCOMPARE(bar->metricsButton()->text(), QStringLiteral("wall"));
        for (QAction* action : bar->metricsMenu()->actions()) {
            if (action->isChecked())
                action->trigger(); // unchecks wall_s: refused
        }
        QCOMPARE(view.options().metrics, std::vector<std::string> {"wall_s"});
    }

    void overlayDrawsTheWholeOfALongerBaseline()
    {
        // The issue: a 33 s baseline drawn to 13.7 s, peaking at 355 MiB instead of 410 MiB.
        Fixture fixture;
        for (int i = 0; i < 5; ++i)
            fixture.base[std::size_t(i)]
                = testing::makeReport({.index = i, .compileSeconds = 30.0, .compilePeakBytes = 410.0 * 1024 * 1024});
        CompareView view;
        QVERIFY(show(view, fixture));
        MemoryOverlayChart* chart = view.memoryChart();
        const LoadedReport& baseRun = fixture.base[std::size_t(CompareView::medianDurationRun(fixture.base))];
        QCPGraph* baseline = chart->baselineGraph();
        int drawn = 0;
        double peak = 0;
        double last = 0;
        double previous = -1;
        for (auto it = baseline->data()->constBegin(); it != baseline->data()->constEnd(); ++it) {
            QVERIFY(it->key > previous);
            previous = it->key;
            if (std::isnan(it->value))
                continue;
            ++drawn;
            peak = std::max(peak, it->value);
            last = it->key;
        }
        int measured = 0;
        for (const SampleTable::Row& row : baseRun.samples.rows)
            measured += std::isnan(row.values.front()) ? 0 : 1;
        QCOMPARE(drawn, measured); // every sample of the baseline, none cut
        QVERIFY(peak > 405.0 * 1024 * 1024); // its real peak (the samples reach 99.8 % of the 410 MiB)
        QVERIFY(last >= stepNamed(baseRun, "link").endSeconds - 0.2); // to its real end
        QVERIFY(chart->xAxis->range().upper >= last); // and all of it in view
        // The link, which the candidate began 26 s sooner, follows the baseline's own compile.
        QVERIFY(chart->alignment().step("link")->delayed);
        QVERIFY(chart->alignment().step("link")->alignedStart() >= chart->alignment().step("compile")->alignedEnd());
    }

    void deltaLegendIsNotClipped()
    {
        const Fixture fixture;
        CompareView view;
        view.resize(1280, 860);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(show(view, fixture));
        StepDeltaChart* chart = view.deltaChart();
        chart->replot();
        const QRect viewport = chart->viewport();
        QVERIFY(chart->legend->itemCount() >= 2);
        for (int i = 0; i < chart->legend->itemCount(); ++i) {
            auto* item = qobject_cast<QCPPlottableLegendItem*>(chart->legend->item(i));
            QVERIFY(viewport.contains(item->outerRect()));
            QVERIFY(
                item->outerRect().width() >= QFontMetrics(item->font()).horizontalAdvance(item->plottable()->name()));
        }
    }

    void screenshots()
    {
        const Fixture fixture;
        struct Variant
        {
            const char* name;
            QPalette palette;
        };
        const Variant variants[] = {{"light", QApplication::style()->standardPalette()}, {"dark", darkPalette()}};
        for (const Variant& variant : variants) {
            QApplication::setPalette(variant.palette);
            CompareView view;
            view.resize(1280, 860);
            QVERIFY(show(view, fixture));
            view.show();
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            QCoreApplication::processEvents();
            QCoreApplication::processEvents();
            const QImage image = view.grab().toImage();
            const QString path = QDir::tempPath() + QStringLiteral("/buildscope_compareview_")
                + QLatin1String(variant.name) + QStringLiteral(".png");
            QVERIFY(image.save(path));
            qInfo("screenshot: %s", qPrintable(path));
        }
    }
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestCompareView)
#include "tst_compareview.moc"
