// Spec-side operations of the seed's benchmark table: AsFlags, ImageURI, and the
// "specialized builds" (presets), plus loading a realistic buildscope.yaml. Every
// benchmark reports allocs/iter and bytes/iter next to its time, because the seed's
// figures that mattered were allocation counts (AsFlags 2 -> 1; ImageURI 2 -> 9 once
// pooled).
#include "benchsupport.h"
#include "spec/asflags.h"
#include "spec/imageuri.h"
#include "spec/presets.h"
#include "spec/specloader.h"

#include <benchmark/benchmark.h>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

using namespace buildscope;
namespace fs = std::filesystem;

// The seed's AsFlags input: 8 flag/value pairs, --verbose, 5 protobuf packages and 5
// protobuf files, 37 strings in all (the same as tests/spec/tst_asflags.cpp).
BuildSettings seedSettings()
{
    BuildSettings settings;
    settings.options = {{"--image", "registry.example.com/services/payments"}, {"--tag", "v1.42.0-rc.1"},
        {"--dockerfile", "deploy/docker/Dockerfile.release"}, {"--context", "/workspace/services/payments"},
        {"--platform", "linux/amd64"}, {"--target", "runtime"}, {"--build-arg", "GO_VERSION=1.22"},
        {"--label", "org.opencontainers.image.source=https://example.com/payments"}};
    settings.verbose = true;
    settings.protoPackages = {"payments.v1", "payments.v1.internal", "ledger.v2", "common.money.v1", "common.audit.v1"};
    settings.protoFiles = {"proto/payments/v1/payments.proto", "proto/payments/v1/internal/refunds.proto",
        "proto/ledger/v2/ledger.proto", "proto/common/money/v1/money.proto", "proto/common/audit/v1/audit.proto"};
    return settings;
}

