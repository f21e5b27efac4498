#pragma once

#include "memory/bufferpool.h"
#include "memory/bufferpoolset.h"

#include <vector>

namespace buildscope {

// The pools the engine uses, one instance per process. Classes and limits follow the
// benchmarks in docs/PERFORMANCE.md: a class stays only where it beats plain allocation.
class EnginePools
{
public:
    EnginePools();

    static EnginePools& instance();

    BufferPoolSet& io() noexcept { return m_io; } // file reads and writes: 4 KiB, 32 KiB, 128 KiB
    BufferPool& hash() noexcept { return m_hash; } // fingerprint read buffers, 64 KiB
    BufferPool& tar() noexcept { return m_tar; } // tar entry data, 64 KiB

    // Every pool, in a stable order (the order of the sampler's pool columns).
    std::vector<const PoolCoreBase*> all() const;
    std::vector<PoolStatistics> statistics() const;

private:
    BufferPoolSet m_io;
    BufferPool m_hash;
    BufferPool m_tar;
};

} // namespace buildscope
