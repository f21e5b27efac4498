#include "compare/comparisontablemodel.h"
#include "compare/verdictcolors.h"
#include "models/numericsortproxy.h"
#include "theme/colormath.h"
#include "theme/darkpalette.h"
#include "theme/palettetints.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSignalSpy>
#include <QtTest>
#include <cmath>

namespace buildscope {

namespace {

SampleSummary summary(double median, double low, double high, std::size_t n = 5)
{
    SampleSummary s;
    s.n = n;
    s.median = median;
    s.low = low;
    s.high = high;
    s.min = low;
    s.max = high;
    s.confidence = 0.9375;
    s.allEqual = false;
    return s;
}

ComparisonRow row(
    const char* subject, const char* metric, const char* unit, double base, double candidate, double p, Verdict verdict)
{
    ComparisonRow r;
    r.subject = subject;
    r.metric = metric;
    r.unit = unit;
    r.base = summary(base, base * 0.98, base * 1.02);
    r.candidate = summary(candidate, candidate * 0.99, candidate * 1.01);
    r.deltaPercent = (candidate - base) / base * 100.0;
    r.pValue = p;
    r.verdict = verdict;
    return r;
}

Comparison fixture()
{
    Comparison c;
    c.baseRuns = 5;
    c.candidateRuns = 5;
    c.rows = {row("compile", "wall_s", "s", 7.0, 7.02, 0.69, Verdict::NoChange),
        row("compile", "peak_rss_bytes", "bytes", 400e6, 520e6, 0.0079, Verdict::Regression),
        row("link", "wall_s", "s", 3.0, 2.4, 0.0079, Verdict::Improvement),
        row("run", "tree_peak_rss_bytes", "bytes", 400e6, 520e6, 0.0079, Verdict::Regression)};
    c.rows.back().note = "";
    ComparisonRow exact = row("operation/fingerprint", "allocations_per_op", "count", 3, 3, 1, Verdict::NoChange);
    exact.exact = true;
    c.rows.push_back(exact);
    return c;
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

bool reddish(const QColor& color)
{
    return color.red() > color.green() + 8 && color.red() > color.blue() + 8;
}

bool greenish(const QColor& color)
{
    return color.green() > color.red() + 8 && color.green() > color.blue();
}

} // namespace

class TestComparisonTableModel : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_model = std::make_unique<ComparisonTableModel>();
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
        QApplication::setPalette(m_original);
    }

    void setComparisonResets()
    {
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->setComparison(fixture());
        QCOMPARE(reset.count(), 1);
        QCOMPARE(m_model->rowCount(), 5);
        QCOMPARE(m_model->columnCount(), int(ComparisonTableModel::ColumnCount));
        m_model->setComparison({});
        QCOMPARE(m_model->rowCount(), 0);
    }

    void formatsLikeTheCli()
    {
        m_model->setComparison(fixture());
        const auto cell = [this](int row, int column) { return m_model->index(row, column).data().toString(); };
        QCOMPARE(cell(1, ComparisonTableModel::SubjectColumn), QStringLiteral("compile"));
        QCOMPARE(cell(1, ComparisonTableModel::MetricColumn), QStringLiteral("peak RSS"));
        QCOMPARE(cell(1, ComparisonTableModel::BaseColumn), QStringLiteral("381.5 MiB \u00b1 2%"));
        QCOMPARE(cell(1, ComparisonTableModel::CandidateColumn), QStringLiteral("495.9 MiB \u00b1 1%"));
        QCOMPARE(cell(1, ComparisonTableModel::DeltaColumn), QStringLiteral("+30.0 %"));
        QCOMPARE(cell(1, ComparisonTableModel::PValueColumn), QStringLiteral("0.008"));
        QCOMPARE(cell(1, ComparisonTableModel::RunsColumn), QStringLiteral("5 + 5"));
        QCOMPARE(cell(1, ComparisonTableModel::VerdictColumn), QStringLiteral("regression"));
        QCOMPARE(cell(0, ComparisonTableModel::VerdictColumn), QStringLiteral("~"));
        QCOMPARE(cell(0, ComparisonTableModel::BaseColumn), QStringLiteral("7.00 s \u00b1 2%"));
        QCOMPARE(cell(2, ComparisonTableModel::DeltaColumn), QStringLiteral("-20.0 %"));
        QCOMPARE(cell(4, ComparisonTableModel::PValueColumn), QStringLiteral("exact"));
        QVERIFY(m_model->index(1, ComparisonTableModel::MetricColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("peak_rss_bytes")));
    }

