// Benchmarks of core/context: the streamed XXH3-128 checksum of in-memory buffers (the
// seed's "Checksum Computation" sizes plus 1 MiB), and fingerprint, tar and service-build
// discovery of a generated context directory.
//
// Every benchmark reports allocs/iter and bytes/iter (see benchsupport.h). Fingerprint
// and tar allocate on the calling thread only (their helper threads hash into pooled
// buffers), but they are charged process-wide so nothing escapes the count. Fingerprint
// with helper threads reports real time: its CPU time column is the calling thread's only.
// XXH3_state_t on the stack needs the static-linking-only API.
#define XXH_STATIC_LINKING_ONLY

#include "benchsupport.h"
#include "context/contexttar.h"
#include "context/fingerprint.h"
#include "context/servicebuild.h"
#include "memory/bufferpool.h"
#include "memory/enginepools.h"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>
#include <xxhash.h>

namespace {

using namespace buildscope;
using bench::AllocationCounters;
using bench::HeapScope;
namespace fs = std::filesystem;

constexpr std::int64_t KiB = 1024;

// ---------------------------------------------------------------------------------------
// Checksum of an in-memory buffer streamed through a pooled 64 KiB buffer: what the
// seed's streaming checksum did, with XXH3-128 instead of SHA-256.

void BM_ChecksumBuffer(benchmark::State& state)
{
    const auto bytes = static_cast<std::size_t>(state.range(0));
    std::vector<std::byte> input(bytes);
    std::mt19937 generator(42);
    for (std::byte& b : input)
        b = static_cast<std::byte>(generator() & 0xFFu);
    BufferPool& pool = EnginePools::instance().hash();
    {
        BufferLease warm = pool.acquire(); // first use on this thread: not counted
        benchmark::DoNotOptimize(warm.data());
    }
    AllocationCounters allocs(state);
    for (auto _ : state) {
        BufferLease buffer = pool.acquire();
        XXH3_state_t hashState;
        XXH3_128bits_reset(&hashState);
        for (std::size_t offset = 0; offset < bytes;) {
            const std::size_t n = std::min(buffer.size(), bytes - offset);
            std::memcpy(buffer.data(), input.data() + offset, n);
            XXH3_128bits_update(&hashState, buffer.data(), n);
            offset += n;
        }
        const XXH128_hash_t digest = XXH3_128bits_digest(&hashState);
        benchmark::DoNotOptimize(digest);
    }
    allocs.finish();
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_ChecksumBuffer)->Arg(512)->Arg(1 * KiB)->Arg(2 * KiB)->Arg(4 * KiB)->Arg(1024 * KiB);

// ---------------------------------------------------------------------------------------
// A generated context: 25 directories x 20 files of mixed sizes (70 % <= 4 KiB, 20 %
// 32 KiB, 10 % 256 KiB; about 16 MiB), 10 .proto files, a few symlinks. Created once,
// removed at exit; reads come from the page cache after the first iteration.

struct GeneratedContext
{
    fs::path root;
    std::uint64_t files = 0;
    std::uint64_t bytes = 0;

    GeneratedContext()
    {
        std::string pattern = (fs::temp_directory_path() / "bench_context-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw std::runtime_error("mkdtemp failed");
        root = pattern;
        std::mt19937 generator(7);
        constexpr std::size_t sizes[10] = {100, 300, 700, 1024, 2048, 3000, 4096, 32768, 32768, 262144};
        for (int d = 0; d < 25; ++d) {
            const fs::path dir = root / ("dir" + std::to_string(d));
            fs::create_directories(dir);
            for (int f = 0; f < 20; ++f) {
                const std::size_t size = sizes[static_cast<std::size_t>(d * 20 + f) % 10];
                std::string content(size, '\0');
                for (char& c : content)
                    c = static_cast<char>(generator() & 0x7Fu);
                write(dir / ("file" + std::to_string(f) + ".dat"), content);
                bytes += size;
                ++files;
            }
        }
        for (int p = 0; p < 10; ++p) {
            write(root / "proto" / ("svc" + std::to_string(p % 3)) / ("api" + std::to_string(p) + ".proto"),
                "syntax = \"proto3\";\n");
            ++files;
        }
        for (int l = 0; l < 5; ++l)
            fs::create_symlink("dir" + std::to_string(l), root / ("link" + std::to_string(l)));
    }
    ~GeneratedContext()
    {
        std::error_code ec;
        fs::remove_all(root, ec);
    }
    GeneratedContext(const GeneratedContext&) = delete;
    GeneratedContext& operator=(const GeneratedContext&) = delete;

    static void write(const fs::path& path, const std::string& content)
    {
        fs::create_directories(path.parent_path());
        std::ofstream out(path, std::ios::binary);
        out << content;
    }
};

const GeneratedContext& generatedContext()
{
    static const GeneratedContext context;
    return context;
}

void BM_FingerprintContext(benchmark::State& state)
{
    const GeneratedContext& context = generatedContext();
    FingerprintOptions options;
    options.threads = static_cast<unsigned>(state.range(0));
    fingerprintContext(context.root, IgnoreRules(), options); // warms the page cache and the pools
    AllocationCounters allocs(state, HeapScope::Process);
    for (auto _ : state) {
        const Fingerprint f = fingerprintContext(context.root, IgnoreRules(), options);
        benchmark::DoNotOptimize(f.digest.data());
    }
    allocs.finish();
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(context.bytes));
    state.counters["files"] = static_cast<double>(context.files);
}
BENCHMARK(BM_FingerprintContext)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_TarContext(benchmark::State& state)
{
    const GeneratedContext& context = generatedContext();
    const int devNull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (devNull < 0) {
        state.SkipWithError("cannot open /dev/null");
        return;
    }
    TarOptions options;
    options.sourceDateEpoch = 0;
    writeContextTar(context.root, IgnoreRules(), devNull, options);
    AllocationCounters allocs(state, HeapScope::Process);
    for (auto _ : state) {
        const TarResult r = writeContextTar(context.root, IgnoreRules(), devNull, options);
        benchmark::DoNotOptimize(r.archiveBytes);
    }
    allocs.finish();
    ::close(devNull);
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(context.bytes));
}
BENCHMARK(BM_TarContext)->Unit(benchmark::kMillisecond);

// The seed's NewServiceBuild: one walk that honours ignore rules, *.proto collected.
void BM_DiscoverServiceBuild(benchmark::State& state)
{
    const GeneratedContext& context = generatedContext();
    const IgnoreRules rules = IgnoreRules::parse("**/*.tmp\nlink*\n");
    discoverServiceBuild(context.root, rules);
    AllocationCounters allocs(state, HeapScope::Process);
    for (auto _ : state) {
        const ServiceBuild build = discoverServiceBuild(context.root, rules);
        benchmark::DoNotOptimize(build.protoFiles.data());
    }
}
BENCHMARK(BM_DiscoverServiceBuild)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
