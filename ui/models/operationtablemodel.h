#pragma once

#include "models/columntablemodel.h"
#include "models/operationrow.h"

#include <QList>

namespace buildscope {

// The engine operations table: what the engine itself spends on its own work (checksum,
// tar, AsFlags...), apart from the build's steps. Fed whole snapshots like StepTableModel.
class OperationTableModel : public ColumnTableModel<OperationRow>
{
    Q_OBJECT

public:
    enum Column
    {
        NameColumn,
        CountColumn,
        WallP50Column,
        WallP95Column,
        CpuColumn,
        AllocationsPerOpColumn,
        BytesPerOpColumn,
        ColumnCount
    };
    enum Roles
    {
        SortRole = kSortRole // raw value: double (NaN when unknown) or string
    };

    explicit OperationTableModel(QObject* parent = nullptr);

    void setRows(QList<OperationRow> rows);
    const QList<OperationRow>& rows() const noexcept { return m_rows; }

protected:
    int rowTotal() const override { return static_cast<int>(m_rows.size()); }
    const OperationRow& rowAt(int row) const override { return m_rows.at(row); }

private:
    QList<OperationRow> m_rows;
};

} // namespace buildscope