    void sortRoleIsNumeric()
    {
        m_model->setComparison(fixture());
        const auto sortValue
            = [this](int row, int column) { return m_model->index(row, column).data(ComparisonTableModel::SortRole); };
        QCOMPARE(sortValue(1, ComparisonTableModel::DeltaColumn).typeId(), QMetaType::Double);
        QVERIFY(std::abs(sortValue(1, ComparisonTableModel::DeltaColumn).toDouble() - 30.0) < 1e-9);
        QCOMPARE(sortValue(1, ComparisonTableModel::PValueColumn).toDouble(), 0.0079);
        QCOMPARE(sortValue(1, ComparisonTableModel::BaseColumn).toDouble(), 400e6);
        QVERIFY(std::isnan(sortValue(4, ComparisonTableModel::PValueColumn).toDouble())); // exact: no p

        NumericSortProxy proxy;
        proxy.setSourceModel(m_model.get());
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.sort(ComparisonTableModel::DeltaColumn, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, ComparisonTableModel::DeltaColumn).data().toString(), QStringLiteral("+30.0 %"));
        QCOMPARE(proxy.index(4, ComparisonTableModel::DeltaColumn).data().toString(), QStringLiteral("-20.0 %"));
        proxy.sort(ComparisonTableModel::VerdictColumn, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, ComparisonTableModel::VerdictColumn).data().toString(), QStringLiteral("regression"));
        QCOMPARE(proxy.index(1, ComparisonTableModel::VerdictColumn).data().toString(), QStringLiteral("regression"));
        QCOMPARE(proxy.index(2, ComparisonTableModel::VerdictColumn).data().toString(), QStringLiteral("improvement"));
        proxy.sort(ComparisonTableModel::PValueColumn, Qt::AscendingOrder);
        QCOMPARE(proxy.index(4, ComparisonTableModel::PValueColumn).data().toString(), QStringLiteral("exact"));
    }

    void colors_data()
    {
        QTest::addColumn<QPalette>("palette");
        QTest::newRow("light") << lightPalette();
        QTest::newRow("dark") << darkPalette();
    }

    void colors()
    {
        QFETCH(QPalette, palette);
        QApplication::setPalette(palette);
        m_model->setComparison(fixture());
        const QColor text = palette.color(QPalette::Text);
        const auto role = [this](int row, int column, int which) {
            return m_model->index(row, column).data(which).value<QColor>();
        };
        // The regression row: every cell on a red wash, the verdict in red, both readable.
        const QColor regressionRow = role(1, ComparisonTableModel::SubjectColumn, Qt::BackgroundRole);
        QVERIFY(regressionRow.isValid());
        QVERIFY2(reddish(regressionRow), qPrintable(regressionRow.name()));
        QCOMPARE(role(1, ComparisonTableModel::VerdictColumn, Qt::BackgroundRole), regressionRow);
        const QColor regressionText = role(1, ComparisonTableModel::VerdictColumn, Qt::ForegroundRole);
        QVERIFY2(reddish(regressionText), qPrintable(regressionText.name()));
        QVERIFY(contrastRatio(regressionText, regressionRow) >= PaletteTints::kMinimumContrast);
        QVERIFY(contrastRatio(text, regressionRow) >= PaletteTints::kMinimumContrast);
        QCOMPARE(role(1, ComparisonTableModel::DeltaColumn, Qt::ForegroundRole), regressionText);
        QVERIFY(m_model->index(1, ComparisonTableModel::VerdictColumn).data(Qt::FontRole).value<QFont>().bold());

        // The improvement row: green, readable.
        const QColor improvementRow = role(2, ComparisonTableModel::SubjectColumn, Qt::BackgroundRole);
        QVERIFY2(greenish(improvementRow), qPrintable(improvementRow.name()));
        const QColor improvementText = role(2, ComparisonTableModel::VerdictColumn, Qt::ForegroundRole);
        QVERIFY2(greenish(improvementText), qPrintable(improvementText.name()));
        QVERIFY(contrastRatio(improvementText, improvementRow) >= PaletteTints::kMinimumContrast);
        QVERIFY(contrastRatio(text, improvementRow) >= PaletteTints::kMinimumContrast);

        // No change: the view's own background, a muted "~".
        QVERIFY(!m_model->index(0, ComparisonTableModel::SubjectColumn).data(Qt::BackgroundRole).isValid());
        QCOMPARE(role(0, ComparisonTableModel::VerdictColumn, Qt::ForegroundRole),
            PaletteTints::tint(palette, PaletteTints::Tint::Muted));
        QVERIFY(!m_model->index(0, ComparisonTableModel::DeltaColumn).data(Qt::ForegroundRole).isValid());

        // On a dark theme the wash stays dark (light text on it), on a light one light.
        const bool dark = palette.color(QPalette::Base).lightnessF() < 0.5f;
        QCOMPARE(regressionRow.lightnessF() < 0.5f, dark);
        QCOMPARE(VerdictColors::forVerdict(palette, Verdict::Regression).background, regressionRow);
    }

    void paletteChangeRecolors()
    {
        QApplication::setPalette(lightPalette());
        m_model->setComparison(fixture());
        const QColor light = m_model->index(1, 0).data(Qt::BackgroundRole).value<QColor>();
        QSignalSpy dataChanged(m_model.get(), &QAbstractItemModel::dataChanged);
        QApplication::setPalette(darkPalette());
        m_model->paletteChanged();
        QCOMPARE(dataChanged.count(), 1);
        const QColor dark = m_model->index(1, 0).data(Qt::BackgroundRole).value<QColor>();
        QVERIFY(dark != light);
        QVERIFY(dark.lightnessF() < light.lightnessF());
    }

private:
    std::unique_ptr<ComparisonTableModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    QPalette m_original = QApplication::palette();
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestComparisonTableModel)
#include "tst_comparisontablemodel.moc"
