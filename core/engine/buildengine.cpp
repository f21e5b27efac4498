#include "engine/buildengine.h"

#include "context/contexterror.h"
#include "context/contexttar.h"
#include "context/fingerprint.h"
#include "context/servicebuild.h"
#include "engine/buildlogsink.h"
#include "engine/containerruntime.h"
#include "engine/processrunner.h"
#include "engine/signalname.h"
#include "io/closeonexec.h"
#include "run/processkey.h"
#include "run/seriesid.h"
#include "run/units.h"
#include "memory/enginepools.h"
#include "memory/processmemory.h"
#include "engine/samplesources.h"
#include "spec/asflags.h"
#include "spec/imageuri.h"
#include "spec/substitution.h"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <pthread.h>
#include <spdlog/logger.h>
#include <sys/resource.h>
#include <unistd.h>

namespace buildscope {

namespace {

std::unique_ptr<Sampler> makeSampler(
    double hz, const TimeSeriesStore::Config& store, const LiveProcessSet* ledger, ProcessTreeSource*& tree)
{
    std::vector<std::unique_ptr<SampleSource>> sources;
    sources.push_back(std::make_unique<SelfMemorySource>());
    auto treeSource = std::make_unique<ProcessTreeSource>(ledger);
    tree = treeSource.get();
    sources.push_back(std::move(treeSource));
    sources.push_back(std::make_unique<HeapSource>());
    sources.push_back(std::make_unique<PoolSource>(EnginePools::instance().all()));
    return std::make_unique<Sampler>(std::move(sources), Sampler::Options {hz, store});
}

double cpuSeconds(const timeval& time)
{
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
}

// Counters are cumulative per process; a run reports what happened during it.
PoolStatistics poolDelta(const PoolStatistics& end, const PoolStatistics* start)
{
    PoolStatistics delta = end;
    if (start) {
        delta.acquires -= start->acquires;
        delta.hits -= start->hits;
        delta.misses -= start->misses;
        delta.releases -= start->releases;
        delta.discards -= start->discards;
    }
    return delta;
}

} // namespace

BuildEngine::BuildEngine(BuildSpec spec, EngineOptions options)
    : m_spec(std::move(spec))
    , m_options(std::move(options))
    , m_log(m_options.logEntries, m_options.logBytes)
{
    m_sampler = makeSampler(
        m_options.sampleHz.value_or(m_spec.sampleHz), m_options.store, &m_liveProcesses, m_treeSource);
    m_progress.steps.assign(m_spec.steps.size(), StepStatus::Pending);
    m_result.specName = m_spec.name;
    m_result.specFile = m_spec.file;
    m_result.context = m_spec.context;
    m_result.sampleHz = m_sampler->hz();
    m_result.labels = m_options.labels;
    for (const StepSpec& step : m_spec.steps) {
        StepResult& result = m_result.steps.emplace_back();
        result.name = step.name;
        result.kind = step.kind;
    }
}

BuildEngine::~BuildEngine()
{
    cancel();
    if (m_thread.joinable())
        m_thread.join();
}

void BuildEngine::start()
{
    if (m_thread.joinable() || isFinished())
        throw std::logic_error("BuildEngine::start: an engine runs once");
    m_poolsAtStart = EnginePools::instance().statistics();
    m_startedAt = std::chrono::system_clock::now();
    // Started here, before the worker exists, so that every thread that can call
    // progress() sees the sampler's start time without a race.
    m_sampler->start();
    m_thread = std::thread([this] { execute(); });
}

const RunResult& BuildEngine::run()
{
    start();
    wait();
    return m_result;
}

void BuildEngine::cancel() noexcept
{
    m_cancel.store(true, std::memory_order_relaxed);
}

void BuildEngine::wait()
{
    std::unique_lock lock(m_finishedMutex);
    m_finishedCondition.wait(lock, [this] { return isFinished(); });
    lock.unlock();
    if (m_thread.joinable())
        m_thread.join();
}

bool BuildEngine::waitFor(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_finishedMutex);
    if (!m_finishedCondition.wait_for(lock, timeout, [this] { return isFinished(); }))
        return false;
    lock.unlock();
    if (m_thread.joinable())
        m_thread.join();
    return true;
}

