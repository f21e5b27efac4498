#pragma once

#include "memory/processmemory.h"
#include "engine/processledger.h"
#include "memory/sampler.h"
#include "run/seriesid.h"

#include <atomic>
#include <sys/types.h>
#include <vector>

namespace buildscope {

class PoolCoreBase;

// engine_rss_bytes, engine_peak_rss_bytes: this process's resident memory.
class SelfMemorySource : public SampleSource
{
public:
    std::vector<SeriesSpec> series() const override;
    void read(std::span<double> out) override;
};

// heap_live_bytes, heap_peak_live_bytes, heap_allocations, heap_frees, heap_allocated_bytes:
// HeapTracker counters (cumulative counts; rates are their differences over time).
class HeapSource : public SampleSource
{
public:
    std::vector<SeriesSpec> series() const override;
    void read(std::span<double> out) override;
};

// tree_rss_bytes, tree_processes: the process tree of the watched root (the running
// step), a sampled sum. When the process ledger traces the step, only the processes it
// knows are read; otherwise the tree is found in /proc from the root. NaN while nothing
// is watched, so charts show a gap rather than a false zero.
class ProcessTreeSource : public SampleSource
{
public:
    // `ledger`: the running step's live pids, complete() while a ledger traces it.
    explicit ProcessTreeSource(const LiveProcessSet* ledger = nullptr)
        : m_ledger(ledger)
    { }

    std::vector<SeriesSpec> series() const override;
    void read(std::span<double> out) override;

    // Any thread: start (pid > 0) or stop (0) watching a tree.
    void watch(pid_t root) noexcept { m_root.store(root, std::memory_order_relaxed); }
    pid_t watched() const noexcept { return m_root.load(std::memory_order_relaxed); }

private:
    std::atomic<pid_t> m_root {0};
    const LiveProcessSet* m_ledger;
    std::vector<pid_t> m_pids; // scratch, reused
    ProcessTreeSampler m_sampler;
};

// For each pool: <name>.acquires, <name>.hits (cumulative) and <name>.retained_bytes.
class PoolSource : public SampleSource
{
public:
    explicit PoolSource(std::vector<const PoolCoreBase*> pools);
    std::vector<SeriesSpec> series() const override;
    void read(std::span<double> out) override;

private:
    std::vector<const PoolCoreBase*> m_pools;
};

} // namespace buildscope
