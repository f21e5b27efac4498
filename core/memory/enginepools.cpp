#include "memory/enginepools.h"

namespace buildscope {

namespace {
constexpr std::size_t KiB = 1024;
constexpr std::size_t MiB = 1024 * KiB;
} // namespace

EnginePools::EnginePools()
    : m_io("io",
        {
            {4 * KiB, {1 * MiB, 8, false}},
            {32 * KiB, {4 * MiB, 4, false}},
            {128 * KiB, {8 * MiB, 2, false}},
        })
    , m_hash("hash." + formatSizeClass(64 * KiB), 64 * KiB, {4 * MiB, 4, false})
    , m_tar("tar." + formatSizeClass(64 * KiB), 64 * KiB, {4 * MiB, 4, false})
{ }

EnginePools& EnginePools::instance()
{
    static EnginePools pools;
    return pools;
}

std::vector<const PoolCoreBase*> EnginePools::all() const
{
    std::vector<const PoolCoreBase*> pools;
    for (const auto& pool : m_io.pools())
        pools.push_back(pool.get());
    pools.push_back(&m_hash);
    pools.push_back(&m_tar);
    return pools;
}

std::vector<PoolStatistics> EnginePools::statistics() const
{
    std::vector<PoolStatistics> result;
    for (const PoolCoreBase* pool : all())
        result.push_back(pool->statistics());
    return result;
}

} // namespace buildscope