RunProgress BuildEngine::progress() const
{
    std::lock_guard lock(m_stateMutex);
    RunProgress progress = m_progress;
    if (progress.status == RunStatus::Running)
        progress.elapsedSeconds = m_sampler->secondsSinceStart();
    return progress;
}

std::vector<StepResult> BuildEngine::stepResults() const
{
    std::lock_guard lock(m_stateMutex);
    return m_result.steps;
}

RunResult BuildEngine::resultSoFar() const
{
    RunResult partial;
    partial.steps = stepResults();
    const double now = m_sampler->store().snapshot().lastSeconds();
    for (StepResult& step : partial.steps) {
        if (step.status != StepStatus::Running || std::isnan(now))
            continue;
        step.endSeconds = std::max(now, step.startSeconds);
        const bool process = step.kind == StepKind::Run || step.kind == StepKind::Container;
        const double peak = seriesMax(process ? seriesName(SeriesId::TreeRss) : seriesName(SeriesId::EngineRss),
            step.startSeconds, step.endSeconds);
        step.peakRssBytes = std::isnan(peak) ? 0 : static_cast<std::uint64_t>(peak); // sampled so far
        step.peakIsProcessTree = process;
        step.treePeakRssBytes = process ? step.peakRssBytes : 0;
    }
    for (const StepResult& step : partial.steps)
        partial.treePeakRssBytes = std::max(partial.treePeakRssBytes, step.treePeakRssBytes);
    if (!std::isnan(now)) {
        const double engine = seriesMax(seriesName(SeriesId::EngineRss), 0, now);
        partial.enginePeakRssBytes = std::isnan(engine) ? 0 : static_cast<std::uint64_t>(engine);
    }
    partial.pools = poolStatistics();
    return partial;
}

std::size_t BuildEngine::drainProcesses(std::vector<ProcessRecord>& out)
{
    std::lock_guard lock(m_stateMutex);
    const std::size_t count = m_endedProcesses.size();
    out.insert(out.end(), std::make_move_iterator(m_endedProcesses.begin()),
        std::make_move_iterator(m_endedProcesses.end()));
    m_endedProcesses.clear();
    return count;
}

std::vector<ProcessRecord> BuildEngine::runningProcesses() const
{
    std::vector<ProcessRecord> running;
    {
        std::lock_guard lock(m_stateMutex);
        running.reserve(m_runningProcesses.size());
        for (const auto& [id, record] : m_runningProcesses)
            running.push_back(record);
    }
    for (ProcessRecord& record : running) {
        record.endSeconds = record.startSeconds; // not ended: no wall time yet
        record.key = processKey(record, m_spec.context);
    }
    std::sort(running.begin(), running.end(),
        [](const ProcessRecord& a, const ProcessRecord& b) { return a.startSeconds < b.startSeconds; });
    return running;
}

std::vector<PoolStatistics> BuildEngine::poolStatistics() const
{
    std::vector<PoolStatistics> result;
    for (const PoolStatistics& pool : EnginePools::instance().statistics()) {
        const auto start = std::find_if(m_poolsAtStart.begin(), m_poolsAtStart.end(),
            [&](const PoolStatistics& candidate) { return candidate.name == pool.name; });
        result.push_back(poolDelta(pool, start == m_poolsAtStart.end() ? nullptr : &*start));
    }
    return result;
}

std::size_t BuildEngine::drainEvents(std::vector<EngineEvent>& out)
{
    std::lock_guard lock(m_stateMutex);
    const std::size_t count = m_events.size();
    out.insert(out.end(), m_events.begin(), m_events.end());
    m_events.clear();
    return count;
}

void BuildEngine::pushEvent(EngineEvent::Type type, int step)
{
    std::lock_guard lock(m_stateMutex);
    if (m_events.size() == kMaxQueuedEvents)
        m_events.pop_front(); // a reader that never drains must not grow the queue
    m_events.push_back({type, step, m_sampler->secondsSinceStart()});
}

