#include "models/steptablemodel.h"

#include "models/numberformat.h"

#include <cmath>

namespace buildscope {

namespace {

bool sameRow(const StepRow& a, const StepRow& b)
{
    return a.name == b.name;
}

bool sameValues(const StepRow& a, const StepRow& b)
{
    return a.type == b.type && a.status == b.status && a.count == b.count
        && sameNumber(a.wallP50Seconds, b.wallP50Seconds) && sameNumber(a.wallP95Seconds, b.wallP95Seconds)
        && sameNumber(a.cpuSeconds, b.cpuSeconds) && sameNumber(a.allocationsPerOp, b.allocationsPerOp)
        && sameNumber(a.bytesPerOp, b.bytesPerOp) && sameNumber(a.peakRssBytes, b.peakRssBytes)
        && a.peakIsProcessTree == b.peakIsProcessTree;
}

QString durationUnit()
{
    return StepTableModel::tr("time: µs, ms, s or minutes");
}

QString bytesUnit()
{
    return StepTableModel::tr("bytes, binary units (1 MiB = 1024 KiB)");
}

} // namespace

StepTableModel::StepTableModel(QObject* parent)
    : ColumnTableModel(parent)
{
    setColumns({
        ColumnSpec(tr("Name"), tr("Build step"), [](const StepRow& r) { return r.name; }),
        ColumnSpec(tr("Peak RSS"),
            tr("Highest resident set size over the runs: the step's whole process tree, or the "
               "engine's own RSS for in-process steps (marked \"(engine)\")"),
            [](const StepRow& r) {
                if (std::isnan(r.peakRssBytes) || r.peakIsProcessTree)
                    return bytesText(r.peakRssBytes);
                return bytesText(r.peakRssBytes) + tr(" (engine)");
            })
            .withUnit(bytesUnit())
            .withSortKey([](const StepRow& r) { return r.peakRssBytes; })
            .withToolTip([](const StepRow& r) {
                if (std::isnan(r.peakRssBytes))
                    return QString();
                return r.peakIsProcessTree ? tr("Peak RSS of the step's whole process tree")
                                           : tr("Peak RSS of the BuildScope engine while this in-process step ran");
            })
            .alignedAsNumber(),
        ColumnSpec(tr("Wall p50"), tr("Median wall-clock time (nearest rank)"),
            [](const StepRow& r) { return durationText(r.wallP50Seconds); })
            .withUnit(durationUnit())
            .withSortKey([](const StepRow& r) { return r.wallP50Seconds; })
            .alignedAsNumber(),
        ColumnSpec(tr("Wall p95"), tr("95th percentile wall-clock time (nearest rank)"),
            [](const StepRow& r) { return durationText(r.wallP95Seconds); })
            .withUnit(durationUnit())
            .withSortKey([](const StepRow& r) { return r.wallP95Seconds; })
            .alignedAsNumber(),
        ColumnSpec(tr("CPU"), tr("CPU time, user + system, of the step's processes: median per run"),
            [](const StepRow& r) { return durationText(r.cpuSeconds); })
            .withUnit(durationUnit())
            .withSortKey([](const StepRow& r) { return r.cpuSeconds; })
            .alignedAsNumber(),
        ColumnSpec(tr("Status"), tr("Status of the step in the latest run"), [](const StepRow& r) { return r.status; }),
        ColumnSpec(tr("Count"), tr("Runs in which the step ran"), [](const StepRow& r) { return formatCount(r.count); })
            .withUnit(tr("count"))
            .withSortKey([](const StepRow& r) { return static_cast<double>(r.count); })
            .alignedAsNumber(),
        ColumnSpec(
            tr("Type"), tr("Step kind: checksum, tar, run or container"), [](const StepRow& r) { return r.type; }),
        ColumnSpec(tr("Engine allocs"), tr("operator new calls in the BuildScope engine per step run (median)"),
            [](const StepRow& r) { return formatCount(r.allocationsPerOp); })
            .withUnit(tr("count"))
            .withSortKey([](const StepRow& r) { return r.allocationsPerOp; })
            .alignedAsNumber(),
        ColumnSpec(tr("Engine bytes"), tr("Bytes allocated by the BuildScope engine per step run (median)"),
            [](const StepRow& r) { return bytesText(r.bytesPerOp); })
            .withUnit(bytesUnit())
            .withSortKey([](const StepRow& r) { return r.bytesPerOp; })
            .alignedAsNumber(),
    });
    Q_ASSERT(columns().size() == ColumnCount);
}

void StepTableModel::setRows(QList<StepRow> rows)
{
    replaceRows(m_rows, std::move(rows), sameRow, sameValues);
}

QVariant StepTableModel::cellData(const StepRow& row, int column, int role) const
{
    if (role != Qt::ForegroundRole || column != StatusColumn)
        return {};
    const QString& status = row.status;
    if (status == QLatin1String(stepStatusName(StepStatus::Failed))
        || status == QLatin1String(stepStatusName(StepStatus::TimedOut)))
        return tints().color(PaletteTints::Tint::Error);
    if (status == QLatin1String(stepStatusName(StepStatus::Succeeded)))
        return tints().color(PaletteTints::Tint::Success);
    if (status == QLatin1String(stepStatusName(StepStatus::Skipped))
        || status == QLatin1String(stepStatusName(StepStatus::NotRun))
        || status == QLatin1String(stepStatusName(StepStatus::Cancelled)))
        return tints().color(PaletteTints::Tint::Muted);
    return {}; // running, pending: the view's own text colour
}

} // namespace buildscope
