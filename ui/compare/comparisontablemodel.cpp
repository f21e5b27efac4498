#include "compare/comparisontablemodel.h"

#include "compare/comparisonformat.h"

#include <QFont>
#include <QGuiApplication>
#include <QPalette>
#include <cmath>
#include <limits>

namespace buildscope {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QString value(double number, const std::string& unit)
{
    return QString::fromStdString(formatMetricValue(number, unit));
}

// benchstat's "± 2%": the larger half of the confidence interval, relative to the median.
QString spread(const SampleSummary& summary)
{
    if (summary.median == 0 || summary.allEqual)
        return {};
    const double halfWidth = std::max(summary.median - summary.low, summary.high - summary.median);
    return QStringLiteral(" \u00b1 %1%").arg(halfWidth / std::abs(summary.median) * 100.0, 0, 'f', 0);
}

QString side(const SampleSummary& summary, const std::string& unit)
{
    if (summary.n == 0)
        return QStringLiteral("n/a");
    return value(summary.median, unit) + spread(summary);
}

QString sideToolTip(const SampleSummary& summary, const std::string& unit, const char* name)
{
    if (summary.n == 0)
        return ComparisonTableModel::tr("No %1 run has this value").arg(QLatin1String(name));
    return ComparisonTableModel::tr(
        "%1: median %2 of %3 run(s)\n%4 % confidence interval %5 \u2013 %6\nrange %7 \u2013 %8")
        .arg(QLatin1String(name), value(summary.median, unit))
        .arg(summary.n)
        .arg(summary.confidence * 100.0, 0, 'f', 1)
        .arg(value(summary.low, unit), value(summary.high, unit), value(summary.min, unit), value(summary.max, unit));
}

int verdictRank(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Regression:
        return 3;
    case Verdict::Unknown: // cannot tell: needs attention before an improvement does
        return 2;
    case Verdict::Improvement:
        return 1;
    case Verdict::NoChange:
        break;
    }
    return 0;
}

} // namespace

ComparisonTableModel::ComparisonTableModel(QObject* parent)
    : ColumnTableModel(parent)
{
    setColumns({
        ColumnSpec(tr("Subject"),
            tr("A build step, an engine operation (operation/\u2026), a buffer pool (pool/\u2026) or the "
               "whole run"),
            [](const ComparisonRow& r) { return QString::fromStdString(r.subject); }),
        ColumnSpec(tr("Metric"), tr("What was measured"), [](const ComparisonRow& r) { return metricTitle(r.metric); })
            .withToolTip([](const ComparisonRow& r) {
                return tr("%1 (%2 in CSV and JSON), in %3")
                    .arg(metricTitle(r.metric), QString::fromStdString(r.metric), QString::fromStdString(r.unit));
            }),
        ColumnSpec(tr("Base"),
            tr("Median over the baseline runs \u00b1 the larger half of its confidence interval, "
               "relative to it"),
            [](const ComparisonRow& r) { return side(r.base, r.unit); })
            .withUnit(tr("the metric's: bytes, seconds, a count or a ratio"))
            .withSortKey([](const ComparisonRow& r) { return r.base.n == 0 ? kNaN : r.base.median; })
            .withToolTip([](const ComparisonRow& r) { return sideToolTip(r.base, r.unit, "base"); })
            .alignedAsNumber(),
        ColumnSpec(tr("Candidate"),
            tr("Median over the candidate runs \u00b1 the larger half of its confidence interval, "
               "relative to it"),
            [](const ComparisonRow& r) { return side(r.candidate, r.unit); })
            .withUnit(tr("the metric's: bytes, seconds, a count or a ratio"))
            .withSortKey([](const ComparisonRow& r) { return r.candidate.n == 0 ? kNaN : r.candidate.median; })
            .withToolTip([](const ComparisonRow& r) { return sideToolTip(r.candidate, r.unit, "candidate"); })
            .alignedAsNumber(),
        ColumnSpec(tr("Delta"), tr("Change of the median from base to candidate"),
            [](const ComparisonRow& r) {
                if (std::isnan(r.deltaPercent))
                    return QStringLiteral("n/a");
                return QStringLiteral("%1%2 %")
                    .arg(r.deltaPercent >= 0 ? QStringLiteral("+") : QString())
                    .arg(r.deltaPercent, 0, 'f', 1);
            })
            .withUnit(tr("percent of the base median"))
            .withSortKey([](const ComparisonRow& r) { return r.deltaPercent; })
            .withToolTip([](const ComparisonRow& r) {
                if (std::isnan(r.deltaPercent))
                    return tr("The base median is 0: no relative change");
                return tr("%1 \u2192 %2 (%3 is worse)")
                    .arg(value(r.base.median, r.unit), value(r.candidate.median, r.unit),
                        r.higherIsWorse ? tr("higher") : tr("lower"));
            })
            .alignedAsNumber(),
        ColumnSpec(tr("p"), tr("Two-sided Mann-Whitney U p-value; \"exact\" for deterministic counts compared exactly"),
            [](const ComparisonRow& r) {
                if (r.exact)
                    return tr("exact");
                if (r.pValue < 0.001)
                    return QStringLiteral("<0.001");
                return QString::number(r.pValue, 'f', 3);
            })
            .withSortKey([](const ComparisonRow& r) { return r.exact ? kNaN : r.pValue; })
            .withToolTip([](const ComparisonRow& r) {
                if (r.exact)
                    return tr("A deterministic count: any change of the median counts, without a test");
                const QString role
                    = r.gates ? tr("The gate covers this row.") : tr("This row explains; the gate does not cover it.");
                if (std::isnan(r.adjustedP))
                    return tr("p = %1 (two-sided Mann-Whitney U); not tested over the comparison: the change is "
                              "below the threshold or the metric's floor. %2")
                        .arg(r.pValue, 0, 'g', 3)
                        .arg(role);
                return tr("p = %1 (two-sided Mann-Whitney U), q = %2 (Benjamini-Hochberg over the comparison's "
                          "rows with a practical change). %3")
                    .arg(r.pValue, 0, 'g', 3)
                    .arg(r.adjustedP, 0, 'g', 3)
                    .arg(role);
            })
            .alignedAsNumber(),
        ColumnSpec(tr("n"), tr("Runs with a value: base + candidate"),
            [](const ComparisonRow& r) { return QStringLiteral("%1 + %2").arg(r.base.n).arg(r.candidate.n); })
            .withUnit(tr("count"))
            .withSortKey([](const ComparisonRow& r) { return static_cast<double>(r.base.n + r.candidate.n); })
            .alignedAsNumber(),
        ColumnSpec(tr("Verdict"),
            tr("Regression or improvement when the change exceeds the threshold and the metric's floor and its "
               "q (p corrected over the whole comparison) is below alpha; ~ otherwise; unknown with too few runs"),
            [](const ComparisonRow& r) {
                QString text = QString::fromLatin1(verdictName(r.verdict));
                if (!r.note.empty())
                    text += QStringLiteral(" (") + QString::fromStdString(r.note) + QLatin1Char(')');
                return text;
            })
            .withSortKey([](const ComparisonRow& r) { return static_cast<double>(verdictRank(r.verdict)); })
            .withToolTip([](const ComparisonRow& r) { return QString::fromStdString(r.note); }),
    });
    Q_ASSERT(columns().size() == ColumnCount);
}

