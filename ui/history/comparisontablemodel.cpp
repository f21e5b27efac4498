#include "history/comparisontablemodel.h"

#include "compare/comparisonformat.h"
#include "models/tableheader.h"

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
        return 2;
    case Verdict::Improvement:
        return 1;
    case Verdict::NoChange:
        break;
    }
    return 0;
}

const char* columnTitle(int column)
{
    switch (column) {
    case ComparisonTableModel::SubjectColumn:
        return "Subject";
    case ComparisonTableModel::MetricColumn:
        return "Metric";
    case ComparisonTableModel::BaseColumn:
        return "Base";
    case ComparisonTableModel::CandidateColumn:
        return "Candidate";
    case ComparisonTableModel::DeltaColumn:
        return "Delta";
    case ComparisonTableModel::PValueColumn:
        return "p";
    case ComparisonTableModel::RunsColumn:
        return "n";
    case ComparisonTableModel::VerdictColumn:
        return "Verdict";
    }
    return "";
}

const char* columnDescription(int column)
{
    switch (column) {
    case ComparisonTableModel::SubjectColumn:
        return "A build step, an engine operation (operation/\u2026), a buffer pool (pool/\u2026) or the whole run";
    case ComparisonTableModel::MetricColumn:
        return "What was measured";
    case ComparisonTableModel::BaseColumn:
        return "Median over the baseline runs \u00b1 the larger half of its confidence interval, relative to it";
    case ComparisonTableModel::CandidateColumn:
        return "Median over the candidate runs \u00b1 the larger half of its confidence interval, relative to it";
    case ComparisonTableModel::DeltaColumn:
        return "Change of the median from base to candidate";
    case ComparisonTableModel::PValueColumn:
        return "Two-sided Mann-Whitney U p-value; \"exact\" for deterministic counts compared exactly";
    case ComparisonTableModel::RunsColumn:
        return "Runs with a value: base + candidate";
    case ComparisonTableModel::VerdictColumn:
        return "Regression or improvement when p < alpha and the change exceeds the threshold; ~ otherwise";
    }
    return "";
}

bool isNumeric(int column)
{
    return column >= ComparisonTableModel::BaseColumn && column <= ComparisonTableModel::RunsColumn;
}

} // namespace

ComparisonTableModel::ComparisonTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

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

int ComparisonTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_comparison.rows.size());
}

int ComparisonTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const VerdictColors& ComparisonTableModel::colors(Verdict verdict) const
{
    const QPalette palette = QGuiApplication::palette();
    const QColor text = palette.color(QPalette::Active, QPalette::Text);
    const QColor base = palette.color(QPalette::Active, QPalette::Base);
    if (!m_colorsValid || text != m_text || base != m_base) {
        for (const Verdict each : {Verdict::NoChange, Verdict::Regression, Verdict::Improvement})
            m_colors[static_cast<int>(each)] = VerdictColors::forVerdict(palette, each);
        m_text = text;
        m_base = base;
        m_colorsValid = true;
    }
    return m_colors[static_cast<int>(verdict)];
}

QVariant ComparisonTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ComparisonRow& row = m_comparison.rows[static_cast<std::size_t>(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, column);
    case SortRole:
        return sortValue(row, column);
    case VerdictRole:
        return static_cast<int>(row.verdict);
    case Qt::ToolTipRole:
        return toolTip(row, column);
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
    case Qt::TextAlignmentRole:
        if (isNumeric(column))
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter).toInt());
        return {};
    default:
        return {};
    }
}

QVariant ComparisonTableModel::displayText(const ComparisonRow& row, int column) const
{
    switch (column) {
    case SubjectColumn:
        return QString::fromStdString(row.subject);
    case MetricColumn:
        return metricTitle(row.metric);
    case BaseColumn:
        return side(row.base, row.unit);
    case CandidateColumn:
        return side(row.candidate, row.unit);
    case DeltaColumn:
        if (std::isnan(row.deltaPercent))
            return QStringLiteral("n/a");
        return QStringLiteral("%1%2 %")
            .arg(row.deltaPercent >= 0 ? QStringLiteral("+") : QString())
            .arg(row.deltaPercent, 0, 'f', 1);
    case PValueColumn:
        if (row.exact)
            return tr("exact");
        if (row.pValue < 0.001)
            return QStringLiteral("<0.001");
        return QString::number(row.pValue, 'f', 3);
    case RunsColumn:
        return QStringLiteral("%1 + %2").arg(row.base.n).arg(row.candidate.n);
    case VerdictColumn: {
        QString text = QString::fromLatin1(verdictName(row.verdict));
        if (!row.note.empty())
            text += QStringLiteral(" (") + QString::fromStdString(row.note) + QLatin1Char(')');
        return text;
    }
    }
    return {};
}

QVariant ComparisonTableModel::sortValue(const ComparisonRow& row, int column) const
{
    switch (column) {
    case SubjectColumn:
        return QString::fromStdString(row.subject);
    case MetricColumn:
        return metricTitle(row.metric);
    case BaseColumn:
        return row.base.n == 0 ? kNaN : row.base.median;
    case CandidateColumn:
        return row.candidate.n == 0 ? kNaN : row.candidate.median;
    case DeltaColumn:
        return row.deltaPercent;
    case PValueColumn:
        return row.exact ? kNaN : row.pValue;
    case RunsColumn:
        return static_cast<double>(row.base.n + row.candidate.n);
    case VerdictColumn:
        return static_cast<double>(verdictRank(row.verdict));
    }
    return {};
}

QString ComparisonTableModel::toolTip(const ComparisonRow& row, int column) const
{
    switch (column) {
    case MetricColumn:
        return tr("%1 (%2 in CSV and JSON), in %3")
            .arg(metricTitle(row.metric), QString::fromStdString(row.metric), QString::fromStdString(row.unit));
    case BaseColumn:
        return sideToolTip(row.base, row.unit, "base");
    case CandidateColumn:
        return sideToolTip(row.candidate, row.unit, "candidate");
    case DeltaColumn:
        if (std::isnan(row.deltaPercent))
            return tr("The base median is 0: no relative change");
        return tr("%1 \u2192 %2 (%3 is worse)")
            .arg(value(row.base.median, row.unit), value(row.candidate.median, row.unit),
                row.higherIsWorse ? tr("higher") : tr("lower"));
    case PValueColumn:
        if (row.exact)
            return tr("A deterministic count: any change of the median counts, without a test");
        return tr("p = %1 (two-sided Mann-Whitney U)").arg(row.pValue, 0, 'g', 3);
    case VerdictColumn:
        if (!row.note.empty())
            return QString::fromStdString(row.note);
        [[fallthrough]];
    default:
        return QString::fromUtf8(columnDescription(column));
    }
}

QVariant ComparisonTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    return tableHeaderData(role, columnTitle(section), columnDescription(section), isNumeric(section));
}

void ComparisonTableModel::paletteChanged()
{
    m_colorsValid = false;
    if (!m_comparison.rows.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::BackgroundRole, Qt::ForegroundRole});
}

} // namespace buildscope
