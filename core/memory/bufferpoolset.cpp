#include "memory/bufferpoolset.h"

#include <stdexcept>

namespace buildscope {

std::string formatSizeClass(std::size_t bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return std::to_string(bytes / (1024 * 1024)) + "MiB";
    if (bytes >= 1024 && bytes % 1024 == 0)
        return std::to_string(bytes / 1024) + "KiB";
    return std::to_string(bytes) + "B";
}

BufferPoolSet::BufferPoolSet(std::string name, const std::vector<SizeClass>& classes)
    : m_name(std::move(name))
{
    if (classes.empty())
        throw std::invalid_argument("BufferPoolSet '" + m_name + "' needs at least one size class");
    for (const SizeClass& sizeClass : classes) {
        if (!m_pools.empty() && sizeClass.bufferBytes <= m_pools.back()->bufferBytes())
            throw std::invalid_argument("BufferPoolSet '" + m_name + "': size classes must increase");
        m_pools.push_back(std::make_unique<BufferPool>(
            m_name + "." + formatSizeClass(sizeClass.bufferBytes), sizeClass.bufferBytes, sizeClass.limits));
    }
}

BufferLease BufferPoolSet::acquire(std::size_t minBytes)
{
    for (const auto& pool : m_pools) {
        if (minBytes <= pool->bufferBytes())
            return pool->acquire(minBytes);
    }
    return m_pools.back()->acquire(minBytes);
}

} // namespace buildscope
