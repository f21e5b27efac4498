#include "models/operationtablemodel.h"

#include "models/numberformat.h"

namespace buildscope {

namespace {

bool sameRow(const OperationRow& a, const OperationRow& b)
{
    return a.name == b.name;
}

bool sameValues(const OperationRow& a, const OperationRow& b)
{
    return a.count == b.count && sameNumber(a.wallP50Seconds, b.wallP50Seconds)
        && sameNumber(a.wallP95Seconds, b.wallP95Seconds) && sameNumber(a.cpuSeconds, b.cpuSeconds)
        && sameNumber(a.allocationsPerOp, b.allocationsPerOp) && sameNumber(a.bytesPerOp, b.bytesPerOp);
}

QString durationUnit()
{
    return OperationTableModel::tr("time: µs, ms, s or minutes");
}

} // namespace

OperationTableModel::OperationTableModel(QObject* parent)
    : ColumnTableModel(parent)
{
    setColumns({
        ColumnSpec(tr("Operation"), tr("Work the BuildScope engine times itself (checksum, tar, AsFlags...)"),
            [](const OperationRow& r) { return r.name; }),
        ColumnSpec(tr("Count"), tr("How many times the operation was timed"),
            [](const OperationRow& r) { return formatCount(r.count); })
            .withUnit(tr("count"))
            .withSortKey([](const OperationRow& r) { return static_cast<double>(r.count); })
            .alignedAsNumber(),
        ColumnSpec(tr("Wall p50"), tr("Median wall-clock time of one operation"),
            [](const OperationRow& r) { return durationText(r.wallP50Seconds); })
            .withUnit(durationUnit())
            .withSortKey([](const OperationRow& r) { return r.wallP50Seconds; })
            .alignedAsNumber(),
        ColumnSpec(tr("Wall p95"), tr("95th percentile wall-clock time of one operation"),
            [](const OperationRow& r) { return durationText(r.wallP95Seconds); })
            .withUnit(durationUnit())
            .withSortKey([](const OperationRow& r) { return r.wallP95Seconds; })
            .alignedAsNumber(),
        ColumnSpec(tr("CPU"), tr("CPU time, user + system, mean per timed operation"),
            [](const OperationRow& r) { return durationText(r.cpuSeconds); })
            .withUnit(durationUnit())
            .withSortKey([](const OperationRow& r) { return r.cpuSeconds; })
            .alignedAsNumber(),
        ColumnSpec(tr("Allocs/op"), tr("operator new calls in the engine per operation"),
            [](const OperationRow& r) { return formatCount(r.allocationsPerOp); })
            .withUnit(tr("count"))
            .withSortKey([](const OperationRow& r) { return r.allocationsPerOp; })
            .alignedAsNumber(),
        ColumnSpec(tr("Bytes/op"), tr("Bytes allocated by the engine per operation"),
            [](const OperationRow& r) { return bytesText(r.bytesPerOp); })
            .withUnit(tr("bytes, binary units (1 KiB = 1024 B)"))
            .withSortKey([](const OperationRow& r) { return r.bytesPerOp; })
            .alignedAsNumber(),
    });
    Q_ASSERT(columns().size() == ColumnCount);
}

void OperationTableModel::setRows(QList<OperationRow> rows)
{
    replaceRows(m_rows, std::move(rows), sameRow, sameValues);
}

} // namespace buildscope
