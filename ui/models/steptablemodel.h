#pragma once

#include "models/modelroles.h"
#include "models/palettetints.h"
#include "models/steprow.h"

#include <QAbstractTableModel>
#include <QList>

namespace buildscope {

// The steps/operations table, fed whole snapshots (setRows) on a timer while a build
// runs. Snapshots that keep the rows only repaint the rows whose values changed.
class StepTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        NameColumn,
        TypeColumn,
        StatusColumn,
        CountColumn,
        WallP50Column,
        WallP95Column,
        CpuColumn,
        AllocationsPerOpColumn,
        BytesPerOpColumn,
        PeakRssColumn,
        ColumnCount
    };
    enum Roles
    {
        SortRole = kSortRole, // raw value: double (NaN when unknown) or string
        IsOperationRole // bool, on any column
    };

    explicit StepTableModel(QObject* parent = nullptr);

    // Same rows (names, in order): one dataChanged per contiguous range of changed rows.
    // Rows appended: those plus one insert of the tail. Otherwise: a reset.
    void setRows(QList<StepRow> rows);
    const QList<StepRow>& rows() const { return m_rows; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

public slots:
    // Call on QEvent::PaletteChange/ApplicationPaletteChange: status colours follow the palette.
    void paletteChanged();

private:
    QVariant displayText(const StepRow& row, int column) const;
    QVariant sortValue(const StepRow& row, int column) const;
    QVariant statusColor(const StepRow& row) const;
    static QString toolTip(const StepRow& row, int column);

    QList<StepRow> m_rows;
    mutable PaletteTints m_tints;
};

} // namespace buildscope
