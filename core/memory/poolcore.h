#pragma once

#include "memory/poolstatistics.h"
#include "memory/relaxedcounter.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace buildscope {

struct PoolLimits
{
    // Idle bytes the pool may keep (thread caches and shared list together); items
    // released beyond it are freed and counted as discards.
    std::size_t maxRetainedBytes = 4 * 1024 * 1024;
    // Idle items each thread keeps for itself; its bytes are reserved out of maxRetainedBytes.
    std::uint32_t threadCacheItems = 4;
    // Overwrite contents with zeros on release (for buffers that held secrets).
    bool scrubOnRelease = false;
};

// The type-independent part of a pool: its identity, the per-thread cache directory,
// the shared free list's lock and the statistics.
//
// Every thread gets, per pool, a small cache of idle items. acquire() and release()
// on the owning thread touch only that cache and counters written by that thread
// alone: no lock and no locked instruction. The shared list (behind a mutex) is used
// when the cache is empty or full. Thread caches are found through a thread_local
// table indexed by the pool's slot; a unique id per pool makes entries of destroyed
// pools harmless.
class PoolCoreBase
{
public:
    static constexpr std::uint32_t kMaxThreadCacheItems = 8;
    static constexpr std::size_t kMaxPoolsWithThreadCaches = 64;

    PoolCoreBase(const PoolCoreBase&) = delete;
    PoolCoreBase& operator=(const PoolCoreBase&) = delete;

    const std::string& name() const noexcept { return m_name; }
    std::size_t classBytes() const noexcept { return m_classBytes; }
    const PoolLimits& limits() const noexcept { return m_limits; }

    // Exact at quiescence; under concurrent use each counter is a recent value.
    PoolStatistics statistics() const;

    struct ThreadCacheBase
    {
        std::atomic<std::uint64_t> acquires {0};
        std::atomic<std::uint64_t> hits {0};
        std::atomic<std::uint64_t> releases {0};
        std::atomic<std::uint32_t> idleCount {0};
        std::atomic<std::uint64_t> idleBytes {0};
        std::uint32_t capacity = 0; // fixed at attach time
        ThreadCacheBase* next = nullptr; // pool's list, guarded by the pool mutex
        virtual ~ThreadCacheBase() = default;
    };

protected:
    PoolCoreBase(std::string name, std::size_t classBytes, PoolLimits limits);
    virtual ~PoolCoreBase();

    // The calling thread's cache for this pool, created on first use; nullptr when the
    // process has more than kMaxPoolsWithThreadCaches live pools (this one then works
    // through the shared list only).
    ThreadCacheBase* threadCache() noexcept;

    // Derived pools create their typed caches, and at thread exit move the idle items
    // of one back to the shared list (or free them) and delete it.
    virtual ThreadCacheBase* createThreadCache() = 0;
    virtual void retireThreadCache(ThreadCacheBase* cache) = 0;

    // Called first thing by the derived destructor: afterwards no thread can reach the
    // pool's caches. Returns them (unlinked) for the derived class to free.
    ThreadCacheBase* detach();

    // Helpers for derived slow paths; all expect m_mutex held.
    std::size_t centralLimitLocked() const noexcept;
    void noteRetainedLocked() const;
    void foldCountersLocked(const ThreadCacheBase& cache);
    void unlinkLocked(ThreadCacheBase* cache);

    const std::string m_name;
    const std::size_t m_classBytes;
    const PoolLimits m_limits;

    mutable std::mutex m_mutex; // guards everything below that is not atomic
    ThreadCacheBase* m_caches = nullptr;
    std::size_t m_reservedBytes = 0; // thread cache capacity carved out of maxRetainedBytes
    std::size_t m_centralBytes = 0;
    std::uint64_t m_retiredAcquires = 0;
    std::uint64_t m_retiredHits = 0;
    std::uint64_t m_retiredReleases = 0;
    // Shared list operations and snapshots of a pool without a thread cache count here.
    std::uint64_t m_sharedAcquires = 0;
    std::uint64_t m_sharedHits = 0;
    std::uint64_t m_sharedReleases = 0;
    std::atomic<std::uint64_t> m_misses {0};
    std::atomic<std::uint64_t> m_discards {0};
    mutable std::atomic<std::uint64_t> m_retainedHighWater {0};

private:
    friend struct PoolThreadCacheRetirer;
    ThreadCacheBase* attachThreadCache() noexcept;

    std::uint64_t m_uid = 0;
    std::size_t m_slot = kMaxPoolsWithThreadCaches; // == max: no slot, no thread caches
};

// A pool of reusable items described by a Policy:
//   using Item = ...;                                  movable, cheap to move
//   static Item create(std::size_t bytes);             a new item of at least `bytes`
//   static void destroy(Item&) noexcept;
//   static std::size_t bytes(const Item&) noexcept;    memory the item holds
//   static bool reusable(const Item&, std::size_t classBytes) noexcept;
//   static void reset(Item&, bool scrub) noexcept;     make it ready for the next user
template<class Policy>
class PoolCore : public PoolCoreBase
{
public:
    using Item = typename Policy::Item;

