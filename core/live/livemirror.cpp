#include "live/livemirror.h"

#include <type_traits>

namespace buildscope::live {

void LiveMirror::apply(const Message& message)
{
    std::visit(
        [this](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, Hello>) {
                std::lock_guard lock(m_mutex);
                m_view.hello = m;
            } else if constexpr (std::is_same_v<T, RunHeader>) {
                auto store = std::make_shared<TimeSeriesStore>(m.series);
                auto log = std::make_shared<BuildLog>();
                std::lock_guard lock(m_mutex);
                m_store = store;
                m_log = log;
                m_lastTime = 0;
                View next;
                next.hello = m_view.hello;
                next.generation = m_view.generation + 1;
                next.runIndex = m.index;
                next.runCount = m.count;
                next.run.specName = m.specName;
                next.run.specFile = m.specFile;
                next.run.context = m.context;
                next.run.sampleHz = m.sampleHz;
                next.run.startedAt = m.startedAt;
                next.run.labels = m.labels;
                next.run.host = m.host;
                next.run.steps = m.steps;
                next.series = m.series;
                next.clockOriginNs = m.clockOriginNs;
                next.store = store;
                next.log = log;
                next.finished = m_view.finished;
                m_view = std::move(next);
                m_processes.clear();
            } else if constexpr (std::is_same_v<T, Samples>) {
                if (!m_store)
                    throw WireError("samples before any run");
                const std::size_t width = m_store->series().size();
                for (std::size_t r = 0; r < m.rows.size(); ++r) {
                    if (m.rows[r].size() != width)
                        throw WireError("a samples row with " + std::to_string(m.rows[r].size()) + " values for "
                            + std::to_string(width) + " series");
                    // Out-of-order times would break the store's invariant: refuse rather than guess.
                    if (m_store->sampleCount() > 0 && m.times[r] < m_lastTime)
                        throw WireError("sample times go backwards");
                    m_store->append(m.times[r], m.rows[r]);
                    m_lastTime = m.times[r];
                }
            } else if constexpr (std::is_same_v<T, StepUpdate>) {
                std::lock_guard lock(m_mutex);
                if (m.index >= m_view.run.steps.size())
                    throw WireError("step index " + std::to_string(m.index) + " out of range");
                m_view.run.steps[m.index] = m.step;
            } else if constexpr (std::is_same_v<T, LogBatch>) {
                if (!m_log)
                    throw WireError("log entries before any run");
                for (const LogEntry& entry : m.entries)
                    m_log->append(entry.seconds, entry.level, entry.stream, entry.step, entry.text);
            } else if constexpr (std::is_same_v<T, Progress>) {
                std::lock_guard lock(m_mutex);
                m_view.progress = m;
            } else if constexpr (std::is_same_v<T, Pools>) {
                std::lock_guard lock(m_mutex);
                m_view.run.pools = m.pools;
            } else if constexpr (std::is_same_v<T, Operations>) {
                std::lock_guard lock(m_mutex);
                m_view.run.operations = m.operations;
            } else if constexpr (std::is_same_v<T, Processes>) {
                std::lock_guard lock(m_mutex);
                if (m_view.generation == 0)
                    throw WireError("processes before any run");
                m_processes.insert(m_processes.end(), m.processes.begin(), m.processes.end());
                m_view.processCount = m_processes.size();
            } else if constexpr (std::is_same_v<T, Running>) {
                std::lock_guard lock(m_mutex);
                if (m_view.generation == 0)
                    throw WireError("running processes before any run");
                m_view.running = m.processes;
            } else if constexpr (std::is_same_v<T, RunEnd>) {
                std::lock_guard lock(m_mutex);
                m_view.run = m.result;
                m_processes = std::move(m_view.run.processes); // the final list, kept out of the view
                m_view.run.processes.clear();
                m_view.processCount = m_processes.size();
                m_view.runEnded = true;
                m_view.running.clear(); // nothing of an ended run runs
                m_finished.push_back(m.result);
                m_view.finished = std::make_shared<const std::vector<RunResult>>(m_finished);
                m_view.progress.currentStep = -1;
            } else if constexpr (std::is_same_v<T, Gap>) {
                // Said where the lines are missing, so the log a viewer shows never looks whole
                // when it is not.
                if (m_log) {
                    const std::vector<LogEntry> last = m_log->tail(1);
                    m_log->append(last.empty() ? 0.0 : last.back().seconds, LogLevel::Warning, LogStream::Engine,
                        std::string(),
                        std::to_string(m.lines)
                            + " log lines were not sent to this viewer: it read slower than the build printed "
                              "(the report's log.txt has every line)");
                }
                std::lock_guard lock(m_mutex);
                m_view.lostLogLines += m.lines;
            } else if constexpr (std::is_same_v<T, Bye>) {
                std::lock_guard lock(m_mutex);
                m_view.exitCode = m.exitCode;
            }
            // Unknown: a newer engine's message type; skipped.
        },
        message);
}

LiveMirror::View LiveMirror::view() const
{
    std::lock_guard lock(m_mutex);
    return m_view;
}

std::vector<ProcessRecord> LiveMirror::processesSince(std::uint64_t generation, std::size_t from) const
{
    std::lock_guard lock(m_mutex);
    if (generation != m_view.generation || from >= m_processes.size())
        return {};
    return {m_processes.begin() + static_cast<std::ptrdiff_t>(from), m_processes.end()};
}

} // namespace buildscope::live