void BuildEngine::setStepStatus(std::size_t index, StepStatus status)
{
    std::lock_guard lock(m_stateMutex);
    m_progress.steps[index] = status;
    m_result.steps[index].status = status;
    if (status == StepStatus::Running) {
        m_progress.currentStep = static_cast<int>(index);
        m_progress.stepStartSeconds = m_sampler->secondsSinceStart();
        m_result.steps[index].startSeconds = m_progress.stepStartSeconds;
    } else if (m_progress.currentStep == static_cast<int>(index)) {
        m_progress.currentStep = -1;
    }
}

std::optional<std::string> BuildEngine::variable(std::string_view name) const
{
    if (name == "DIGEST")
        return m_digest.empty() ? std::nullopt : std::optional(m_digest);
    if (name == "IMAGE_URI")
        return m_imageUri.empty() ? std::nullopt : std::optional(m_imageUri);
    if (name == "BUILD_ARG_FLAGS")
        return buildArgFlagsForShell(m_spec.buildArgs);
    if (name == "CONTEXT")
        return m_spec.context.string();
    for (const auto& [key, value] : m_resolvedEnv) {
        if (key == name)
            return value;
    }
    if (const char* value = std::getenv(std::string(name).c_str()))
        return std::string(value);
    return std::nullopt;
}

std::string BuildEngine::substitute(std::string_view text) const
{
    return substituteVariables(text, [this](std::string_view name) { return variable(name); });
}

void BuildEngine::resolveEnvironment()
{
    // Each env value sees BuildScope's variables, the env entries above it and the
    // inherited environment (docs/SPEC.md), so resolve them in file order.
    m_resolvedEnv.clear();
    for (const auto& [name, value] : m_spec.env)
        m_resolvedEnv.emplace_back(name, substitute(value));
}

std::vector<std::string> BuildEngine::childEnvironment() const
{
    std::vector<std::pair<std::string, std::string>> overrides = m_resolvedEnv;
    overrides.emplace_back("CONTEXT", m_spec.context.string());
    overrides.emplace_back("BUILD_ARG_FLAGS", buildArgFlagsForShell(m_spec.buildArgs));
    if (!m_digest.empty())
        overrides.emplace_back("DIGEST", m_digest);
    if (!m_imageUri.empty())
        overrides.emplace_back("IMAGE_URI", m_imageUri);

    std::vector<std::string> environment;
    for (std::string& variable : currentEnvironment()) {
        const std::string_view name = std::string_view(variable).substr(0, variable.find('='));
        const bool overridden
            = std::any_of(overrides.begin(), overrides.end(), [&](const auto& entry) { return entry.first == name; });
        if (!overridden)
            environment.push_back(std::move(variable));
    }
    for (const auto& [name, value] : overrides)
        environment.push_back(name + "=" + value);
    return environment;
}

double BuildEngine::seriesMax(const char* series, double begin, double end) const
{
    const int index = m_sampler->seriesIndex(series);
    if (index < 0)
        return std::nan("");
    const TimeSeriesStore::Range range = m_sampler->store().snapshot().range(begin, end, 1);
    if (range.buckets.empty())
        return std::nan("");
    return range.maxAt(static_cast<std::size_t>(index), 0);
}

