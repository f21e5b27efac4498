#pragma once

// Internal to HeapTracker and BuildScope::HeapHook: the per-thread counters and the
// hot path of recordAllocation()/recordFree(), inline so the hooks make no call.
#include "memory/heaptracker.h"
#include "memory/relaxedcounter.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace buildscope::heapdetail {

enum class ThreadState : std::uint8_t
{
    Unregistered,
    Active,
    Retired
};

// One per thread. Only the owning thread writes the counters; snapshot() reads
// them from other threads, hence relaxed atomics (plain moves on x86/ARM64).
struct ThreadHeapCounters
{
    std::atomic<std::uint64_t> allocations {0};
    std::atomic<std::uint64_t> frees {0};
    std::atomic<std::uint64_t> bytesAllocated {0};
    std::atomic<std::uint64_t> bytesFreed {0};
    // Live-byte change not yet folded into the shared figure, and its maximum since the
    // last fold: together they make the peak exact for a single allocating thread.
    std::atomic<std::int64_t> pendingLive {0};
    std::atomic<std::int64_t> pendingPeak {0};
    ThreadHeapCounters* next = nullptr; // registry link, guarded by the registry lock
    ThreadState state = ThreadState::Unregistered;
};

extern constinit thread_local ThreadHeapCounters t_counters;
extern constinit std::atomic<int> g_pauseDepth;

// Out of line: first allocation of a thread, allocations after it retired, and folds.
void recordSlow(std::size_t bytes, bool allocation) noexcept;
void flushSlow(ThreadHeapCounters& t) noexcept;

// A free folds only once the window is this many granules below its start, so an
// alloc/free loop of one block >= kFlushGranuleBytes does not take the registry lock
// (and read every thread's counters) twice per pair.
inline constexpr std::int64_t kFreeFlushGranules = 4;

inline bool paused() noexcept
{
    return g_pauseDepth.load(std::memory_order_relaxed) > 0;
}

// Expects !paused().
inline void recordAllocation(std::size_t bytes) noexcept
{
    ThreadHeapCounters& t = t_counters;
    if (t.state != ThreadState::Active) [[unlikely]] {
        recordSlow(bytes, true);
        return;
    }
    addOwned<std::uint64_t>(t.allocations, 1);
    addOwned<std::uint64_t>(t.bytesAllocated, bytes);
    const std::int64_t pending = t.pendingLive.load(std::memory_order_relaxed) + static_cast<std::int64_t>(bytes);
    t.pendingLive.store(pending, std::memory_order_relaxed);
    if (pending > t.pendingPeak.load(std::memory_order_relaxed))
        t.pendingPeak.store(pending, std::memory_order_relaxed);
    if (pending >= HeapTracker::kFlushGranuleBytes) [[unlikely]]
        flushSlow(t);
}

// Expects !paused().
inline void recordFree(std::size_t bytes) noexcept
{
    ThreadHeapCounters& t = t_counters;
    if (t.state != ThreadState::Active) [[unlikely]] {
        recordSlow(bytes, false);
        return;
    }
    addOwned<std::uint64_t>(t.frees, 1);
    addOwned<std::uint64_t>(t.bytesFreed, bytes);
    const std::int64_t pending = t.pendingLive.load(std::memory_order_relaxed) - static_cast<std::int64_t>(bytes);
    t.pendingLive.store(pending, std::memory_order_relaxed);
    if (pending <= -kFreeFlushGranules * HeapTracker::kFlushGranuleBytes) [[unlikely]]
        flushSlow(t);
}

} // namespace buildscope::heapdetail
