// Microbenchmarks of core/memory: buffer pools against plain allocation,
// the cost of the counting operator new, OperationScope and LogHistogram::record.
//
// Every benchmark reports allocs/iter and bytes/iter (see benchsupport.h). With
// ->Threads(n), Google Benchmark's "Time" column is wall time divided by the
// iterations of all threads (inverse throughput); "CPU" is the per-thread cost of
// one iteration.
#include "benchsupport.h"
#include "memory/bufferpool.h"
#include "memory/bufferpoolset.h"
#include "memory/enginepools.h"
#include "memory/heaptracker.h"
#include "memory/loghistogram.h"
#include "memory/operationregistry.h"
#include "memory/operationscope.h"

#include <array>
#include <benchmark/benchmark.h>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace buildscope;
using bench::AllocationCounters;

constexpr std::int64_t KiB = 1024;

// The engine's buffer pool for a size class. EnginePools::instance() is a process-wide
// static, so with ->Threads(2) both benchmark threads share one pool (each with its
// own thread cache, as in the engine).
BufferPool& enginePoolFor(std::size_t bytes)
{
    EnginePools& pools = EnginePools::instance();
    if (bytes == pools.hash().bufferBytes())
        return pools.hash();
    for (const auto& pool : pools.io().pools()) {
        if (pool->bufferBytes() == bytes)
            return *pool;
    }
    throw std::invalid_argument("no engine buffer pool of " + std::to_string(bytes) + " bytes");
}

void touch(std::byte* data)
{
    data[0] = std::byte {1};
    benchmark::DoNotOptimize(data); // escapes the pointer; its memory clobber keeps the store
}

// ---------------------------------------------------------------------------------------
// Buffer pools vs new[]/delete[]: every class the engine keeps (io 4/32/128 KiB, hash/tar 64 KiB).

void BM_PoolAcquireRelease(benchmark::State& state)
{
    const auto bytes = static_cast<std::size_t>(state.range(0));
    BufferPool& pool = enginePoolFor(bytes);
    {
        // First use on this thread: attaches its cache and creates the buffer (not timed).
        BufferLease warm = pool.acquire(bytes);
        touch(warm.data());
    }
    AllocationCounters allocs(state);
    for (auto _ : state) {
        BufferLease lease = pool.acquire(bytes);
        touch(lease.data());
    }
}
BENCHMARK(BM_PoolAcquireRelease)->Arg(4 * KiB)->Arg(32 * KiB)->Arg(64 * KiB)->Arg(128 * KiB)->Threads(1)->Threads(2);

void BM_NewDeleteArray(benchmark::State& state)
{
    const auto bytes = static_cast<std::size_t>(state.range(0));
    {
        auto* warm = new std::byte[bytes];
        touch(warm);
        delete[] warm;
    }
    AllocationCounters allocs(state);
    for (auto _ : state) {
        auto* data = new std::byte[bytes];
        touch(data);
        delete[] data;
    }
}
BENCHMARK(BM_NewDeleteArray)->Arg(4 * KiB)->Arg(32 * KiB)->Arg(64 * KiB)->Arg(128 * KiB)->Threads(1)->Threads(2);

// What the engine's io code actually calls: the set picks the class first.
void BM_PoolSetAcquireRelease(benchmark::State& state)
{
    const auto bytes = static_cast<std::size_t>(state.range(0));
    BufferPoolSet& io = EnginePools::instance().io();
    {
        BufferLease warm = io.acquire(bytes);
        touch(warm.data());
    }
    AllocationCounters allocs(state);
    for (auto _ : state) {
        BufferLease lease = io.acquire(bytes);
        touch(lease.data());
    }
}
BENCHMARK(BM_PoolSetAcquireRelease)->Arg(4 * KiB)->Arg(32 * KiB)->Arg(128 * KiB);

// ---------------------------------------------------------------------------------------
// Cost of the counting operator new/delete. _Counting: HeapTracker counts (as in the
// app). _Paused: HeapTracker::pause() for the whole run, so the hooks skip recording.
// The _Paused runs report 0 allocations because nothing is counted while paused; the
// work is the same as in _Counting.