void BuildEngine::execute()
{
    m_result.host = HostInfo::current();
    m_result.startedAt = m_startedAt;
    HeapTracker::resetPeak();
    OperationRegistry::global().reset();

    m_sink = std::make_shared<BuildLogSink>(m_log, std::chrono::steady_clock::now(), m_options.onLogEntry);
    m_logger = std::make_shared<spdlog::logger>("engine", m_sink);
    m_logger->set_level(spdlog::level::debug);
    m_logger->info(
        "run of '{}' started ({} steps, sampling at {} Hz)", m_spec.name, m_spec.steps.size(), m_sampler->hz());

    try {
        if (m_spec.ignoreFile) {
            try {
                m_ignoreRules = IgnoreRules::load(*m_spec.ignoreFile);
            } catch (const std::invalid_argument& error) {
                throw std::runtime_error(m_spec.ignoreFile->string() + ": " + error.what());
            }
        }
        // An image tag without {digest} is known before any step runs.
        if (!m_spec.image.repository.empty() && m_spec.image.tag.find("{digest") == std::string::npos)
            m_imageUri = imageUri(m_spec.image, {});
    } catch (const std::exception& error) {
        m_result.failure = error.what();
        m_logger->error("{}", error.what());
    }

    RunStatus status = m_result.failure.empty() ? RunStatus::Succeeded : RunStatus::Failed;
    for (std::size_t i = 0; i < m_spec.steps.size() && status == RunStatus::Succeeded; ++i) {
        if (cancelRequested()) {
            status = RunStatus::Cancelled;
            break;
        }
        const StepSpec& step = m_spec.steps[i];
        setStepStatus(i, StepStatus::Running);
        pushEvent(EngineEvent::Type::StepStarted, static_cast<int>(i));
        StepResult result = executeStep(i);
        {
            std::lock_guard lock(m_stateMutex);
            m_result.steps[i] = result;
        }
        setStepStatus(i, result.status);
        pushEvent(EngineEvent::Type::StepFinished, static_cast<int>(i));

        const bool failed = result.status == StepStatus::Failed || result.status == StepStatus::TimedOut;
        if (result.status == StepStatus::Cancelled) {
            status = RunStatus::Cancelled;
        } else if (failed && !step.continueOnError) {
            status = RunStatus::Failed;
            m_result.failure = "step '" + step.name + "' " + stepStatusName(result.status)
                + (result.note.empty() ? "" : ": " + result.note);
        } else if (failed) {
            m_logger->warn("step '{}' {}, continuing (continue_on_error)", step.name, stepStatusName(result.status));
        }
    }
    if (cancelRequested() && status == RunStatus::Succeeded)
        status = RunStatus::Cancelled;
    for (std::size_t i = 0; i < m_spec.steps.size(); ++i) {
        if (m_result.steps[i].status == StepStatus::Pending)
            setStepStatus(i, StepStatus::NotRun);
    }

    m_logger->info("run {} after {}", runStatusName(status), formatDuration(m_sampler->secondsSinceStart()));
    m_sampler->stop(); // takes a final sample: nothing measured is lost

    const double end = m_sampler->store().snapshot().lastSeconds();
    const double engineRss = seriesMax(seriesName(SeriesId::EngineRss), 0, end);
    m_result.enginePeakRssBytes = std::isnan(engineRss) ? 0 : static_cast<std::uint64_t>(engineRss);
    for (const StepResult& step : m_result.steps)
        m_result.treePeakRssBytes = std::max(m_result.treePeakRssBytes, step.treePeakRssBytes);
    m_result.heap = HeapTracker::snapshot();
    m_result.heapPeakLiveBytes = m_result.heap.peakLiveBytes;
    m_result.pools = poolStatistics();
    m_result.operations = OperationRegistry::global().statistics();
    m_result.digest = m_digest;
    m_result.imageUri = m_imageUri;
    m_result.endedAt = std::chrono::system_clock::now();
    {
        std::lock_guard lock(m_stateMutex);
        m_result.status = status;
        m_progress.status = status;
        m_progress.currentStep = -1;
        m_progress.elapsedSeconds = m_sampler->secondsSinceStart();
    }
    pushEvent(EngineEvent::Type::RunFinished, -1);
    {
        std::lock_guard lock(m_finishedMutex);
        m_finished.store(true, std::memory_order_release);
    }
    m_finishedCondition.notify_all();
}

