#pragma once

#include "live/wireformat.h"
#include "memory/timeseriesstore.h"
#include "run/buildlog.h"
#include "run/runresult.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

namespace buildscope::live {

// A viewer's copy of a live run, built from the endpoint's messages: the same pulls the
// engine offers (a sample store, a bounded log, steps, pools, progress), so a viewer
// reads a remote run as it would read one in its own process. One thread applies
// messages; any thread reads. Each `run` message (a new --repeat round) starts a new
// generation with its own store and log.
class LiveMirror
{
public:
    struct View
    {
        std::uint64_t generation = 0; // 0 until the first `run` message
        std::optional<Hello> hello;
        int runIndex = 0;
        int runCount = 0;
        // Header fields, steps as they progress, pools and operations so far. Its processes
        // stay empty: a build may run tens of thousands, and a view is copied at every
        // refresh; read them with processesSince().
        RunResult run;
        std::size_t processCount = 0; // ledger records of this generation so far
        std::vector<ProcessRecord> running; // the processes running now (the last `running` message)
        std::vector<SeriesSpec> series;
        std::int64_t clockOriginNs = 0; // see RunHeader
        Progress progress;
        bool runEnded = false; // the `end` message arrived: `run` is the final result
        // The final result of every round that ended since the connection began, in order
        // (a viewer that polls can miss no round, however fast they follow each other).
        std::shared_ptr<const std::vector<RunResult>> finished;
        std::optional<int> exitCode; // the `bye` message arrived
        std::uint64_t lostLogLines = 0; // log entries the engine could not send (`gap` messages)
        std::shared_ptr<const TimeSeriesStore> store; // null before the first `run`
        std::shared_ptr<const BuildLog> log;
    };

    // Throws WireError when a message does not fit the run (a samples row of the wrong
    // width, a step index out of range, samples before any run).
    void apply(const Message& message);

    View view() const;
    // This generation's ledger records from index `from` on (none when `generation` is no
    // longer the current one): a viewer copies each record once.
    std::vector<ProcessRecord> processesSince(std::uint64_t generation, std::size_t from) const;

private:
    mutable std::mutex m_mutex;
    View m_view;
    std::shared_ptr<TimeSeriesStore> m_store; // written by the applying thread only
    std::shared_ptr<BuildLog> m_log;
    std::vector<RunResult> m_finished;
    std::vector<ProcessRecord> m_processes; // the current generation's
    double m_lastTime = 0;
};

} // namespace buildscope::live
