#pragma once

#include "memory/poolstatistics.h"
#include "models/modelroles.h"

#include <QAbstractTableModel>
#include <vector>

namespace buildscope {

// Buffer and string pool counters, fed whole snapshots on a timer (same batching rule
// as StepTableModel: unchanged pools are not repainted, a new pool is one insert).
class PoolTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        PoolColumn,
        ClassColumn,
        AcquiresColumn,
        HitsColumn,
        MissesColumn,
        HitRateColumn,
        RetainedColumn,
        RetainedPeakColumn,
        DiscardsColumn,
        ColumnCount
    };
    enum Roles
    {
        SortRole = kSortRole // raw value: double (NaN for a hit rate without acquires) or string
    };

    explicit PoolTableModel(QObject* parent = nullptr);

    void setPools(const std::vector<PoolStatistics>& pools);
    const std::vector<PoolStatistics>& pools() const { return m_pools; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<PoolStatistics> m_pools;
};

} // namespace buildscope
