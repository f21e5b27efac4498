#include "engine/livepublisher.h"

#include "engine/buildengine.h"
#include "memory/operationregistry.h"
#include "run/seriesid.h"

#include <algorithm>
#include <unistd.h>

namespace buildscope {

namespace {

using Clock = std::chrono::steady_clock;
// 40 Hz: a sample reaches a viewer within about 25 ms of being taken.
constexpr auto kTick = std::chrono::milliseconds(25);
constexpr auto kSlowStatistics = std::chrono::milliseconds(500); // pools, operations, progress

} // namespace

struct LivePublisher::RunState
{
    std::shared_ptr<BuildEngine> engine;
    live::RunHeader header;
    std::string headerLine;
    std::uint64_t nextSample = 0; // sequence of the next sample to send
    std::uint64_t nextLog = 0; // sequence of the next log entry to send
    std::vector<StepResult> sentSteps; // as last sent (status and end time tell what changed)
    std::vector<ProcessRecord> processes; // every record sent so far, for viewers that attach later
    std::vector<ProcessRecord> running; // as last sent in a `running` message
    Clock::time_point lastStatistics {};
    bool ended = false;
    std::string endLine;
};

LivePublisher::LivePublisher(const std::filesystem::path& directory, live::LiveRunInfo info)
    : m_directory(directory)
    , m_info(std::move(info))
{
    m_info.socket = live::socketPath(directory, m_info.pid);
    m_server = std::make_unique<live::LiveServer>(m_info.socket);
    live::writeDescriptor(directory, m_info);
    m_thread = std::thread([this] { loop(); });
}

LivePublisher::~LivePublisher()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    if (m_thread.joinable())
        m_thread.join();
    std::error_code error;
    std::filesystem::remove(live::descriptorPath(m_directory, m_info.pid), error);
    m_server.reset(); // removes the socket
}

std::size_t LivePublisher::viewers() const
{
    std::lock_guard lock(m_mutex);
    return m_viewers;
}

void LivePublisher::beginRun(std::shared_ptr<BuildEngine> engine, int index, int count)
{
    auto run = std::make_unique<RunState>();
    const BuildSpec& spec = engine->spec();
    live::RunHeader& header = run->header;
    header.index = index;
    header.count = count;
    header.specName = spec.name;
    header.specFile = spec.file.string();
    header.context = spec.context.string();
    header.sampleHz = engine->sampler().hz();
    header.startedAt = engine->startedAt();
    header.clockOriginNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
        engine->sampler().startTime().time_since_epoch())
                               .count();
    header.labels = engine->options().labels;
    header.host = HostInfo::current();
    header.steps = engine->stepResults();
    header.series = engine->store().series();
    run->headerLine = live::encode(header);
    // The header tells viewers names and kinds only (every step pending). The engine has
    // started, so a step may already be running: track what viewers were told, so the
    // first tick sends its real state rather than taking it as sent.
    for (const StepResult& step : header.steps) {
        StepResult told;
        told.name = step.name;
        told.kind = step.kind;
        run->sentSteps.push_back(std::move(told));
    }
    run->engine = std::move(engine);

    std::lock_guard lock(m_mutex);
    m_run = std::move(run);
    m_outgoing.push_back({m_run->headerLine});
}

void LivePublisher::endRun()
{
    std::lock_guard lock(m_mutex);
    if (!m_run || m_run->ended)
        return;
    const TimeSeriesStore::Snapshot snapshot = m_run->engine->store().snapshot();
    publishDeltas(*m_run, snapshot, true);
    live::RunEnd end;
    end.result = m_run->engine->result();
    m_run->endLine = live::encode(end);
    m_run->ended = true;
    m_outgoing.push_back({m_run->endLine, 0, true});
}

void LivePublisher::finish(int exitCode, std::chrono::milliseconds linger)
{
    {
        std::lock_guard lock(m_mutex);
        m_outgoing.push_back({live::encode(live::Bye {exitCode}), 0, true});
        m_stop = true;
    }
    if (m_thread.joinable())
        m_thread.join(); // it sent what was queued; from here on this thread owns the server
    m_server->flush(linger);
    // Gone from the list of live runs at once; viewers see the connection close.
    std::error_code error;
    std::filesystem::remove(live::descriptorPath(m_directory, m_info.pid), error);
    m_server.reset();
}