StepResult BuildEngine::executeStep(std::size_t index)
{
    const StepSpec& step = m_spec.steps[index];
    StepResult result;
    result.name = step.name;
    result.kind = step.kind;
    result.startSeconds = m_sampler->secondsSinceStart();
    const HeapCounters heapStart = HeapTracker::snapshot().totals;
    rusage usageStart {};
    ::getrusage(RUSAGE_SELF, &usageStart);
    m_logger->info("step '{}' ({}) started", step.name, stepKindName(step.kind));

    try {
        switch (step.kind) {
        case StepKind::Checksum:
            runChecksum(step, result);
            break;
        case StepKind::Tar:
            runTar(step, result);
            break;
        case StepKind::Run:
            runCommand(step, result);
            break;
        case StepKind::Container:
            runContainer(step, result);
            break;
        }
    } catch (const Cancelled&) {
        result.status = StepStatus::Cancelled;
    } catch (const std::exception& error) {
        result.status = StepStatus::Failed;
        result.note = error.what();
    }
    result.endSeconds = m_sampler->secondsSinceStart();

    const HeapCounters heap = HeapTracker::snapshot().totals - heapStart;
    result.engineAllocations = heap.allocations;
    result.engineAllocatedBytes = heap.bytesAllocated;
    if (step.kind == StepKind::Checksum || step.kind == StepKind::Tar) {
        rusage usageEnd {};
        ::getrusage(RUSAGE_SELF, &usageEnd);
        result.userCpuSeconds = cpuSeconds(usageEnd.ru_utime) - cpuSeconds(usageStart.ru_utime);
        result.systemCpuSeconds = cpuSeconds(usageEnd.ru_stime) - cpuSeconds(usageStart.ru_stime);
        // A step shorter than the sampling period may hold no sample: the RSS at its end
        // is then the best figure there is.
        const double engineRss = seriesMax(seriesName(SeriesId::EngineRss), result.startSeconds, result.endSeconds);
        const std::optional<SelfMemory> now = readSelfMemory();
        result.peakRssBytes
            = std::max(std::isnan(engineRss) ? 0 : static_cast<std::uint64_t>(engineRss), now ? now->rssBytes : 0);
    }

    const std::string wall = formatDuration(result.wallSeconds());
    if (result.status == StepStatus::Succeeded || result.status == StepStatus::Skipped)
        m_logger->info("step '{}' {} in {}{}{}", step.name, stepStatusName(result.status), wall,
            result.note.empty() ? "" : ": ", result.note);
    else
        m_logger->error("step '{}' {} after {}{}{}", step.name, stepStatusName(result.status), wall,
            result.note.empty() ? "" : ": ", result.note);
    return result;
}

void BuildEngine::runChecksum(const StepSpec&, StepResult& result)
{
    FingerprintOptions options;
    options.cancel = &m_cancel;
    const Fingerprint fingerprint = fingerprintContext(m_spec.context, m_ignoreRules, options);
    m_digest = fingerprint.digest;
    if (!m_spec.image.repository.empty())
        m_imageUri = imageUri(m_spec.image, m_digest);
    result.status = StepStatus::Succeeded;
    result.note = m_digest + " (" + std::to_string(fingerprint.files) + " files, " + std::to_string(fingerprint.bytes)
        + " bytes)";
}

void BuildEngine::runTar(const StepSpec& step, StepResult& result)
{
    TarOptions options;
    options.cancel = &m_cancel;
    std::filesystem::create_directories(step.tarOutput.parent_path());
    const TarResult tar = writeContextTar(m_spec.context, m_ignoreRules, step.tarOutput, options);
    result.status = StepStatus::Succeeded;
    result.note = step.tarOutput.string() + " (" + std::to_string(tar.entries) + " entries, "
        + std::to_string(tar.archiveBytes) + " bytes)";
}

void BuildEngine::runCommand(const StepSpec& step, StepResult& result)
{
    if (!step.argv.empty()) {
        m_logger->debug("$ {}", step.command);
        runProcess(step, step.argv, -1, result);
        return;
    }
    std::string command;
    try {
        resolveEnvironment();
        command = substitute(step.command);
    } catch (const std::invalid_argument& error) {
        result.status = StepStatus::Failed;
        result.note = error.what();
        return;
    }
    m_logger->debug("$ {}", command);
    runProcess(step, {"/bin/sh", "-c", command}, -1, result);
    if (result.status == StepStatus::Failed && result.exitCode == 127)
        result.note = "command not found (exit status 127)";
}

