#include "memory/bufferpool.h"

#include "memory/securezero.h"

namespace buildscope {

void BufferPolicy::reset(Item& item, bool scrub) noexcept
{
    if (scrub)
        secureZero(item.data, item.size);
}

BufferLease::BufferLease(BufferLease&& other) noexcept
    : m_pool(std::exchange(other.m_pool, nullptr))
    , m_data(std::exchange(other.m_data, nullptr))
    , m_size(std::exchange(other.m_size, 0))
{ }

BufferLease& BufferLease::operator=(BufferLease&& other) noexcept
{
    if (this != &other) {
        reset();
        m_pool = std::exchange(other.m_pool, nullptr);
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

void BufferLease::reset() noexcept
{
    if (m_pool)
        m_pool->release(m_data, m_size);
    m_pool = nullptr;
    m_data = nullptr;
    m_size = 0;
}

BufferPool::BufferPool(std::string name, std::size_t bufferBytes, PoolLimits limits)
    : PoolCore<BufferPolicy>(std::move(name), bufferBytes, limits)
{ }

BufferLease BufferPool::acquire(std::size_t minBytes)
{
    BufferBlock block = acquireItem(minBytes);
    return BufferLease(this, block.data, block.size);
}

void BufferPool::release(std::byte* data, std::size_t size) noexcept
{
    releaseItem(BufferBlock {data, size});
}

} // namespace buildscope