void LivePublisher::loop()
{
    // Only this thread touches the server; the session's thread queues lines in
    // m_outgoing, sent here in order before anything newer.
    for (;;) {
        m_server->poll(kTick);
        std::lock_guard lock(m_mutex);
        for (const Outgoing& outgoing : m_outgoing)
            m_server->broadcast(outgoing.line, deliveryOf(outgoing), outgoing.logLines);
        m_outgoing.clear();
        if (m_stop)
            return;
        tick();
    }
}

void LivePublisher::publishDeltas(RunState& run, const TimeSeriesStore::Snapshot& snapshot, bool final)
{
    const BuildEngine& engine = *run.engine;

    // Samples: every full-resolution row since the last tick, in bounded messages.
    live::Samples samples;
    auto flushSamples = [&] {
        if (!samples.rows.empty())
            queue(live::encode(samples));
        samples = {};
    };
    // A tick that fell behind the raw level (it holds 13 minutes at 20 Hz) resumes at its
    // oldest row; the gap is covered by the tiers a newly attaching viewer would get.
    run.nextSample = std::max(run.nextSample, snapshot.firstRawSequence());
    run.nextSample = snapshot.forEachRawRow(run.nextSample, [&](double seconds, std::span<const double> values) {
        samples.times.push_back(seconds);
        samples.rows.emplace_back(values.begin(), values.end());
        if (samples.rows.size() == live::kMaxRowsPerMessage)
            flushSamples();
    });
    flushSamples();

    // Steps whose status or end changed (the running step's end grows on the viewer's side).
    const std::vector<StepResult> steps = engine.stepResults();
    for (std::size_t i = 0; i < steps.size() && i < run.sentSteps.size(); ++i) {
        const StepResult& sent = run.sentSteps[i];
        if (steps[i].status != sent.status || steps[i].endSeconds != sent.endSeconds
            || steps[i].startSeconds != sent.startSeconds) {
            queue(live::encode(live::StepUpdate {i, steps[i]}));
            run.sentSteps[i] = steps[i];
        }
    }

    // Processes that ended since the last tick.
    std::vector<ProcessRecord> ended;
    run.engine->drainProcesses(ended);
    for (std::size_t first = 0; first < ended.size(); first += live::kMaxProcessesPerMessage) {
        const std::size_t last = std::min(ended.size(), first + live::kMaxProcessesPerMessage);
        live::Processes batch;
        batch.processes.assign(ended.begin() + static_cast<std::ptrdiff_t>(first),
            ended.begin() + static_cast<std::ptrdiff_t>(last));
        queue(live::encode(batch));
    }
    run.processes.insert(run.processes.end(), std::make_move_iterator(ended.begin()),
        std::make_move_iterator(ended.end()));

    // Who runs now, when that changed (a started or ended process); one message holds
    // the whole list, so it is cut at the message's bound (the earliest started kept).
    std::vector<ProcessRecord> running = final ? std::vector<ProcessRecord>() : engine.runningProcesses();
    if (running.size() > live::kMaxProcessesPerMessage)
        running.resize(live::kMaxProcessesPerMessage);
    const bool sameRunning = running.size() == run.running.size()
        && std::equal(running.begin(), running.end(), run.running.begin(),
            [](const ProcessRecord& a, const ProcessRecord& b) {
                return a.pid == b.pid && a.execCount == b.execCount && a.startSeconds == b.startSeconds;
            });
    if (!sameRunning) {
        run.running = std::move(running);
        queue(live::encode(live::Running {run.running}));
    }

    // Log lines: every entry since the last tick; entries the bounded log evicted before
    // they were sent are gone for viewers too (the report's log says how many).
    std::vector<LogEntry> entries;
    run.nextLog = engine.log().copySince(run.nextLog, entries);
    for (std::size_t first = 0; first < entries.size(); first += live::kMaxLogEntriesPerMessage) {
        live::LogBatch batch;
        const std::size_t last = std::min(entries.size(), first + live::kMaxLogEntriesPerMessage);
        batch.entries.assign(std::make_move_iterator(entries.begin() + static_cast<std::ptrdiff_t>(first)),
            std::make_move_iterator(entries.begin() + static_cast<std::ptrdiff_t>(last)));
        queue(live::encode(batch), batch.entries.size());
    }

    const auto now = Clock::now();
    if (final || now - run.lastStatistics >= kSlowStatistics) {
        run.lastStatistics = now;
        const RunProgress progress = engine.progress();
        queue(
            live::encode(live::Progress {progress.elapsedSeconds, progress.currentStep, progress.stepStartSeconds}));
        queue(live::encode(live::Pools {engine.poolStatistics()}));
        queue(live::encode(live::Operations {OperationRegistry::global().statistics()}));
    }
}

