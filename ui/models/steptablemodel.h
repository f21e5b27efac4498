#pragma once

#include "models/columntablemodel.h"
#include "models/steprow.h"

#include <QList>

namespace buildscope {

// The steps table, fed whole snapshots (setRows) on a timer while a build runs. Snapshots
// that keep the rows only repaint the rows whose values changed. Peak RSS, what a build
// step costs, stands next to the name; the engine's own allocations come last.
class StepTableModel : public ColumnTableModel<StepRow>
{
    Q_OBJECT

public:
    enum Column
    {
        NameColumn,
        PeakRssColumn,
        WallP50Column,
        WallP95Column,
        CpuColumn,
        StatusColumn,
        CountColumn,
        TypeColumn,
        AllocationsPerOpColumn,
        BytesPerOpColumn,
        ColumnCount
    };
    enum Roles
    {
        SortRole = kSortRole // raw value: double (NaN when unknown) or string
    };

    explicit StepTableModel(QObject* parent = nullptr);

    // Same rows (names, in order): one dataChanged per contiguous range of changed rows.
    // Rows appended: those plus one insert of the tail. Otherwise: a reset.
    void setRows(QList<StepRow> rows);
    const QList<StepRow>& rows() const noexcept { return m_rows; }

protected:
    int rowTotal() const override { return static_cast<int>(m_rows.size()); }
    const StepRow& rowAt(int row) const override { return m_rows.at(row); }
    QVariant cellData(const StepRow& row, int column, int role) const override;

private:
    QList<StepRow> m_rows;
};

} // namespace buildscope