template<bool Paused>
void BM_NewDelete64(benchmark::State& state)
{
    std::optional<HeapTrackingPause> pause;
    if constexpr (Paused)
        pause.emplace();
    AllocationCounters allocs(state); // destroyed before `pause`
    for (auto _ : state) {
        auto* data = new std::byte[64];
        touch(data);
        delete[] data;
    }
}
void BM_NewDelete64_Counting(benchmark::State& state)
{
    BM_NewDelete64<false>(state);
}
void BM_NewDelete64_Paused(benchmark::State& state)
{
    BM_NewDelete64<true>(state);
}
BENCHMARK(BM_NewDelete64_Counting);
BENCHMARK(BM_NewDelete64_Paused);

// The same block through malloc/free, which the hooks do not see: the floor the hooks add to.
void BM_Malloc64_NoHook(benchmark::State& state)
{
    AllocationCounters allocs(state);
    for (auto _ : state) {
        auto* data = static_cast<std::byte*>(std::malloc(64));
        touch(data);
        std::free(data);
    }
}
BENCHMARK(BM_Malloc64_NoHook);

// 16 strings of 24-39 characters (past libstdc++'s 15-character SSO) into a reserved
// vector: 17 allocations per iteration.
constexpr std::array<std::string_view, 16> kWords {
    "src/engine/buildrunner.cpp",
    "src/engine/buildrunner.h",
    "core/memory/bufferpool.cpp",
    "core/memory/heaptracker.cpp",
    "tests/memory/tst_bufferpool.cpp",
    "third_party/xxhash/xxhash.h",
    "app/cli/main.cpp and friends",
    "build/release/CMakeCache.txt",
    "docs/PERFORMANCE.md section 3",
    "examples/hello/buildscope.yaml",
    "packaging/debian/control file",
    "resources/icons/buildscope.svg",
    "scripts/setup-deps (bash script)",
    "ui/mainwindow.cpp (dashboard UI)",
    "core/memory/timeseriesstore.cpp",
};

template<bool Paused>
void BM_VectorOfStrings(benchmark::State& state)
{
    std::optional<HeapTrackingPause> pause;
    if constexpr (Paused)
        pause.emplace();
    AllocationCounters allocs(state);
    for (auto _ : state) {
        std::vector<std::string> strings;
        strings.reserve(kWords.size());
        for (std::string_view word : kWords)
            strings.emplace_back(word);
        benchmark::DoNotOptimize(strings.data());
        benchmark::ClobberMemory();
    }
}
void BM_VectorOfStrings16_Counting(benchmark::State& state)
{
    BM_VectorOfStrings<false>(state);
}
void BM_VectorOfStrings16_Paused(benchmark::State& state)
{
    BM_VectorOfStrings<true>(state);
}
BENCHMARK(BM_VectorOfStrings16_Counting);
BENCHMARK(BM_VectorOfStrings16_Paused);

// ---------------------------------------------------------------------------------------
// OperationScope and LogHistogram.

void BM_OperationScope_Skip(benchmark::State& state)
{
    static const OperationRegistry::Id id = OperationRegistry::global().intern("bench.scope.skip");
    AllocationCounters allocs(state);
    for (auto _ : state) {
        OperationScope scope(id, OperationScope::CpuTime::Skip);
        benchmark::ClobberMemory();
    }
}
// Threads(2): both threads record into the same operation (shared atomics).
BENCHMARK(BM_OperationScope_Skip)->Threads(1)->Threads(2);

void BM_OperationScope_Measure(benchmark::State& state)
{
    static const OperationRegistry::Id id = OperationRegistry::global().intern("bench.scope.measure");
    AllocationCounters allocs(state);
    for (auto _ : state) {
        OperationScope scope(id, OperationScope::CpuTime::Measure);
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_OperationScope_Measure);

// Durations-like values, log-uniform over 50 ns .. 10 s, precomputed.
std::vector<std::uint64_t> histogramValues()
{
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> exponent(std::log(50.0), std::log(1e10));
    std::vector<std::uint64_t> values(4096);
    for (auto& value : values)
        value = static_cast<std::uint64_t>(std::exp(exponent(rng)));
    return values;
}

void BM_LogHistogramRecord(benchmark::State& state)
{
    const std::vector<std::uint64_t> values = histogramValues();
    const std::size_t mask = values.size() - 1;
    auto histogram = std::make_unique<LogHistogram>();
    std::size_t i = 0;
    AllocationCounters allocs(state);
    for (auto _ : state)
        histogram->record(values[i++ & mask]);
    allocs.finish();
    benchmark::DoNotOptimize(histogram->count());
}
BENCHMARK(BM_LogHistogramRecord);

} // namespace

BENCHMARK_MAIN();
