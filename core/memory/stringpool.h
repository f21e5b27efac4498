#pragma once

#include "memory/poolcore.h"

#include <array>
#include <memory>
#include <string>

namespace buildscope {

class StringPool;
class StringClassPool;

// A std::string on loan from a StringPool: empty on acquire, with at least the
// requested capacity; the capacity survives the round trip through the pool.
class PooledString
{
public:
    PooledString() = default;
    PooledString(PooledString&& other) noexcept;
    PooledString& operator=(PooledString&& other) noexcept;
    PooledString(const PooledString&) = delete;
    PooledString& operator=(const PooledString&) = delete;
    ~PooledString() { reset(); }

    std::string& str() noexcept { return m_string; }
    const std::string& str() const noexcept { return m_string; }
    std::string& operator*() noexcept { return m_string; }
    std::string* operator->() noexcept { return &m_string; }

    // Returns the string to its pool now (its contents are cleared).
    void reset() noexcept;

private:
    friend class StringClassPool;
    PooledString(StringClassPool* pool, std::string&& string) noexcept
        : m_pool(pool)
        , m_string(std::move(string))
    { }

    StringClassPool* m_pool = nullptr;
    std::string m_string;
};

struct StringPolicy
{
    using Item = std::string;
    static Item create(std::size_t bytes);
    static void destroy(Item& item) noexcept { std::string().swap(item); }
    static std::size_t bytes(const Item& item) noexcept { return item.capacity(); }
    // A string that grew past its class (the user appended more than asked for) is
    // dropped rather than kept, so a class never retains more than its limit per item.
    static bool reusable(const Item& item, std::size_t classBytes) noexcept { return item.capacity() <= classBytes; }
    static void reset(Item& item, bool scrub) noexcept;
};

// One capacity class of a StringPool.
class StringClassPool : public PoolCore<StringPolicy>
{
public:
    StringClassPool(std::string name, std::size_t capacity, PoolLimits limits);
    PooledString acquire(std::size_t capacity);

private:
    friend class PooledString;
};

// Strings in two capacity classes: small (<= 256 B) and large (<= 4 KiB).
class StringPool
{
public:
    // A 1 KiB class was dropped: glibc's per-thread cache serves blocks up to 1032 bytes
    // faster than the pool did (docs/PERFORMANCE.md). Requests of 257 B .. 4 KiB use the
    // 4 KiB class, which beats a fresh allocation by 1.5x.
    static constexpr std::array<std::size_t, 2> kClassCapacities {256, 4096};

    explicit StringPool(std::string name = "string", PoolLimits limitsPerClass = {256 * 1024, 8, false});

    // An empty string with capacity >= expectedLength, from the smallest class that
    // holds it; longer requests get an unpooled string from the large class.
    PooledString acquire(std::size_t expectedLength);

    const std::array<std::unique_ptr<StringClassPool>, 2>& pools() const noexcept { return m_pools; }

private:
    std::array<std::unique_ptr<StringClassPool>, 2> m_pools;
};

} // namespace buildscope
