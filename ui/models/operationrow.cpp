#include "models/operationrow.h"

#include <algorithm>

namespace buildscope {

QList<OperationRow> operationRows(const std::vector<OperationStatistics>& operations)
{
    constexpr double kNsPerSecond = 1e9;
    QList<OperationRow> rows;
    rows.reserve(static_cast<qsizetype>(operations.size()));
    for (const OperationStatistics& operation : operations) {
        OperationRow row;
        row.name = QString::fromStdString(operation.name);
        row.count = static_cast<int>(std::min<std::uint64_t>(operation.count, std::numeric_limits<int>::max()));
        if (operation.count > 0) {
            row.wallP50Seconds = static_cast<double>(operation.wallP50Ns) / kNsPerSecond;
            row.wallP95Seconds = static_cast<double>(operation.wallP95Ns) / kNsPerSecond;
            row.allocationsPerOp = operation.allocationsPerOp();
            row.bytesPerOp = operation.bytesPerOp();
        }
        if (operation.cpuTimedCount > 0)
            row.cpuSeconds = static_cast<double>(operation.cpuTotalNs) / static_cast<double>(operation.cpuTimedCount)
                / kNsPerSecond;
        rows.append(std::move(row));
    }
    return rows;
}

} // namespace buildscope