    PoolCore(std::string name, std::size_t classBytes, PoolLimits limits)
        : PoolCoreBase(std::move(name), classBytes, limits)
    { }

    ~PoolCore() override
    {
        ThreadCacheBase* cache = detach();
        while (cache) {
            ThreadCacheBase* next = cache->next;
            auto* typed = static_cast<ThreadCache*>(cache);
            for (std::uint32_t i = 0; i < typed->idleCount.load(std::memory_order_relaxed); ++i)
                Policy::destroy(typed->items[i]);
            delete typed;
            cache = next;
        }
        for (Item& item : m_central)
            Policy::destroy(item);
    }

    // An item of at least `bytes`; requests larger than the class are served with a
    // fresh item (a miss) that is discarded on release.
    Item acquireItem(std::size_t bytes)
    {
        auto* cache = static_cast<ThreadCache*>(threadCache());
        if (bytes <= m_classBytes && cache) [[likely]] {
            addOwned<std::uint64_t>(cache->acquires, 1);
            const std::uint32_t idle = cache->idleCount.load(std::memory_order_relaxed);
            if (idle > 0) {
                Item item = std::move(cache->items[idle - 1]);
                cache->idleCount.store(idle - 1, std::memory_order_relaxed);
                addOwned<std::uint64_t>(cache->idleBytes, 0 - Policy::bytes(item));
                addOwned<std::uint64_t>(cache->hits, 1);
                return item;
            }
            return acquireShared(bytes, cache);
        }
        if (cache)
            addOwned<std::uint64_t>(cache->acquires, 1);
        return acquireShared(bytes, cache);
    }

    void releaseItem(Item&& item) noexcept
    {
        auto* cache = static_cast<ThreadCache*>(threadCache());
        if (cache)
            addOwned<std::uint64_t>(cache->releases, 1);
        if (!Policy::reusable(item, m_classBytes)) {
            discard(item);
            if (!cache) {
                std::lock_guard lock(m_mutex);
                ++m_sharedReleases;
            }
            return;
        }
        Policy::reset(item, m_limits.scrubOnRelease);
        if (cache) [[likely]] {
            const std::uint32_t idle = cache->idleCount.load(std::memory_order_relaxed);
            if (idle < cache->capacity) {
                addOwned<std::uint64_t>(cache->idleBytes, Policy::bytes(item));
                cache->items[idle] = std::move(item);
                cache->idleCount.store(idle + 1, std::memory_order_relaxed);
                return;
            }
        }
        releaseShared(std::move(item), cache == nullptr);
    }

private:
    struct ThreadCache : ThreadCacheBase
    {
        std::array<Item, kMaxThreadCacheItems> items {};
    };

    void discard(Item& item) noexcept
    {
        Policy::destroy(item);
        m_discards.fetch_add(1, std::memory_order_relaxed);
    }

    Item acquireShared(std::size_t bytes, ThreadCache* cache)
    {
        const bool fits = bytes <= m_classBytes;
        {
            std::lock_guard lock(m_mutex);
            if (!cache)
                ++m_sharedAcquires;
            if (fits && !m_central.empty()) {
                Item item = std::move(m_central.back());
                m_central.pop_back();
                m_centralBytes -= Policy::bytes(item);
                if (cache)
                    addOwned<std::uint64_t>(cache->hits, 1);
                else
                    ++m_sharedHits;
                return item;
            }
        }
        m_misses.fetch_add(1, std::memory_order_relaxed);
        return Policy::create(fits ? m_classBytes : bytes);
    }

    void releaseShared(Item&& item, bool countRelease)
    {
        std::lock_guard lock(m_mutex);
        if (countRelease)
            ++m_sharedReleases;
        const std::size_t itemBytes = Policy::bytes(item);
        if (m_centralBytes + itemBytes > centralLimitLocked()) {
            discard(item);
            return;
        }
        if (!pushCentralLocked(item)) {
            discard(item);
            return;
        }
        m_centralBytes += itemBytes;
        noteRetainedLocked();
    }

    // Release paths must not throw: if the list cannot grow, the caller frees the item.
    bool pushCentralLocked(Item& item) noexcept
    {
        try {
            m_central.push_back(std::move(item));
            return true;
        } catch (...) {
            return false;
        }
    }

    ThreadCacheBase* createThreadCache() override { return new ThreadCache; }

    void retireThreadCache(ThreadCacheBase* base) override
    {
        auto* cache = static_cast<ThreadCache*>(base);
        std::lock_guard lock(m_mutex);
        unlinkLocked(cache);
        foldCountersLocked(*cache);
        const std::uint32_t idle = cache->idleCount.load(std::memory_order_relaxed);
        for (std::uint32_t i = 0; i < idle; ++i) {
            Item& item = cache->items[i];
            const std::size_t itemBytes = Policy::bytes(item);
            if (m_centralBytes + itemBytes <= centralLimitLocked() && pushCentralLocked(item))
                m_centralBytes += itemBytes;
            else
                discard(item);
        }
        delete cache;
    }

    std::vector<Item> m_central; // guarded by m_mutex
};

} // namespace buildscope