void ComparisonTableModel::setComparison(const Comparison& comparison)
{
    beginResetModel();
    m_comparison = comparison;
    endResetModel();
}

QString ComparisonTableModel::metricTitle(const std::string& metric)
{
    static const std::pair<const char*, const char*> titles[]
        = {{"wall_s", "wall"}, {"cpu_s", "CPU"}, {"peak_rss_bytes", "peak RSS"},
            {"engine_allocations", "engine allocations"}, {"engine_allocated_bytes", "engine allocated"},
            {"allocations_per_op", "allocations/op"}, {"bytes_per_op", "bytes/op"}, {"hit_rate", "hit rate"},
            {"duration_s", "duration"}, {"tree_peak_rss_bytes", "peak tree RSS"},
            {"engine_peak_rss_bytes", "engine peak RSS"}, {"heap_peak_live_bytes", "heap peak live"}};
    for (const auto& [name, title] : titles) {
        if (metric == name)
            return QString::fromLatin1(title);
    }
    return QString::fromStdString(metric);
}

const VerdictColors& ComparisonTableModel::colors(Verdict verdict) const
{
    const QPalette palette = QGuiApplication::palette();
    const QColor text = palette.color(QPalette::Active, QPalette::Text);
    const QColor base = palette.color(QPalette::Active, QPalette::Base);
    if (!m_colorsValid || text != m_text || base != m_base) {
        for (const Verdict each : {Verdict::NoChange, Verdict::Regression, Verdict::Improvement, Verdict::Unknown})
            m_colors[static_cast<int>(each)] = VerdictColors::forVerdict(palette, each);
        m_text = text;
        m_base = base;
        m_colorsValid = true;
    }
    return m_colors[static_cast<int>(verdict)];
}

QVariant ComparisonTableModel::cellData(const ComparisonRow& row, int column, int role) const
{
    switch (role) {
    case VerdictRole:
        return static_cast<int>(row.verdict);
    case Qt::BackgroundRole: {
        const QColor background = colors(row.verdict).background;
        return background.isValid() ? QVariant(background) : QVariant();
    }
    case Qt::ForegroundRole:
        if (column == VerdictColumn || (column == DeltaColumn && row.verdict != Verdict::NoChange))
            return colors(row.verdict).text;
        return {};
    case Qt::FontRole:
        if (column == VerdictColumn && row.verdict != Verdict::NoChange) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    default:
        return {};
    }
}

} // namespace buildscope
