#include "models/pooltablemodel.h"

#include "models/numberformat.h"

#include <limits>

namespace buildscope {

namespace {

bool samePool(const PoolStatistics& a, const PoolStatistics& b)
{
    return a.name == b.name && a.classBytes == b.classBytes;
}

// Every counter shown, plus releases and the limit (they appear in tooltips).
bool sameCounters(const PoolStatistics& a, const PoolStatistics& b)
{
    return a.acquires == b.acquires && a.hits == b.hits && a.misses == b.misses && a.releases == b.releases
        && a.discards == b.discards && a.retainedBytes == b.retainedBytes
        && a.retainedHighWaterBytes == b.retainedHighWaterBytes && a.maxRetainedBytes == b.maxRetainedBytes;
}

QString bytes(std::uint64_t value)
{
    return bytesText(static_cast<double>(value));
}

QString bytesUnit()
{
    return PoolTableModel::tr("bytes, binary units (1 KiB = 1024 B)");
}

QString retentionLimit(const PoolStatistics& pool)
{
    return pool.maxRetainedBytes > 0 ? PoolTableModel::tr("Retention limit %1").arg(bytes(pool.maxRetainedBytes))
                                     : QString();
}

// A counter column: grouped digits shown, the raw count sorted.
template<typename Counter>
TableColumn<PoolStatistics> counter(const QString& title, const QString& description, Counter value)
{
    return TableColumn<PoolStatistics>(
        title, description, [value](const PoolStatistics& p) { return formatCount(static_cast<double>(value(p))); })
        .withUnit(PoolTableModel::tr("count"))
        .withSortKey([value](const PoolStatistics& p) { return static_cast<double>(value(p)); })
        .alignedAsNumber();
}

} // namespace

PoolTableModel::PoolTableModel(QObject* parent)
    : ColumnTableModel(parent)
{
    setColumns({
        ColumnSpec(tr("Pool"), tr("Pool name"), [](const PoolStatistics& p) { return QString::fromStdString(p.name); }),
        ColumnSpec(tr("Class"), tr("Size class: the buffer size the pool serves"),
            [](const PoolStatistics& p) { return bytes(p.classBytes); })
            .withUnit(bytesUnit())
            .withSortKey([](const PoolStatistics& p) { return static_cast<double>(p.classBytes); })
            .alignedAsNumber(),
        counter(tr("Acquires"), tr("acquire() calls"), [](const PoolStatistics& p) { return p.acquires; }),
        counter(tr("Hits"), tr("Acquires served from a thread cache or the shared free list"),
            [](const PoolStatistics& p) { return p.hits; }),
        counter(tr("Misses"), tr("Acquires that had to allocate, oversized requests included"),
            [](const PoolStatistics& p) { return p.misses; }),
        ColumnSpec(tr("Hit rate"), tr("Hits / acquires; n/a before the first acquire"),
            [](const PoolStatistics& p) { return QString::fromStdString(formatHitRate(p)); })
            .withUnit(tr("percent"))
            .withSortKey(
                [](const PoolStatistics& p) { return p.hitRate().value_or(std::numeric_limits<double>::quiet_NaN()); })
            .alignedAsNumber(),
        ColumnSpec(tr("Retained"), tr("Idle bytes the pool holds now"),
            [](const PoolStatistics& p) { return bytes(p.retainedBytes); })
            .withUnit(bytesUnit())
            .withSortKey([](const PoolStatistics& p) { return static_cast<double>(p.retainedBytes); })
            .withToolTip(retentionLimit)
            .alignedAsNumber(),
        ColumnSpec(tr("Retained peak"), tr("Largest retained bytes observed"),
            [](const PoolStatistics& p) { return bytes(p.retainedHighWaterBytes); })
            .withUnit(bytesUnit())
            .withSortKey([](const PoolStatistics& p) { return static_cast<double>(p.retainedHighWaterBytes); })
            .withToolTip(retentionLimit)
            .alignedAsNumber(),
        counter(tr("Discards"), tr("Items freed instead of kept: oversized, outgrown, or over the retention limit"),
            [](const PoolStatistics& p) { return p.discards; }),
    });
    Q_ASSERT(columns().size() == ColumnCount);
}

void PoolTableModel::setPools(std::vector<PoolStatistics> pools)
{
    replaceRows(m_pools, std::move(pools), samePool, sameCounters);
}

} // namespace buildscope
