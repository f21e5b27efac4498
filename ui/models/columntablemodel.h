#pragma once

#include "models/modelroles.h"
#include "models/prependupdateplan.h"
#include "models/rowupdateplan.h"
#include "models/tablecolumn.h"
#include "models/tablemodelbase.h"

#include <algorithm>
#include <iterator>
#include <utility>
#include <vector>

namespace buildscope {

// A table whose columns are a list of TableColumn<Row>: display, kSortRole, tooltip and
// alignment of every cell and the whole header come from that list. A model supplies its
// rows (rowTotal, rowAt), the list (setColumns, once, in its constructor, in the order of
// its Column enum) and, in cellData(), only what a column list cannot say: colours, fonts
// and its own roles.
//
// Snapshots arrive whole on a timer; replaceRows() and prependRows() turn one into the
// fewest signals (RowUpdatePlan, PrependUpdatePlan): never a reset per refresh while rows
// only change or arrive.
template<typename Row>
class ColumnTableModel : public TableModelBase
{
public:
    using ColumnSpec = TableColumn<Row>;

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : rowTotal(); }
    int columnCount(const QModelIndex& parent = {}) const override
    {
        return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
    }

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return {};
        const Row& row = rowAt(index.row());
        const ColumnSpec& column = m_columns[static_cast<std::size_t>(index.column())];
        switch (role) {
        case Qt::DisplayRole:
            return column.display(row);
        case kSortRole:
            return column.sortKey ? column.sortKey(row) : column.display(row);
        case Qt::ToolTipRole:
            if (column.toolTip) {
                if (QString text = column.toolTip(row); !text.isEmpty())
                    return text;
            }
            return headerToolTip(column);
        case Qt::TextAlignmentRole:
            return alignment(column);
        default:
            return cellData(row, index.column(), role);
        }
    }

    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override
    {
        if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
            return QAbstractTableModel::headerData(section, orientation, role);
        const ColumnSpec& column = m_columns[static_cast<std::size_t>(section)];
        switch (role) {
        case Qt::DisplayRole:
            return column.title;
        case Qt::ToolTipRole:
            return headerToolTip(column);
        case Qt::TextAlignmentRole:
            return alignment(column);
        default:
            return {};
        }
    }

    const std::vector<ColumnSpec>& columns() const noexcept { return m_columns; }

protected:
    explicit ColumnTableModel(QObject* parent = nullptr)
        : TableModelBase(parent)
    { }

    void setColumns(std::vector<ColumnSpec> columns) { m_columns = std::move(columns); }

    virtual int rowTotal() const = 0;
    virtual const Row& rowAt(int row) const = 0;
    // Roles the column list does not describe; `column` is the Column enum value.
    virtual QVariant cellData(const Row& /*row*/, int /*column*/, int /*role*/) const { return {}; }

    // `current` becomes `next`: one dataChanged per contiguous range of changed rows and
    // one insert of an appended tail; a reset only when rows were removed or reordered.
    template<typename Rows, typename SameKey, typename SameValues>
    void replaceRows(Rows& current, Rows next, SameKey sameKey, SameValues sameValues)
    {
        const RowUpdatePlan plan = planRowUpdate(current, next, sameKey, sameValues);
        if (plan.kind == RowUpdatePlan::Kind::Reset)
            return resetRows(current, std::move(next));
        repaintRows(current, next, plan.changedRanges, 0);
        if (plan.inserts())
            insertNewRows(current, std::move(next), plan.insertFirst, plan.insertLast);
    }

    // The same for a newest-first listing, where new rows arrive at the top.
    template<typename Rows, typename SameKey, typename SameValues>
    void prependRows(Rows& current, Rows next, SameKey sameKey, SameValues sameValues)
    {
        const PrependUpdatePlan plan = planPrependUpdate(current, next, sameKey, sameValues);
        if (plan.kind == PrependUpdatePlan::Kind::Reset)
            return resetRows(current, std::move(next));
        repaintRows(current, next, plan.changedRanges, plan.inserted);
        if (plan.inserts())
            insertNewRows(current, std::move(next), 0, plan.inserted - 1);
    }

private:
    static QString headerToolTip(const ColumnSpec& column)
    {
        if (column.unit.isEmpty())
            return column.description;
        return column.description + QStringLiteral("\nUnit: ") + column.unit;
    }

    static QVariant alignment(const ColumnSpec& column)
    {
        return column.alignment ? QVariant(column.alignment.toInt()) : QVariant();
    }

    template<typename Rows>
    void resetRows(Rows& current, Rows next)
    {
        beginResetModel();
        current = std::move(next);
        endResetModel();
    }

    // Old rows, in their old places, take their new values: `next` holds them `offset` rows on.
    template<typename Rows>
    void repaintRows(Rows& current, const Rows& next, const QList<std::pair<int, int>>& ranges, int offset)
    {
        for (const auto& [first, last] : ranges) {
            std::copy(std::next(next.begin(), first + offset), std::next(next.begin(), last + 1 + offset),
                std::next(current.begin(), first));
            emit dataChanged(index(first, 0), index(last, columnCount() - 1));
        }
    }

    // The old rows are equal to theirs in `next` by now: only rows first..last are new.
    template<typename Rows>
    void insertNewRows(Rows& current, Rows next, int first, int last)
    {
        beginInsertRows({}, first, last);
        current = std::move(next);
        endInsertRows();
    }

    std::vector<ColumnSpec> m_columns;
};

} // namespace buildscope
