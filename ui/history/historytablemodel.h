#pragma once

#include "history/runrecord.h"
#include "models/columntablemodel.h"

#include <QColor>
#include <cstdint>
#include <vector>

namespace buildscope {

// The run history listing (RunHistory::list(), newest first), refreshed whole by setRuns().
// A refresh that only finished or relabelled runs repaints those rows; runs recorded since
// the last refresh are inserted at the top; anything else (a deletion) resets the model.
class HistoryTableModel : public ColumnTableModel<RunRecord>
{
    Q_OBJECT

public:
    enum Column
    {
        IdColumn,
        StartedColumn,
        SpecColumn,
        PeakRssColumn,
        DurationColumn,
        StatusColumn,
        LabelsColumn,
        ColumnCount
    };
    enum Roles
    {
        SortRole = kSortRole, // raw value: double (NaN when unknown) or string
        RunIdRole, // qint64, on any column
        SpecNameRole, // QString, on any column
        StatusRole, // QString ("failed", ...), on any column
        LabelsRole // QString "k=v, k=v" with full values, on any column (what the label filter searches)
    };

    explicit HistoryTableModel(QObject* parent = nullptr);

    void setRuns(std::vector<RunRecord> runs);
    const std::vector<RunRecord>& runs() const noexcept { return m_runs; }
    // -1 when the run is not listed.
    int rowOfRun(std::int64_t id) const;

    // Runs chosen as the comparison's sides: a swatch in their Id cell (the panel's set
    // labels show the same swatches).
    void setMarkedRuns(const std::vector<std::int64_t>& baseline, const std::vector<std::int64_t>& candidate);
    QColor baselineMarkColor() const;
    QColor candidateMarkColor() const;

    // "side=base, git.branch=main" (full values); the table shows commits shortened.
    static QString labelsText(const RunRecord& run);

protected:
    int rowTotal() const override { return static_cast<int>(m_runs.size()); }
    const RunRecord& rowAt(int row) const override { return m_runs[static_cast<std::size_t>(row)]; }
    QVariant cellData(const RunRecord& run, int column, int role) const override;

private:
    QVariant statusColor(const RunRecord& run) const;
    QVariant mark(const RunRecord& run) const;
    QString idToolTip(const RunRecord& run) const;
    void emitMarksChanged(const std::vector<std::int64_t>& ids);

    std::vector<RunRecord> m_runs;
    std::vector<std::int64_t> m_baseline;
    std::vector<std::int64_t> m_candidate;
};

} // namespace buildscope
