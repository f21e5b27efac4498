#pragma once

#include <cstddef>
#include <cstdint>

namespace buildscope {

// Cumulative heap activity seen through operator new/delete.
// Byte figures are the allocator's usable size of each block (malloc_usable_size on
// glibc, malloc_size on macOS), so the same figure is added on allocation and
// subtracted on free whatever form of delete is used.
struct HeapCounters
{
    std::uint64_t allocations = 0;
    std::uint64_t frees = 0;
    std::uint64_t bytesAllocated = 0;
    std::uint64_t bytesFreed = 0;

    std::int64_t liveBytes() const noexcept
    {
        return static_cast<std::int64_t>(bytesAllocated) - static_cast<std::int64_t>(bytesFreed);
    }
    HeapCounters operator-(const HeapCounters& earlier) const noexcept
    {
        return {allocations - earlier.allocations, frees - earlier.frees, bytesAllocated - earlier.bytesAllocated,
            bytesFreed - earlier.bytesFreed};
    }
};

struct HeapSnapshot
{
    HeapCounters totals;
    std::int64_t liveBytes = 0;
    // High-water mark of live bytes since start or the last resetPeak(); see docs/METRICS.md
    // for its exactness (exact with one allocating thread, within threads x 256 KiB otherwise).
    std::int64_t peakLiveBytes = 0;
    bool installed = false; // false when the program does not link BuildScope::HeapHook
    bool paused = false;
};

// Process-wide heap accounting fed by the replacement operator new/delete in
// BuildScope::HeapHook. Each thread counts into its own counters without locks or
// locked instructions; snapshot() sums them. What it does not see: memory that C
// libraries get from malloc() directly, mmap, thread stacks - process RSS covers those.
class HeapTracker
{
public:
    HeapTracker() = delete;

    static bool isInstalled() noexcept;
    static HeapSnapshot snapshot() noexcept;
    // The calling thread's own counters (what OperationScope diffs).
    static HeapCounters currentThread() noexcept;

    // While paused, the hooks count nothing. A block allocated while paused and freed
    // while counting (or the reverse) skews live bytes by its size, so pause around
    // work that frees what it allocates.
    static void pause() noexcept;
    static void resume() noexcept;
    static bool isPaused() noexcept;

    // Starts a new high-water mark from the current live bytes (e.g. at the start of a run).
    static void resetPeak() noexcept;

    // Called only by the hooks.
    static void markInstalled() noexcept;
    static void recordAllocation(std::size_t bytes) noexcept;
    static void recordFree(std::size_t bytes) noexcept;

    // A thread folds its live-byte changes into the shared figure after this much growth
    // (or four times as much shrinkage, heaptrackerhooks.h).
    static constexpr std::int64_t kFlushGranuleBytes = 64 * 1024;
};

// Pauses counting for the lifetime of the scope (nestable across threads: counting
// resumes when the outermost scope ends).
class HeapTrackingPause
{
public:
    HeapTrackingPause() noexcept;
    ~HeapTrackingPause();
    HeapTrackingPause(const HeapTrackingPause&) = delete;
    HeapTrackingPause& operator=(const HeapTrackingPause&) = delete;
};

} // namespace buildscope
