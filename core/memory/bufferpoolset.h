#pragma once

#include "memory/bufferpool.h"

#include <memory>
#include <string>
#include <vector>

namespace buildscope {

// Several BufferPools of increasing size under one name ("io": 4 KiB, 32 KiB, 128 KiB);
// acquire() picks the smallest class that fits.
class BufferPoolSet
{
public:
    struct SizeClass
    {
        std::size_t bufferBytes;
        PoolLimits limits;
    };

    // Classes must be given in increasing size; each pool is named "<name>.<size>".
    BufferPoolSet(std::string name, const std::vector<SizeClass>& classes);

    // From the smallest class whose buffers hold minBytes; larger requests go to the
    // largest class, which serves them unpooled.
    BufferLease acquire(std::size_t minBytes);

    const std::string& name() const noexcept { return m_name; }
    const std::vector<std::unique_ptr<BufferPool>>& pools() const noexcept { return m_pools; }

private:
    std::string m_name;
    std::vector<std::unique_ptr<BufferPool>> m_pools;
};

// "4KiB", "64KiB", "1MiB", "256B": the size-class suffix used in pool names.
std::string formatSizeClass(std::size_t bytes);

} // namespace buildscope
