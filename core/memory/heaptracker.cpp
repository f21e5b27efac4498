#include "memory/heaptracker.h"

#include "memory/heaptrackerhooks.h"
#include "memory/relaxedcounter.h"
#include "memory/spinlock.h"

#include <algorithm>
#include <atomic>
#include <mutex>

namespace buildscope {

namespace heapdetail {
constinit thread_local ThreadHeapCounters t_counters;
constinit std::atomic<int> g_pauseDepth {0};
} // namespace heapdetail

namespace {
using namespace heapdetail;

// All globals are constant-initialised and trivially destructible: the hooks run
// before main() and after static destruction.
constinit SpinLock g_registryLock;
constinit ThreadHeapCounters* g_threads = nullptr;
constinit HeapCounters g_retired; // counters of exited threads, under g_registryLock
constinit std::atomic<std::int64_t> g_flushedLive {0};
constinit std::atomic<std::int64_t> g_peakLive {0};
constinit std::atomic<bool> g_installed {false};

// Folds a thread's pending live bytes into the shared figure and offers the peak of
// its window as a candidate. The candidate adds the other threads' pending bytes as
// they stand now, so with one allocating thread the peak is exact even when idle
// threads hold unfolded blocks. Expects g_registryLock held.
void flushLocked(ThreadHeapCounters& t) noexcept
{
    std::int64_t othersPending = 0;
    for (const ThreadHeapCounters* other = g_threads; other; other = other->next) {
        if (other != &t)
            othersPending += other->pendingLive.load(std::memory_order_relaxed);
    }
    const std::int64_t pending = t.pendingLive.load(std::memory_order_relaxed);
    const std::int64_t before = g_flushedLive.fetch_add(pending, std::memory_order_relaxed);
    raiseTo(g_peakLive, before + othersPending + t.pendingPeak.load(std::memory_order_relaxed));
    t.pendingLive.store(0, std::memory_order_relaxed);
    t.pendingPeak.store(0, std::memory_order_relaxed);
}

void flush(ThreadHeapCounters& t) noexcept
{
    std::lock_guard lock(g_registryLock);
    flushLocked(t);
}

void retire(ThreadHeapCounters& t) noexcept
{
    std::lock_guard lock(g_registryLock);
    flushLocked(t);
    g_retired.allocations += t.allocations.load(std::memory_order_relaxed);
    g_retired.frees += t.frees.load(std::memory_order_relaxed);
    g_retired.bytesAllocated += t.bytesAllocated.load(std::memory_order_relaxed);
    g_retired.bytesFreed += t.bytesFreed.load(std::memory_order_relaxed);
    for (ThreadHeapCounters** link = &g_threads; *link; link = &(*link)->next) {
        if (*link == &t) {
            *link = t.next;
            break;
        }
    }
    t.state = ThreadState::Retired;
}

// Runs at thread exit. t_counters itself is trivially destructible, so hooks that
// run after this (other thread_local destructors) still find valid storage and
// take the Retired path.
struct ThreadRetirer
{
    ~ThreadRetirer() { retire(t_counters); }
};
thread_local ThreadRetirer t_retirer;

void registerThread(ThreadHeapCounters& t) noexcept
{
    t.state = ThreadState::Active;
    // Odr-using the retirer registers its destructor (glibc uses calloc for that, not
    // operator new, so this cannot recurse into the hooks).
    static_cast<void>(&t_retirer);
    std::lock_guard lock(g_registryLock);
    t.next = g_threads;
    g_threads = &t;
}

// A thread that has already retired (allocating from a late thread_local destructor)
// counts straight into the shared totals.
void recordRetired(std::size_t bytes, bool allocation) noexcept
{
    std::lock_guard lock(g_registryLock);
    const auto signedBytes = static_cast<std::int64_t>(bytes);
    if (allocation) {
        ++g_retired.allocations;
        g_retired.bytesAllocated += bytes;
        raiseTo(g_peakLive, g_flushedLive.fetch_add(signedBytes, std::memory_order_relaxed) + signedBytes);
    } else {
        ++g_retired.frees;
        g_retired.bytesFreed += bytes;
        g_flushedLive.fetch_sub(signedBytes, std::memory_order_relaxed);
    }
}

ThreadHeapCounters* activeCounters() noexcept
{
    ThreadHeapCounters& t = t_counters;
    if (t.state == ThreadState::Active) [[likely]]
        return &t;
    if (t.state == ThreadState::Unregistered) {
        registerThread(t);
        return &t;
    }
    return nullptr;
}

} // namespace

bool HeapTracker::isInstalled() noexcept
{
    return g_installed.load(std::memory_order_relaxed);
}

void HeapTracker::markInstalled() noexcept
{
    g_installed.store(true, std::memory_order_relaxed);
}

void HeapTracker::pause() noexcept
{
    g_pauseDepth.fetch_add(1, std::memory_order_relaxed);
}

void HeapTracker::resume() noexcept
{
    g_pauseDepth.fetch_sub(1, std::memory_order_relaxed);
}

bool HeapTracker::isPaused() noexcept
{
    return g_pauseDepth.load(std::memory_order_relaxed) > 0;
}

void heapdetail::flushSlow(ThreadHeapCounters& t) noexcept
{
    flush(t);
}

void heapdetail::recordSlow(std::size_t bytes, bool allocation) noexcept
{
    ThreadHeapCounters* t = activeCounters();
    if (!t) {
        recordRetired(bytes, allocation);
        return;
    }
    // Registered now: count through the fast path.
    if (allocation)
        heapdetail::recordAllocation(bytes);
    else
        heapdetail::recordFree(bytes);
}

void HeapTracker::recordAllocation(std::size_t bytes) noexcept
{
    if (!heapdetail::paused())
        heapdetail::recordAllocation(bytes);
}

void HeapTracker::recordFree(std::size_t bytes) noexcept
{
    if (!heapdetail::paused())
        heapdetail::recordFree(bytes);
}

HeapCounters HeapTracker::currentThread() noexcept
{
    const ThreadHeapCounters& t = t_counters;
    return {t.allocations.load(std::memory_order_relaxed), t.frees.load(std::memory_order_relaxed),
        t.bytesAllocated.load(std::memory_order_relaxed), t.bytesFreed.load(std::memory_order_relaxed)};
}

HeapSnapshot HeapTracker::snapshot() noexcept
{
    HeapSnapshot result;
    result.installed = isInstalled();
    result.paused = isPaused();

    std::lock_guard lock(g_registryLock);
    HeapCounters sum = g_retired;
    // Largest rise of a thread's pending live bytes above where it stands now: a peak
    // reached inside a window that has not been folded into g_peakLive yet.
    std::int64_t unfoldedRise = 0;
    for (const ThreadHeapCounters* t = g_threads; t; t = t->next) {
        sum.allocations += t->allocations.load(std::memory_order_relaxed);
        sum.frees += t->frees.load(std::memory_order_relaxed);
        sum.bytesAllocated += t->bytesAllocated.load(std::memory_order_relaxed);
        sum.bytesFreed += t->bytesFreed.load(std::memory_order_relaxed);
        unfoldedRise = std::max(unfoldedRise,
            t->pendingPeak.load(std::memory_order_relaxed) - t->pendingLive.load(std::memory_order_relaxed));
    }
    result.totals = sum;
    result.liveBytes = sum.liveBytes();
    result.peakLiveBytes
        = std::max({g_peakLive.load(std::memory_order_relaxed), result.liveBytes, result.liveBytes + unfoldedRise});
    return result;
}

void HeapTracker::resetPeak() noexcept
{
    // Fold the caller's own window first so that, with one allocating thread, the new
    // mark starts exactly at the current live bytes.
    if (ThreadHeapCounters* t = activeCounters())
        flush(*t);
    std::lock_guard lock(g_registryLock);
    std::int64_t live
        = static_cast<std::int64_t>(g_retired.bytesAllocated) - static_cast<std::int64_t>(g_retired.bytesFreed);
    for (ThreadHeapCounters* t = g_threads; t; t = t->next) {
        live += static_cast<std::int64_t>(t->bytesAllocated.load(std::memory_order_relaxed))
            - static_cast<std::int64_t>(t->bytesFreed.load(std::memory_order_relaxed));
    }
    g_peakLive.store(live, std::memory_order_relaxed);
}

HeapTrackingPause::HeapTrackingPause() noexcept
{
    HeapTracker::pause();
}

HeapTrackingPause::~HeapTrackingPause()
{
    HeapTracker::resume();
}

} // namespace buildscope
