#pragma once

#include "memory/poolcore.h"

#include <cstddef>
#include <span>
#include <string>

namespace buildscope {

class BufferPool;

// A byte buffer on loan from a BufferPool; returns it on destruction. Contents are
// not zero-filled on acquire: treat them as uninitialised.
class BufferLease
{
public:
    BufferLease() noexcept = default;
    BufferLease(BufferLease&& other) noexcept;
    BufferLease& operator=(BufferLease&& other) noexcept;
    BufferLease(const BufferLease&) = delete;
    BufferLease& operator=(const BufferLease&) = delete;
    ~BufferLease() { reset(); }

    std::byte* data() const noexcept { return m_data; }
    std::size_t size() const noexcept { return m_size; }
    std::span<std::byte> span() const noexcept { return {m_data, m_size}; }
    explicit operator bool() const noexcept { return m_data != nullptr; }

    // Returns the buffer to its pool now.
    void reset() noexcept;

private:
    friend class BufferPool;
    BufferLease(BufferPool* pool, std::byte* data, std::size_t size) noexcept
        : m_pool(pool)
        , m_data(data)
        , m_size(size)
    { }

    BufferPool* m_pool = nullptr;
    std::byte* m_data = nullptr;
    std::size_t m_size = 0;
};

struct BufferBlock
{
    std::byte* data = nullptr;
    std::size_t size = 0;
};

struct BufferPolicy
{
    using Item = BufferBlock;
    static Item create(std::size_t bytes) { return {new std::byte[bytes], bytes}; }
    static void destroy(Item& item) noexcept
    {
        delete[] item.data;
        item = {};
    }
    static std::size_t bytes(const Item& item) noexcept { return item.size; }
    static bool reusable(const Item& item, std::size_t classBytes) noexcept { return item.size == classBytes; }
    static void reset(Item& item, bool scrub) noexcept;
};

// A named pool of byte buffers of one size class (e.g. "hash.64KiB").
class BufferPool : public PoolCore<BufferPolicy>
{
public:
    BufferPool(std::string name, std::size_t bufferBytes, PoolLimits limits = {});

    // A buffer of exactly bufferBytes() when minBytes fits the class; a larger request
    // gets a fresh buffer of minBytes that is freed on release (counted as a miss and a discard).
    BufferLease acquire(std::size_t minBytes);
    BufferLease acquire() { return acquire(classBytes()); }

    std::size_t bufferBytes() const noexcept { return classBytes(); }

private:
    friend class BufferLease;
    void release(std::byte* data, std::size_t size) noexcept;
};

} // namespace buildscope
