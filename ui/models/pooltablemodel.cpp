#include "models/pooltablemodel.h"

#include "run/units.h"
#include "models/numberformat.h"
#include "models/rowupdateplan.h"
#include "models/tableheader.h"

#include <limits>

namespace buildscope {

namespace {

bool samePool(const PoolStatistics& a, const PoolStatistics& b)
{
    return a.name == b.name && a.classBytes == b.classBytes;
}

// Every counter shown, plus releases and the limit (they appear in tooltips).
bool sameCounters(const PoolStatistics& a, const PoolStatistics& b)
{
    return a.acquires == b.acquires && a.hits == b.hits && a.misses == b.misses && a.releases == b.releases
        && a.discards == b.discards && a.retainedBytes == b.retainedBytes
        && a.retainedHighWaterBytes == b.retainedHighWaterBytes && a.maxRetainedBytes == b.maxRetainedBytes;
}

QString bytes(std::uint64_t value)
{
    return QString::fromStdString(formatBytes(static_cast<double>(value)));
}

QString count(std::uint64_t value)
{
    return formatCount(static_cast<double>(value));
}

const char* columnTitle(int column)
{
    switch (column) {
    case PoolTableModel::PoolColumn:
        return "Pool";
    case PoolTableModel::ClassColumn:
        return "Class";
    case PoolTableModel::AcquiresColumn:
        return "Acquires";
    case PoolTableModel::HitsColumn:
        return "Hits";
    case PoolTableModel::MissesColumn:
        return "Misses";
    case PoolTableModel::HitRateColumn:
        return "Hit rate";
    case PoolTableModel::RetainedColumn:
        return "Retained";
    case PoolTableModel::RetainedPeakColumn:
        return "Retained peak";
    case PoolTableModel::DiscardsColumn:
        return "Discards";
    }
    return "";
}

const char* columnDescription(int column)
{
    switch (column) {
    case PoolTableModel::PoolColumn:
        return "Pool name";
    case PoolTableModel::ClassColumn:
        return "Size class: buffer size, or string capacity limit, in binary units (1 KiB = 1024 B)";
    case PoolTableModel::AcquiresColumn:
        return "acquire() calls (count)";
    case PoolTableModel::HitsColumn:
        return "Acquires served from a thread cache or the shared free list (count)";
    case PoolTableModel::MissesColumn:
        return "Acquires that had to allocate, oversized requests included (count)";
    case PoolTableModel::HitRateColumn:
        return "Hits / acquires, in percent; n/a before the first acquire";
    case PoolTableModel::RetainedColumn:
        return "Idle bytes the pool holds now, in binary units";
    case PoolTableModel::RetainedPeakColumn:
        return "Largest retained bytes observed, in binary units";
    case PoolTableModel::DiscardsColumn:
        return "Items freed instead of kept: oversized, outgrown, or over the retention limit (count)";
    }
    return "";
}

bool isNumeric(int column)
{
    return column >= PoolTableModel::ClassColumn;
}

} // namespace

PoolTableModel::PoolTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void PoolTableModel::setPools(const std::vector<PoolStatistics>& pools)
{
    const RowUpdatePlan plan = planRowUpdate(m_pools, pools, samePool, sameCounters);
    if (plan.kind == RowUpdatePlan::Kind::Reset) {
        beginResetModel();
        m_pools = pools;
        endResetModel();
        return;
    }
    for (const auto& [first, last] : plan.changedRanges) {
        std::copy(pools.begin() + first, pools.begin() + last + 1, m_pools.begin() + first);
        emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
    }
    if (plan.inserts()) {
        beginInsertRows({}, plan.insertFirst, plan.insertLast);
        m_pools.insert(m_pools.end(), pools.begin() + plan.insertFirst, pools.end());
        endInsertRows();
    }
}

int PoolTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_pools.size());
}

int PoolTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PoolTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PoolStatistics& pool = m_pools[static_cast<std::size_t>(index.row())];
    const int column = index.column();
    if (role == Qt::DisplayRole) {
        switch (column) {
        case PoolColumn:
            return QString::fromStdString(pool.name);
        case ClassColumn:
            return bytes(pool.classBytes);
        case AcquiresColumn:
            return count(pool.acquires);
        case HitsColumn:
            return count(pool.hits);
        case MissesColumn:
            return count(pool.misses);
        case HitRateColumn:
            return QString::fromStdString(formatHitRate(pool));
        case RetainedColumn:
            return bytes(pool.retainedBytes);
        case RetainedPeakColumn:
            return bytes(pool.retainedHighWaterBytes);
        case DiscardsColumn:
            return count(pool.discards);
        }
        return {};
    }
    if (role == SortRole) {
        switch (column) {
        case PoolColumn:
            return QString::fromStdString(pool.name);
        case ClassColumn:
            return static_cast<double>(pool.classBytes);
        case AcquiresColumn:
            return static_cast<double>(pool.acquires);
        case HitsColumn:
            return static_cast<double>(pool.hits);
        case MissesColumn:
            return static_cast<double>(pool.misses);
        case HitRateColumn:
            return pool.hitRate().value_or(std::numeric_limits<double>::quiet_NaN());
        case RetainedColumn:
            return static_cast<double>(pool.retainedBytes);
        case RetainedPeakColumn:
            return static_cast<double>(pool.retainedHighWaterBytes);
        case DiscardsColumn:
            return static_cast<double>(pool.discards);
        }
        return {};
    }
    if (role == Qt::ToolTipRole) {
        if ((column == RetainedColumn || column == RetainedPeakColumn) && pool.maxRetainedBytes > 0)
            return QString::fromUtf8(columnDescription(column)) + QStringLiteral("; retention limit ")
                + bytes(pool.maxRetainedBytes);
        return QString::fromUtf8(columnDescription(column));
    }
    if (role == Qt::TextAlignmentRole && isNumeric(column))
        return Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter).toInt();
    return {};
}

QVariant PoolTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    return tableHeaderData(role, columnTitle(section), columnDescription(section), isNumeric(section));
}

} // namespace buildscope
