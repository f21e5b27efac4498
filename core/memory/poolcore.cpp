#include "memory/poolcore.h"

#include "memory/spinlock.h"

#include <algorithm>
#include <cassert>
#include <new>

namespace buildscope {
namespace {

struct PoolSlot
{
    std::uint64_t uid = 0; // 0: free
    PoolCoreBase* pool = nullptr;
};

struct ThreadCacheEntry
{
    std::uint64_t uid = 0; // the pool the cache belongs to; stale when that pool is gone
    PoolCoreBase::ThreadCacheBase* cache = nullptr;
};

// Lock order: g_slotLock, then a pool's mutex.
constinit SpinLock g_slotLock;
constinit std::array<PoolSlot, PoolCoreBase::kMaxPoolsWithThreadCaches> g_slots {};
constinit std::uint64_t g_nextUid = 1; // under g_slotLock

constinit thread_local std::array<ThreadCacheEntry, PoolCoreBase::kMaxPoolsWithThreadCaches> t_entries {};

} // namespace

// At thread exit, hands every cache this thread still owns back to its pool, if the
// pool is still alive (a destroyed pool already freed the caches of all threads).
struct PoolThreadCacheRetirer
{
    ~PoolThreadCacheRetirer()
    {
        std::lock_guard lock(g_slotLock);
        for (std::size_t slot = 0; slot < t_entries.size(); ++slot) {
            ThreadCacheEntry& entry = t_entries[slot];
            if (entry.uid != 0 && g_slots[slot].uid == entry.uid)
                g_slots[slot].pool->retireThreadCache(entry.cache);
            entry = {};
        }
    }
};

namespace {
thread_local PoolThreadCacheRetirer t_retirer;

PoolLimits clampLimits(PoolLimits limits) noexcept
{
    limits.threadCacheItems = std::min(limits.threadCacheItems, PoolCoreBase::kMaxThreadCacheItems);
    return limits;
}
} // namespace

PoolCoreBase::PoolCoreBase(std::string name, std::size_t classBytes, PoolLimits limits)
    : m_name(std::move(name))
    , m_classBytes(classBytes)
    , m_limits(clampLimits(limits))
{
    std::lock_guard lock(g_slotLock);
    m_uid = g_nextUid++;
    for (std::size_t slot = 0; slot < g_slots.size(); ++slot) {
        if (g_slots[slot].uid == 0) {
            g_slots[slot] = {m_uid, this};
            m_slot = slot;
            break;
        }
    }
}

PoolCoreBase::~PoolCoreBase()
{
    assert(m_slot == kMaxPoolsWithThreadCaches && "derived pool destructor must call detach()");
}

PoolCoreBase::ThreadCacheBase* PoolCoreBase::detach()
{
    std::lock_guard slotLock(g_slotLock);
    if (m_slot < kMaxPoolsWithThreadCaches)
        g_slots[m_slot] = {};
    m_slot = kMaxPoolsWithThreadCaches;
    std::lock_guard lock(m_mutex);
    ThreadCacheBase* caches = m_caches;
    m_caches = nullptr;
    m_reservedBytes = 0;
    return caches;
}

PoolCoreBase::ThreadCacheBase* PoolCoreBase::threadCache() noexcept
{
    if (m_slot >= kMaxPoolsWithThreadCaches) [[unlikely]]
        return nullptr;
    const ThreadCacheEntry& entry = t_entries[m_slot];
    if (entry.uid == m_uid) [[likely]]
        return entry.cache;
    return attachThreadCache();
}

PoolCoreBase::ThreadCacheBase* PoolCoreBase::attachThreadCache() noexcept
{
    // Registers the retirer's destructor for this thread.
    static_cast<void>(&t_retirer);
    ThreadCacheBase* cache = nullptr;
    try {
        cache = createThreadCache();
    } catch (const std::bad_alloc&) {
        return nullptr; // out of memory: this call goes through the shared list
    }
    {
        std::lock_guard lock(m_mutex);
        const std::size_t unreserved = m_limits.maxRetainedBytes - m_reservedBytes;
        const std::size_t affordable = m_classBytes ? unreserved / m_classBytes : 0;
        cache->capacity = static_cast<std::uint32_t>(std::min<std::size_t>(m_limits.threadCacheItems, affordable));
        m_reservedBytes += cache->capacity * m_classBytes;
        cache->next = m_caches;
        m_caches = cache;
    }
    t_entries[m_slot] = {m_uid, cache};
    return cache;
}

std::size_t PoolCoreBase::centralLimitLocked() const noexcept
{
    return m_limits.maxRetainedBytes - m_reservedBytes;
}

void PoolCoreBase::noteRetainedLocked() const
{
    std::uint64_t retained = m_centralBytes;
    for (const ThreadCacheBase* cache = m_caches; cache; cache = cache->next)
        retained += cache->idleBytes.load(std::memory_order_relaxed);
    raiseTo(m_retainedHighWater, retained);
}

void PoolCoreBase::foldCountersLocked(const ThreadCacheBase& cache)
{
    m_retiredAcquires += cache.acquires.load(std::memory_order_relaxed);
    m_retiredHits += cache.hits.load(std::memory_order_relaxed);
    m_retiredReleases += cache.releases.load(std::memory_order_relaxed);
}

void PoolCoreBase::unlinkLocked(ThreadCacheBase* cache)
{
    for (ThreadCacheBase** link = &m_caches; *link; link = &(*link)->next) {
        if (*link == cache) {
            *link = cache->next;
            m_reservedBytes -= cache->capacity * m_classBytes;
            return;
        }
    }
}

PoolStatistics PoolCoreBase::statistics() const
{
    PoolStatistics s;
    s.name = m_name;
    s.classBytes = m_classBytes;
    s.maxRetainedBytes = m_limits.maxRetainedBytes;

    std::lock_guard lock(m_mutex);
    s.acquires = m_retiredAcquires + m_sharedAcquires;
    s.hits = m_retiredHits + m_sharedHits;
    s.releases = m_retiredReleases + m_sharedReleases;
    s.retainedBytes = m_centralBytes;
    for (const ThreadCacheBase* cache = m_caches; cache; cache = cache->next) {
        s.acquires += cache->acquires.load(std::memory_order_relaxed);
        s.hits += cache->hits.load(std::memory_order_relaxed);
        s.releases += cache->releases.load(std::memory_order_relaxed);
        s.retainedBytes += cache->idleBytes.load(std::memory_order_relaxed);
    }
    s.misses = m_misses.load(std::memory_order_relaxed);
    s.discards = m_discards.load(std::memory_order_relaxed);
    raiseTo(m_retainedHighWater, s.retainedBytes);
    s.retainedHighWaterBytes = m_retainedHighWater.load(std::memory_order_relaxed);
    return s;
}

} // namespace buildscope