void LivePublisher::greet(
    live::LiveServer::ClientId client, const RunState* run, const TimeSeriesStore::Snapshot* snapshot)
{
    live::Hello hello;
    hello.enginePid = m_info.pid;
    hello.buildscopeVersion = BUILDSCOPE_VERSION;
    m_server->send(client, live::encode(hello));
    if (!run)
        return;
    m_server->send(client, run->headerLine);

    // Everything the store holds up to the cursor, at the best resolution it has: tier
    // buckets carry their maximum for the series whose peaks matter, as samples.csv does.
    const SeriesColumns columns(snapshot->series());
    std::vector<bool> useMax(snapshot->seriesCount(), false);
    for (SeriesId id : kMaxColumnSeries) {
        if (columns.has(id))
            useMax[static_cast<std::size_t>(columns[id])] = true;
    }
    live::Samples samples;
    snapshot->forEachRow([&](const TimeSeriesStore::Bucket& bucket, std::span<const double> mean,
                             std::span<const double>, std::span<const double> max) {
        std::vector<double>& row = samples.rows.emplace_back(mean.begin(), mean.end());
        for (std::size_t s = 0; s < row.size(); ++s) {
            if (useMax[s])
                row[s] = max[s];
        }
        samples.times.push_back(bucket.begin);
        if (samples.rows.size() == live::kMaxRowsPerMessage) {
            m_server->send(client, live::encode(samples));
            samples = {};
        }
    });
    if (!samples.rows.empty())
        m_server->send(client, live::encode(samples));

    for (std::size_t i = 0; i < run->sentSteps.size(); ++i)
        m_server->send(client, live::encode(live::StepUpdate {i, run->sentSteps[i]}));
    for (std::size_t first = 0; first < run->processes.size() && !run->ended;
         first += live::kMaxProcessesPerMessage) {
        const std::size_t last = std::min(run->processes.size(), first + live::kMaxProcessesPerMessage);
        live::Processes batch;
        batch.processes.assign(run->processes.begin() + static_cast<std::ptrdiff_t>(first),
            run->processes.begin() + static_cast<std::ptrdiff_t>(last));
        m_server->send(client, live::encode(batch));
    }

    if (!run->ended && !run->running.empty())
        m_server->send(client, live::encode(live::Running {run->running}));

    std::vector<LogEntry> entries;
    run->engine->log().copySince(0, entries);
    std::erase_if(entries, [&](const LogEntry& entry) { return entry.sequence >= run->nextLog; });
    for (std::size_t first = 0; first < entries.size(); first += live::kMaxLogEntriesPerMessage) {
        live::LogBatch batch;
        const std::size_t last = std::min(entries.size(), first + live::kMaxLogEntriesPerMessage);
        batch.entries.assign(entries.begin() + static_cast<std::ptrdiff_t>(first),
            entries.begin() + static_cast<std::ptrdiff_t>(last));
        m_server->send(client, live::encode(batch), live::LiveServer::Delivery::Droppable, batch.entries.size());
    }
    const RunProgress progress = run->engine->progress();
    m_server->send(client,
        live::encode(live::Progress {progress.elapsedSeconds, progress.currentStep, progress.stepStartSeconds}));
    m_server->send(client, live::encode(live::Pools {run->engine->poolStatistics()}));
    if (run->ended)
        m_server->send(client, run->endLine, live::LiveServer::Delivery::Always);
}

void LivePublisher::queue(std::string line, std::uint64_t logLines)
{
    m_outgoing.push_back({std::move(line), logLines});
}

live::LiveServer::Delivery LivePublisher::deliveryOf(const Outgoing& outgoing)
{
    if (outgoing.always)
        return live::LiveServer::Delivery::Always;
    return outgoing.logLines > 0 ? live::LiveServer::Delivery::Droppable : live::LiveServer::Delivery::Normal;
}

void LivePublisher::tick()
{
    std::optional<TimeSeriesStore::Snapshot> snapshot;
    if (m_run) {
        snapshot = m_run->engine->store().snapshot();
        if (!m_run->ended)
            publishDeltas(*m_run, *snapshot, false);
    }
    for (const Outgoing& outgoing : m_outgoing)
        m_server->broadcast(outgoing.line, deliveryOf(outgoing), outgoing.logLines);
    m_outgoing.clear();
    // New viewers get the same state the others have just been sent.
    for (live::LiveServer::ClientId client : m_server->takeNewClients())
        greet(client, m_run.get(), snapshot ? &*snapshot : nullptr);
    m_viewers = m_server->clientCount();
}

} // namespace buildscope
