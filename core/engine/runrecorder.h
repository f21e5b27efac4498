#pragma once

#include "engine/buildengine.h"
#include "history/runhistory.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace buildscope {

// Records one engine run in the history as it goes: a row when it starts, 1 s buckets
// every few seconds (so a killed process still leaves its samples), everything when it
// ends. A store that fails mid-run is reported once through `onError` and then left
// alone: the build and its report matter more than its history entry. Used by the CLI
// and the dashboard, from the thread that polls the engine.
class RunRecorder
{
public:
    using ErrorHandler = std::function<void(const std::string& message)>;

    // history may be nullptr (recording off).
    RunRecorder(RunHistory* history, const BuildSpec& spec, const EngineOptions& options, ErrorHandler onError);

    // Call periodically while the engine runs; writes at most every `interval`.
    void flush(const BuildEngine& engine, std::chrono::milliseconds interval = std::chrono::seconds(2));
    // Call once the engine finished.
    void finish(const BuildEngine& engine);

    std::optional<std::int64_t> runId() const noexcept { return m_id; }
    // Why the run is not (fully) stored, empty while the store took everything: a run
    // that was not stored never ends as if it had been (exit status, issue 18.3).
    const std::string& error() const noexcept { return m_error; }

private:
    template<class Fn>
    void guard(Fn&& fn);

    RunHistory* m_history;
    ErrorHandler m_onError;
    std::optional<std::int64_t> m_id;
    std::string m_error;
    double m_flushedUntil = 0;
    std::chrono::steady_clock::time_point m_lastFlush {};
};

} // namespace buildscope
