#pragma once

#include "memory/operationregistry.h"

#include <QList>
#include <QString>
#include <limits>
#include <vector>

namespace buildscope {

// One row of the engine operations table: an operation the engine times itself (checksum,
// tar, AsFlags...). Numbers are in base units (seconds, bytes); NaN means unknown.
struct OperationRow
{
    static constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();

    QString name;
    int count = 0; // how many times the operation was timed
    double wallP50Seconds = kUnknown;
    double wallP95Seconds = kUnknown;
    double cpuSeconds = kUnknown; // user + system, mean per timed scope
    double allocationsPerOp = kUnknown; // engine operator new calls per operation
    double bytesPerOp = kUnknown;
};

// One row per operation, in the registry's order.
QList<OperationRow> operationRows(const std::vector<OperationStatistics>& operations);

} // namespace buildscope
