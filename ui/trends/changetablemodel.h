#pragma once

#include "models/columntablemodel.h"
#include "trends/trendseries.h"

#include <vector>

namespace buildscope {

// One change point of one series, as the Trends view's table lists it.
struct ChangeRow
{
    std::size_t series = 0; // index into the trends the rows were made from
    std::size_t change = 0; // index into that series' changes
    std::string key;
    std::string metric;
    std::string unit;
    ChangePoint point;
    std::string commitBefore; // the last run's before the change (full hash; empty without)
    std::string commitAfter; // the first run's after it
    std::int64_t runBefore = 0;
    std::int64_t runAfter = 0;
};

std::vector<ChangeRow> changeRows(const std::vector<TrendSeries>& trends);

// Every change point of a spec's history, one row each: which key and metric changed, by
// how much (relative, with both medians), how sure (p), and between which commits.
// Sorted by the view; largest change first by default.
class ChangeTableModel : public ColumnTableModel<ChangeRow>
{
    Q_OBJECT

public:
    enum Column
    {
        KeyColumn,
        MetricColumn,
        ChangeColumn,
        BeforeColumn,
        AfterColumn,
        PColumn,
        CommitsColumn,
        ColumnCount
    };

    explicit ChangeTableModel(QObject* parent = nullptr);

    void setChanges(std::vector<ChangeRow> rows);
    const std::vector<ChangeRow>& changes() const noexcept { return m_rows; }

protected:
    int rowTotal() const override { return static_cast<int>(m_rows.size()); }
    const ChangeRow& rowAt(int row) const override { return m_rows[static_cast<std::size_t>(row)]; }
    QVariant cellData(const ChangeRow& row, int column, int role) const override;

private:
    std::vector<ChangeRow> m_rows;
};

} // namespace buildscope