void BuildEngine::runContainer(const StepSpec& step, StepResult& result)
{
    std::string whyNot;
    const std::optional<ContainerRuntime> runtime = findContainerRuntime(step.containerRuntime, whyNot);
    if (!runtime) {
        result.status = step.optional ? StepStatus::Skipped : StepStatus::Failed;
        result.note = "no usable container runtime (" + whyNot + ")";
        return;
    }
    if (m_imageUri.empty())
        throw std::runtime_error("the image tag uses {digest}: run a checksum step before '" + step.name + "'");
    resolveEnvironment();

    std::vector<std::string> argv {runtime->executable, "build", "-f", step.dockerfile.string(), "-t", m_imageUri};
    const BuildSettings settings = containerBuildSettings(); // asFlags' views point into it
    for (std::string_view flag : asFlags(settings))
        argv.emplace_back(flag);
    argv.emplace_back("-"); // the build context arrives as a tar on stdin

    int fds[2];
    if (io::openPipe(fds) != 0)
        throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
    int readEnd = fds[0];
    const int writeEnd = fds[1];
    std::string tarError;
    std::thread writer;
    auto startWriter = [&] {
        ::close(readEnd); // only the child reads; an early exit of the child must reach the writer as EPIPE
        readEnd = -1;
        writer = std::thread([&, writeEnd] {
            sigset_t pipeSignal;
            sigemptyset(&pipeSignal);
            sigaddset(&pipeSignal, SIGPIPE);
            pthread_sigmask(SIG_BLOCK, &pipeSignal, nullptr);
            try {
                TarOptions options;
                options.cancel = &m_cancel;
                writeContextTar(m_spec.context, m_ignoreRules, writeEnd, options);
            } catch (const std::exception& error) {
                tarError = error.what();
            }
            ::close(writeEnd);
        });
    };
    runProcess(step, std::move(argv), readEnd, result, startWriter);
    if (readEnd >= 0) { // the process never started
        ::close(readEnd);
        ::close(writeEnd);
    }
    if (writer.joinable())
        writer.join();
    if (!tarError.empty() && result.status == StepStatus::Succeeded) {
        result.status = StepStatus::Failed;
        result.note = "writing the context to the container build failed: " + tarError;
    }
}

BuildSettings BuildEngine::containerBuildSettings() const
{
    BuildSettings settings;
    for (const auto& [key, value] : m_spec.buildArgs)
        settings.options.emplace_back("--build-arg", key + "=" + value);
    // The seed's specialized (Go, Maven, Python) builds found the service's protobuf
    // packages and files and handed them to its builder. docker and podman take build
    // arguments, so the Dockerfile receives them as PROTO_PACKAGES and PROTO_FILES
    // (space-separated, relative to the context; docs/SPEC.md).
    if (!m_spec.preset.empty()) {
        const ServiceBuild service = discoverServiceBuild(m_spec.context, m_ignoreRules);
        auto joined = [](const std::vector<std::string>& items) {
            std::string text;
            for (const std::string& item : items)
                text += (text.empty() ? "" : " ") + item;
            return text;
        };
        if (!service.protoFiles.empty()) {
            settings.options.emplace_back("--build-arg", "PROTO_PACKAGES=" + joined(service.protoPackages));
            settings.options.emplace_back("--build-arg", "PROTO_FILES=" + joined(service.protoFiles));
        }
    }
    return settings;
}

