#pragma once

#include "models/columntablemodel.h"
#include "run/processrecord.h"

#include <vector>

namespace buildscope {

// The Processes table: every process of the build the ledger recorded (run/processrecord),
// one row each — its command (the key that follows it across runs), its exact peak, how
// long it ran, its CPU — so "which compile ate the memory" is the top row once sorted by
// peak. Records only end, never change: a refresh appends the newly ended ones.
class ProcessTableModel : public ColumnTableModel<ProcessRecord>
{
    Q_OBJECT

public:
    enum Column
    {
        CommandColumn,
        PeakColumn,
        WallColumn,
        CpuColumn,
        StartColumn,
        StepColumn,
        PidColumn,
        EndColumn,
        ColumnCount
    };
    enum Roles
    {
        SortRole = kSortRole,
        StartSecondsRole = Qt::UserRole + 20, // double, on the run's clock
        EndSecondsRole, // double
        PeakBytesRole, // double
    };

    explicit ProcessTableModel(QObject* parent = nullptr);

    void setProcesses(std::vector<ProcessRecord> processes);
    const std::vector<ProcessRecord>& processes() const noexcept { return m_processes; }

protected:
    int rowTotal() const override { return static_cast<int>(m_processes.size()); }
    const ProcessRecord& rowAt(int row) const override { return m_processes[static_cast<std::size_t>(row)]; }
    QVariant cellData(const ProcessRecord& row, int column, int role) const override;

private:
    std::vector<ProcessRecord> m_processes;
};

} // namespace buildscope
