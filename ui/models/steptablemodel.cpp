#include "models/steptablemodel.h"

#include "run/units.h"
#include "models/numberformat.h"
#include "models/rowupdateplan.h"
#include "models/tableheader.h"

#include <cmath>

namespace buildscope {

namespace {

bool sameRow(const StepRow& a, const StepRow& b)
{
    return a.name == b.name && a.isOperation == b.isOperation;
}

bool sameValues(const StepRow& a, const StepRow& b)
{
    return a.type == b.type && a.status == b.status && a.count == b.count
        && sameNumber(a.wallP50Seconds, b.wallP50Seconds) && sameNumber(a.wallP95Seconds, b.wallP95Seconds)
        && sameNumber(a.cpuSeconds, b.cpuSeconds) && sameNumber(a.allocationsPerOp, b.allocationsPerOp)
        && sameNumber(a.bytesPerOp, b.bytesPerOp) && sameNumber(a.peakRssBytes, b.peakRssBytes)
        && a.peakIsProcessTree == b.peakIsProcessTree;
}

QString duration(double seconds)
{
    return QString::fromStdString(formatDuration(seconds));
}

QString bytes(double value)
{
    return QString::fromStdString(formatBytes(value));
}

const char* columnTitle(int column)
{
    switch (column) {
    case StepTableModel::NameColumn:
        return "Name";
    case StepTableModel::TypeColumn:
        return "Type";
    case StepTableModel::StatusColumn:
        return "Status";
    case StepTableModel::CountColumn:
        return "Count";
    case StepTableModel::WallP50Column:
        return "Wall p50";
    case StepTableModel::WallP95Column:
        return "Wall p95";
    case StepTableModel::CpuColumn:
        return "CPU";
    case StepTableModel::AllocationsPerOpColumn:
        return "Allocs/op";
    case StepTableModel::BytesPerOpColumn:
        return "Bytes/op";
    case StepTableModel::PeakRssColumn:
        return "Peak RSS";
    }
    return "";
}

const char* columnDescription(int column)
{
    switch (column) {
    case StepTableModel::NameColumn:
        return "Build step, or engine operation timed by BuildScope itself";
    case StepTableModel::TypeColumn:
        return "Step kind (checksum, tar, run, container), or \"operation\" for an engine operation";
    case StepTableModel::StatusColumn:
        return "Status of the step in the latest run";
    case StepTableModel::CountColumn:
        return "Runs in which the step ran; for operations, how many times the operation was timed";
    case StepTableModel::WallP50Column:
        return "Median wall-clock time (nearest rank), in µs, ms, s or minutes";
    case StepTableModel::WallP95Column:
        return "95th percentile wall-clock time (nearest rank), in µs, ms, s or minutes";
    case StepTableModel::CpuColumn:
        return "CPU time, user + system: median per run for steps, mean per timed scope for operations";
    case StepTableModel::AllocationsPerOpColumn:
        return "operator new calls in the BuildScope engine per step run (median) or per operation";
    case StepTableModel::BytesPerOpColumn:
        return "Bytes allocated by the BuildScope engine per step run (median) or per operation, "
               "in binary units (1 KiB = 1024 B)";
    case StepTableModel::PeakRssColumn:
        return "Highest resident set size over the runs, in binary units (1 MiB = 1024 KiB): the step's whole "
               "process tree, or the engine's own RSS for in-process steps (marked \"(engine)\")";
    }
    return "";
}

bool isNumeric(int column)
{
    return column >= StepTableModel::CountColumn;
}

} // namespace

StepTableModel::StepTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void StepTableModel::setRows(QList<StepRow> rows)
{
    const RowUpdatePlan plan = planRowUpdate(m_rows, rows, sameRow, sameValues);
    if (plan.kind == RowUpdatePlan::Kind::Reset) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return;
    }
    for (const auto& [first, last] : plan.changedRanges) {
        for (int row = first; row <= last; ++row)
            m_rows[row] = std::move(rows[row]);
        emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
    }
    if (plan.inserts()) {
        beginInsertRows({}, plan.insertFirst, plan.insertLast);
        m_rows.append(rows.sliced(plan.insertFirst));
        endInsertRows();
    }
}

int StepTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int StepTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StepTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const StepRow& row = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, column);
    case SortRole:
        return sortValue(row, column);
    case IsOperationRole:
        return row.isOperation;
    case Qt::ToolTipRole:
        return toolTip(row, column);
    case Qt::ForegroundRole:
        return column == StatusColumn ? statusColor(row) : QVariant();
    case Qt::TextAlignmentRole:
        if (isNumeric(column))
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter).toInt());
        return {};
    default:
        return {};
    }
}

QVariant StepTableModel::displayText(const StepRow& row, int column) const
{
    switch (column) {
    case NameColumn:
        return row.name;
    case TypeColumn:
        return row.type;
    case StatusColumn:
        return row.status;
    case CountColumn:
        return formatCount(row.count);
    case WallP50Column:
        return duration(row.wallP50Seconds);
    case WallP95Column:
        return duration(row.wallP95Seconds);
    case CpuColumn:
        return duration(row.cpuSeconds);
    case AllocationsPerOpColumn:
        return formatCount(row.allocationsPerOp);
    case BytesPerOpColumn:
        return bytes(row.bytesPerOp);
    case PeakRssColumn:
        if (std::isnan(row.peakRssBytes) || row.peakIsProcessTree)
            return bytes(row.peakRssBytes);
        return bytes(row.peakRssBytes) + QStringLiteral(" (engine)");
    }
    return {};
}

QVariant StepTableModel::sortValue(const StepRow& row, int column) const
{
    switch (column) {
    case NameColumn:
        return row.name;
    case TypeColumn:
        return row.type;
    case StatusColumn:
        return row.status;
    case CountColumn:
        return static_cast<double>(row.count);
    case WallP50Column:
        return row.wallP50Seconds;
    case WallP95Column:
        return row.wallP95Seconds;
    case CpuColumn:
        return row.cpuSeconds;
    case AllocationsPerOpColumn:
        return row.allocationsPerOp;
    case BytesPerOpColumn:
        return row.bytesPerOp;
    case PeakRssColumn:
        return row.peakRssBytes;
    }
    return {};
}

QVariant StepTableModel::statusColor(const StepRow& row) const
{
    const QString& status = row.status;
    if (status == QLatin1String(stepStatusName(StepStatus::Failed))
        || status == QLatin1String(stepStatusName(StepStatus::TimedOut)))
        return m_tints.color(PaletteTints::Tint::Error);
    if (status == QLatin1String(stepStatusName(StepStatus::Succeeded)))
        return m_tints.color(PaletteTints::Tint::Success);
    if (status == QLatin1String(stepStatusName(StepStatus::Skipped))
        || status == QLatin1String(stepStatusName(StepStatus::NotRun))
        || status == QLatin1String(stepStatusName(StepStatus::Cancelled)))
        return m_tints.color(PaletteTints::Tint::Muted);
    return {}; // running, pending, operations: the view's own text colour
}

QString StepTableModel::toolTip(const StepRow& row, int column)
{
    if (column == PeakRssColumn && !row.isOperation && !std::isnan(row.peakRssBytes)) {
        return row.peakIsProcessTree
            ? QStringLiteral("peak RSS of the step's whole process tree")
            : QStringLiteral("peak RSS of the BuildScope engine while this in-process step ran");
    }
    if (row.isOperation && column == PeakRssColumn)
        return QStringLiteral("not measured per operation");
    return QString::fromUtf8(columnDescription(column));
}

QVariant StepTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    return tableHeaderData(role, columnTitle(section), columnDescription(section), isNumeric(section));
}

void StepTableModel::paletteChanged()
{
    m_tints.invalidate();
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, StatusColumn), index(rowCount() - 1, StatusColumn), {Qt::ForegroundRole});
}

} // namespace buildscope
