#pragma once

#include "memory/poolstatistics.h"
#include "models/columntablemodel.h"

#include <vector>

namespace buildscope {

// The engine's buffer pool counters, fed whole snapshots on a timer (same batching rule as
// StepTableModel: unchanged pools are not repainted, a new pool is one insert).
class PoolTableModel : public ColumnTableModel<PoolStatistics>
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

    void setPools(std::vector<PoolStatistics> pools);
    const std::vector<PoolStatistics>& pools() const noexcept { return m_pools; }

protected:
    int rowTotal() const override { return static_cast<int>(m_pools.size()); }
    const PoolStatistics& rowAt(int row) const override { return m_pools[static_cast<std::size_t>(row)]; }

private:
    std::vector<PoolStatistics> m_pools;
};

} // namespace buildscope
