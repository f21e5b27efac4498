#include "trends/changetablemodel.h"

#include "compare/verdictcolors.h"
#include "models/numberformat.h"

#include <QApplication>
#include <QPalette>
#include <cmath>

namespace buildscope {

namespace {

QString valueText(const ChangeRow& row, double value)
{
    if (row.unit == "bytes")
        return bytesText(value);
    if (row.unit == "s")
        return durationText(value);
    return QString::number(value, 'g', 4);
}

QString commitText(const std::string& commit, std::int64_t run)
{
    return commit.empty() ? ChangeTableModel::tr("run %1").arg(run) : QString::fromStdString(commit.substr(0, 12));
}

bool sameChange(const ChangeRow& a, const ChangeRow& b)
{
    return a.key == b.key && a.metric == b.metric && a.runAfter == b.runAfter;
}

bool sameFigures(const ChangeRow& a, const ChangeRow& b)
{
    return a.point.p == b.point.p && a.point.beforeMedian == b.point.beforeMedian
        && a.point.afterMedian == b.point.afterMedian && a.series == b.series && a.change == b.change;
}

} // namespace

std::vector<ChangeRow> changeRows(const std::vector<TrendSeries>& trends)
{
    std::vector<ChangeRow> rows;
    for (std::size_t s = 0; s < trends.size(); ++s) {
        const TrendSeries& series = trends[s];
        for (std::size_t c = 0; c < series.changes.size(); ++c) {
            const ChangePoint& point = series.changes[c];
            ChangeRow row;
            row.series = s;
            row.change = c;
            row.key = series.key;
            row.metric = series.metric;
            row.unit = series.unit;
            row.point = point;
            row.commitBefore = series.points[point.index - 1].commit;
            row.commitAfter = series.points[point.index].commit;
            row.runBefore = series.points[point.index - 1].runId;
            row.runAfter = series.points[point.index].runId;
            rows.push_back(std::move(row));
        }
    }
    return rows;
}

ChangeTableModel::ChangeTableModel(QObject* parent)
    : ColumnTableModel(parent)
{
    setColumns({
        ColumnSpec(tr("Key"), tr("A step (step/NAME), a command of the build (process/KEY) or the whole run"),
            [](const ChangeRow& r) { return QString::fromStdString(r.key); }),
        ColumnSpec(tr("Metric"), tr("The figure that changed, as `buildscope compare` names it"),
            [](const ChangeRow& r) { return QString::fromStdString(r.metric); }),
        ColumnSpec(tr("Change"), tr("Median after the change against the median before, relative to the one before"),
            [](const ChangeRow& r) {
                if (std::isnan(r.point.relativeChange))
                    return tr("n/a");
                return QStringLiteral("%1%2 %")
                    .arg(r.point.relativeChange >= 0 ? QStringLiteral("+") : QString())
                    .arg(r.point.relativeChange * 100, 0, 'f', 1);
            })
            .withUnit(tr("percent of the median before"))
            .withSortKey([](const ChangeRow& r) { return std::abs(r.point.relativeChange); })
            .alignedAsNumber(),
        ColumnSpec(tr("Before"), tr("Median of the segment before the change (successful runs only)"),
            [](const ChangeRow& r) { return valueText(r, r.point.beforeMedian); })
            .withSortKey([](const ChangeRow& r) { return r.point.beforeMedian; })
            .alignedAsNumber(),
        ColumnSpec(tr("After"), tr("Median of the segment after the change"),
            [](const ChangeRow& r) { return valueText(r, r.point.afterMedian); })
            .withSortKey([](const ChangeRow& r) { return r.point.afterMedian; })
            .alignedAsNumber(),
        ColumnSpec(tr("p"), tr("Two-sided Mann-Whitney U p-value, the segment before against the segment after"),
            [](const ChangeRow& r) {
                return r.point.p < 0.001 ? QStringLiteral("<0.001") : QString::number(r.point.p, 'f', 3);
            })
            .withSortKey([](const ChangeRow& r) { return r.point.p; })
            .alignedAsNumber(),
        ColumnSpec(tr("Between"), tr("The last commit (or run) before the change and the first after it"),
            [](const ChangeRow& r) {
                return tr("%1 → %2").arg(commitText(r.commitBefore, r.runBefore), commitText(r.commitAfter, r.runAfter));
            }),
    });
    Q_ASSERT(columns().size() == ColumnCount);
}

QVariant ChangeTableModel::cellData(const ChangeRow& row, int column, int role) const
{
    if (role == Qt::ForegroundRole && column == ChangeColumn) {
        const Verdict direction
            = row.point.afterMedian > row.point.beforeMedian ? Verdict::Regression : Verdict::Improvement;
        return VerdictColors::forVerdict(QApplication::palette(), direction).text;
    }
    return {};
}

void ChangeTableModel::setChanges(std::vector<ChangeRow> rows)
{
    replaceRows(m_rows, std::move(rows), sameChange, sameFigures);
}

} // namespace buildscope