void BM_AsFlags(benchmark::State& state)
{
    if (!bench::requireHeapHook(state))
        return;
    const BuildSettings settings = seedSettings();
    bench::AllocationCounters allocations(state);
    for (auto _ : state) {
        std::vector<std::string_view> flags = asFlags(settings);
        benchmark::DoNotOptimize(flags.data());
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_AsFlags);


// Four URIs per iteration, as the seed measured (its pooled version: 9 allocations).
void BM_ImageURI(benchmark::State& state)
{
    if (!bench::requireHeapHook(state))
        return;
    const ImageSpec spec {"registry.example.com:5000", "services/payments", "v1-{digest:12}"};
    const std::string digest = "xxh3-128:v1:0123456789abcdef0123456789abcdef";
    bench::AllocationCounters allocations(state);
    for (auto _ : state) {
        std::string a = imageUri("localhost:5000", "demo/app", "v1.2.3");
        std::string b = imageUri("", "services/payments", "0123456789ab");
        std::string c = imageUri("registry.example.com:443", "team/service", "latest");
        std::string d = imageUri(spec, digest);
        benchmark::DoNotOptimize(a.data());
        benchmark::DoNotOptimize(b.data());
        benchmark::DoNotOptimize(c.data());
        benchmark::DoNotOptimize(d.data());
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_ImageURI);

// A spec like the ones in docs/SPEC.md: every top-level key, six steps, ${VAR}s to check.
constexpr std::string_view kRealisticSpec = R"(version: 1
name: payments
context: service
ignore_file: .dockerignore
image: { registry: "localhost:5000", repository: services/payments, tag: "{digest:12}" }
build_args:
  GO_VERSION: "1.22"
  CGO_ENABLED: "0"
  BUILD_TYPE: Release
env:
  GOFLAGS: -trimpath
  CXXFLAGS: -O2 -pipe
  LDFLAGS: -s -w
  OUT: ${CONTEXT}/build
sample_hz: 20
steps:
  - name: fingerprint
    checksum: {}
  - name: context
    tar: { output: build/context.tar }
  - name: test
    run: go test ./...
    timeout: 10m
  - name: compile
    run: go build -o ${OUT}/app ./cmd/payments
    timeout: 300s
  - name: image
    container: { runtime: auto, dockerfile: Dockerfile }
    optional: true
    timeout: 30m
  - name: push
    run: docker push ${IMAGE_URI}
    continue_on_error: true
)";

// A scratch directory holding the spec and its context for the lifetime of the program.
class SpecFixture
{
public:
    SpecFixture()
        : m_root(fs::temp_directory_path() / ("buildscope-bench-spec-" + std::to_string(::getpid())))
    {
        fs::create_directories(m_root / "service");
        std::ofstream(m_root / "service" / ".dockerignore") << "build/\n.git/\n";
        std::ofstream(m_root / "buildscope.yaml") << kRealisticSpec;
    }
    ~SpecFixture()
    {
        std::error_code ignored;
        fs::remove_all(m_root, ignored);
    }
    SpecFixture(const SpecFixture&) = delete;
    SpecFixture& operator=(const SpecFixture&) = delete;

    fs::path file() const { return m_root / "buildscope.yaml"; }
    const fs::path& root() const { return m_root; }

private:
    fs::path m_root;
};

const SpecFixture& fixture()
{
    static const SpecFixture instance;
    return instance;
}

void BM_LoadSpec(benchmark::State& state)
{
    if (!bench::requireHeapHook(state))
        return;
    const fs::path file = fixture().file();
    benchmark::DoNotOptimize(loadSpec(file)); // first use: yaml-cpp's and the presets' statics
    bench::AllocationCounters allocations(state);
    for (auto _ : state) {
        BuildSpec spec = loadSpec(file);
        benchmark::DoNotOptimize(spec.steps.data());
    }
}
BENCHMARK(BM_LoadSpec)->Unit(benchmark::kMicrosecond);

// The same without the file read, to show what parsing and validation alone cost.
void BM_ParseSpec(benchmark::State& state)
{
    if (!bench::requireHeapHook(state))
        return;
    const fs::path root = fixture().root();
    benchmark::DoNotOptimize(parseSpec(kRealisticSpec, "buildscope.yaml", root));
    bench::AllocationCounters allocations(state);
    for (auto _ : state) {
        BuildSpec spec = parseSpec(kRealisticSpec, "buildscope.yaml", root);
        benchmark::DoNotOptimize(spec.steps.data());
    }
}
BENCHMARK(BM_ParseSpec)->Unit(benchmark::kMicrosecond);

// The seed's "specialized build" creation: a bare spec filled from a preset. Each
// iteration needs a fresh spec, so only applyPreset() itself is timed (manual time) and
// counted (thread counters read around the call); the copy of the bare spec is not.
void BM_ApplyPreset(benchmark::State& state, std::string_view presetName)
{
    if (!bench::requireHeapHook(state))
        return;
    const BuildPreset* preset = findPreset(presetName);
    if (!preset) {
        state.SkipWithError("unknown preset");
        return;
    }
    BuildSpec bare;
    bare.file = "/workspace/services/payments/buildscope.yaml";
    bare.name = "payments";
    bare.preset = std::string(presetName);
    bare.context = "/workspace/services/payments";

    std::uint64_t allocations = 0;
    std::uint64_t bytes = 0;
    for (auto _ : state) {
        BuildSpec spec = bare;
        const HeapCounters before = HeapTracker::currentThread();
        const auto start = std::chrono::steady_clock::now();
        applyPreset(spec, *preset);
        const auto end = std::chrono::steady_clock::now();
        const HeapCounters delta = HeapTracker::currentThread() - before;
        allocations += delta.allocations;
        bytes += delta.bytesAllocated;
        state.SetIterationTime(std::chrono::duration<double>(end - start).count());
        benchmark::DoNotOptimize(spec.steps.data());
    }
    state.counters["allocs/iter"]
        = benchmark::Counter(static_cast<double>(allocations), benchmark::Counter::kAvgIterations);
    state.counters["bytes/iter"] = benchmark::Counter(static_cast<double>(bytes), benchmark::Counter::kAvgIterations);
}
BENCHMARK_CAPTURE(BM_ApplyPreset, go, std::string_view("go"))->UseManualTime();
BENCHMARK_CAPTURE(BM_ApplyPreset, maven, std::string_view("maven"))->UseManualTime();
BENCHMARK_CAPTURE(BM_ApplyPreset, python, std::string_view("python"))->UseManualTime();

} // namespace

BENCHMARK_MAIN();
