#include "engine/runrecorder.h"

#include "run/sampletable.h"

#include <cmath>

namespace buildscope {

RunRecorder::RunRecorder(RunHistory* history, const BuildSpec& spec, const EngineOptions& options, ErrorHandler onError)
    : m_history(history)
    , m_onError(std::move(onError))
{
    if (m_history)
        guard([&] { m_id = m_history->beginRun(spec, options.labels, std::chrono::system_clock::now()); });
}

template<class Fn>
void RunRecorder::guard(Fn&& fn)
{
    try {
        fn();
    } catch (const HistoryError& error) {
        m_error = error.what();
        if (m_onError)
            m_onError(std::string("the run history failed, this run is not stored: ") + error.what());
        m_id.reset();
    }
}

void RunRecorder::flush(const BuildEngine& engine, std::chrono::milliseconds interval)
{
    if (!m_id)
        return;
    const auto now = std::chrono::steady_clock::now();
    if (now - m_lastFlush < interval)
        return;
    m_lastFlush = now;
    const TimeSeriesStore::Snapshot snapshot = engine.store().snapshot();
    const double end = std::floor(snapshot.lastSeconds());
    if (!(end > m_flushedUntil))
        return;
    const RunResult partial = engine.resultSoFar(); // also names the step of each bucket
    const SampleTable rows = SampleTable::bucketed(partial, snapshot, m_flushedUntil, end, 1.0);
    guard([&] { m_history->recordProgress(*m_id, rows, partial); });
    m_flushedUntil = end;
}

void RunRecorder::finish(const BuildEngine& engine)
{
    if (!m_id)
        return;
    const RunResult& result = engine.result();
    guard([&] {
        m_history->finishRun(
            *m_id, result, SampleTable::fromSnapshot(result, engine.store().snapshot()), engine.log().tail(2000));
    });
}

} // namespace buildscope