void BuildEngine::runProcess(const StepSpec& step, std::vector<std::string> argv, int stdinFd, StepResult& result,
    const std::function<void()>& afterStart)
{
    ProcessSpec process;
    process.argv = std::move(argv);
    process.workingDirectory = m_spec.context;
    process.environment = childEnvironment();
    process.stdinFd = stdinFd;
    process.timeout = step.timeout;
    process.killGrace = m_options.killGrace;
    process.traceProcesses = m_options.traceProcesses;
    process.clockOrigin = m_sampler->startTime(); // records on the run's clock
    process.liveProcesses = &m_liveProcesses;
    // Each record as it ends, for viewers; the whole ledger arrives with the outcome.
    // Each record as it starts (who is running now) and as it ends, for viewers; the whole
    // ledger arrives with the outcome.
    // This runs on the ledger's tracer thread, which every process of the build waits on:
    // a started record is only stored; its key is made by the reader (runningProcesses()).
    process.onRecord = [this, &step](ProcessRecordEvent event, const ProcessRecord& record) {
        const std::pair<pid_t, unsigned> id {record.pid, record.execCount};
        if (event == ProcessRecordEvent::Started) {
            std::lock_guard lock(m_stateMutex);
            if (m_runningProcesses.size() < kMaxRunningShown) {
                ProcessRecord& started = m_runningProcesses[id] = record;
                started.step = step.name;
            }
            return;
        }
        ProcessRecord copy = record;
        copy.step = step.name;
        copy.key = processKey(copy, m_spec.context);
        std::lock_guard lock(m_stateMutex);
        m_runningProcesses.erase(id);
        if (m_endedProcesses.size() < kMaxQueuedEvents * 16) // a viewer that never drains must not grow it
            m_endedProcesses.push_back(std::move(copy));
    };

    auto stepLogger = std::make_shared<spdlog::logger>(step.name, m_sink);
    const ProcessOutcome outcome = ProcessRunner::run(
        process,
        [&](LogStream stream, std::string_view line) {
            BuildLogSink::StreamScope scope(stream);
            stepLogger->log(spdlog::level::info, spdlog::string_view_t(line.data(), line.size()));
        },
        m_cancel,
        [&](pid_t pid) {
            m_treeSource->watch(pid);
            if (afterStart)
                afterStart();
        });
    m_treeSource->watch(0);
    {
        // The step's tree is gone: nothing of it runs any more, whatever events were missed.
        std::lock_guard lock(m_stateMutex);
        m_runningProcesses.clear();
    }
    if (!outcome.ledgerNote.empty())
        m_logger->warn("step '{}': {}", step.name, outcome.ledgerNote);
    {
        std::lock_guard lock(m_stateMutex);
        for (ProcessRecord record : outcome.processes) {
            record.step = step.name;
            record.key = processKey(record, m_spec.context);
            m_result.processes.push_back(std::move(record));
        }
    }

    result.userCpuSeconds = outcome.userCpuSeconds;
    result.systemCpuSeconds = outcome.systemCpuSeconds;
    result.peakIsProcessTree = true;
    const double sampledTree = seriesMax(seriesName(SeriesId::TreeRss), result.startSeconds, m_sampler->secondsSinceStart());
    const std::uint64_t sampled = std::isnan(sampledTree) ? 0 : static_cast<std::uint64_t>(sampledTree);
    // With the ledger: the largest process's exact peak, what /usr/bin/time reports. The
    // tree's own peak is the sampled sum, or that process if it peaked between samples.
    const bool traced = !outcome.processes.empty();
    result.peakRssBytes = traced ? outcome.maxRssBytes : sampled;
    result.peakExact = traced
        && std::any_of(outcome.processes.begin(), outcome.processes.end(), [&](const ProcessRecord& record) {
               return record.peakExact && record.peakRssBytes == outcome.maxRssBytes;
           });
    result.treePeakRssBytes = std::max(sampled, result.peakRssBytes);

    switch (outcome.end) {
    case ProcessOutcome::End::Exited:
        result.exitCode = outcome.exitCode;
        result.status = outcome.exitCode == 0 ? StepStatus::Succeeded : StepStatus::Failed;
        if (outcome.exitCode != 0)
            result.note = "exit status " + std::to_string(outcome.exitCode);
        break;
    case ProcessOutcome::End::Signaled:
        result.signal = outcome.signal;
        result.status = StepStatus::Failed;
        result.note = "killed by " + signalName(outcome.signal);
        break;
    case ProcessOutcome::End::TimedOut:
        result.status = StepStatus::TimedOut;
        if (outcome.signal)
            result.signal = outcome.signal;
        result.note = "timed out after "
            + std::to_string(std::chrono::duration<double>(step.timeout.value_or(std::chrono::milliseconds(0))).count())
            + " s";
        break;
    case ProcessOutcome::End::Cancelled:
        result.status = StepStatus::Cancelled;
        if (outcome.signal)
            result.signal = outcome.signal;
        result.note = "cancelled";
        break;
    case ProcessOutcome::End::FailedToStart:
        result.status = StepStatus::Failed;
        result.note = outcome.error;
        break;
    }
}

} // namespace buildscope
