#include "memory/stringpool.h"

#include "memory/bufferpoolset.h"
#include "memory/securezero.h"

namespace buildscope {

StringPolicy::Item StringPolicy::create(std::size_t bytes)
{
    std::string string;
    string.reserve(bytes);
    return string;
}

void StringPolicy::reset(Item& item, bool scrub) noexcept
{
    if (scrub && !item.empty())
        secureZero(item.data(), item.size());
    item.clear(); // keeps the capacity
}

PooledString::PooledString(PooledString&& other) noexcept
    : m_pool(std::exchange(other.m_pool, nullptr))
    , m_string(std::move(other.m_string))
{ }

PooledString& PooledString::operator=(PooledString&& other) noexcept
{
    if (this != &other) {
        reset();
        m_pool = std::exchange(other.m_pool, nullptr);
        m_string = std::move(other.m_string);
    }
    return *this;
}

void PooledString::reset() noexcept
{
    if (m_pool)
        m_pool->releaseItem(std::move(m_string));
    m_pool = nullptr;
    m_string = std::string();
}

StringClassPool::StringClassPool(std::string name, std::size_t capacity, PoolLimits limits)
    : PoolCore<StringPolicy>(std::move(name), capacity, limits)
{ }

PooledString StringClassPool::acquire(std::size_t capacity)
{
    return PooledString(this, acquireItem(capacity));
}

StringPool::StringPool(std::string name, PoolLimits limitsPerClass)
{
    for (std::size_t i = 0; i < kClassCapacities.size(); ++i) {
        m_pools[i] = std::make_unique<StringClassPool>(
            name + "." + formatSizeClass(kClassCapacities[i]), kClassCapacities[i], limitsPerClass);
    }
}

PooledString StringPool::acquire(std::size_t expectedLength)
{
    for (const auto& pool : m_pools) {
        if (expectedLength <= pool->classBytes())
            return pool->acquire(expectedLength);
    }
    return m_pools.back()->acquire(expectedLength);
}

} // namespace buildscope
