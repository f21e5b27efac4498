#pragma once

// Shared helpers for the Google Benchmark programs under bench/.
//
// Every benchmark program links BuildScope::HeapHook (the counting operator new/delete),
// so a benchmark can report, next to its time, how many allocations and bytes one
// iteration cost:
//
//     static void BM_Something(benchmark::State& state)
//     {
//         warmUp();                                   // first-use allocations, not counted
//         buildscope::bench::AllocationCounters allocs(state);
//         for (auto _ : state) { ... }
//     }                                               // sets allocs/iter and bytes/iter
//
// Figures come from buildscope::HeapTracker, so they cover operator new only (not
// malloc() called directly) and read 0 while HeapTracker is paused. Bytes are the
// allocator's usable size of each block, as everywhere in HeapTracker.

#include "memory/heaptracker.h"

#include <benchmark/benchmark.h>
#include <cstdint>

namespace buildscope::bench {

// Which allocations a benchmark is charged for.
enum class HeapScope
{
    // The benchmark thread's own operator new calls (HeapTracker::currentThread()).
    // Exact, and correct with ->Threads(n): every thread reports its own delta and
    // Google Benchmark sums them before dividing by the total iteration count.
    Thread,
    // Every thread of the process (HeapTracker::snapshot().totals), for code that
    // allocates on worker threads of its own. Only benchmark thread 0 reports; with
    // ->Threads(n) the other benchmark threads' warm-up can leak into the window, so
    // prefer Thread there.
    Process,
};

inline HeapCounters heapCounters(HeapScope scope) noexcept
{
    return scope == HeapScope::Thread ? HeapTracker::currentThread() : HeapTracker::snapshot().totals;
}

// Sets state.counters["allocs/iter"] and ["bytes/iter"] from the heap activity between
// `before` and now, averaged over iterations (of all benchmark threads). Call it right
// after the timed loop.
inline void reportAllocations(benchmark::State& state, const HeapCounters& before, HeapScope scope = HeapScope::Thread)
{
    const HeapCounters delta = heapCounters(scope) - before;
    if (scope == HeapScope::Thread) {
        // Summed over threads, then divided by the summed iterations.
        state.counters["allocs/iter"]
            = benchmark::Counter(static_cast<double>(delta.allocations), benchmark::Counter::kAvgIterations);
        state.counters["bytes/iter"]
            = benchmark::Counter(static_cast<double>(delta.bytesAllocated), benchmark::Counter::kAvgIterations);
        return;
    }
    if (state.thread_index() != 0)
        return;
    // Process-wide figure reported once: divide by the iterations of all threads here
    // (every benchmark thread runs the same number of iterations).
    const double iterations = static_cast<double>(state.iterations()) * static_cast<double>(state.threads());
    if (iterations <= 0)
        return;
    state.counters["allocs/iter"] = static_cast<double>(delta.allocations) / iterations;
    state.counters["bytes/iter"] = static_cast<double>(delta.bytesAllocated) / iterations;
}

// RAII form of reportAllocations(): construct it right before the timed loop; it
// reports when destroyed or at finish(), whichever comes first. Nothing that allocates
// should run between the end of the loop and that point.
class AllocationCounters
{
public:
    explicit AllocationCounters(benchmark::State& state, HeapScope scope = HeapScope::Thread) noexcept
        : m_state(state)
        , m_scope(scope)
        , m_before(heapCounters(scope))
    { }
    ~AllocationCounters() { finish(); }

    AllocationCounters(const AllocationCounters&) = delete;
    AllocationCounters& operator=(const AllocationCounters&) = delete;

    void finish()
    {
        if (m_done)
            return;
        m_done = true;
        reportAllocations(m_state, m_before, m_scope);
    }

private:
    benchmark::State& m_state;
    HeapScope m_scope;
    HeapCounters m_before;
    bool m_done = false;
};

// Fails the benchmark (instead of silently printing zeros) when the program was built
// without BuildScope::HeapHook. Returns false when it did.
inline bool requireHeapHook(benchmark::State& state)
{
    if (HeapTracker::isInstalled())
        return true;
    state.SkipWithError("BuildScope::HeapHook is not linked: allocation counters unavailable");
    return false;
}

} // namespace buildscope::bench
