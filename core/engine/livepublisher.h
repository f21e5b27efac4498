#pragma once

#include "live/livedirectory.h"
#include "live/liveserver.h"
#include "live/wireformat.h"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace buildscope {

class BuildEngine;

// Publishes the engine process's runs on its live endpoint (docs/PROTOCOL.md): one
// thread polls the socket and, every tick, sends what is new in the current run's
// store, log, steps and pools; a viewer that connects is first sent everything held
// so far, from the same snapshot, so it neither misses nor repeats a row. The build
// never waits for a viewer.
class LivePublisher
{
public:
    // Creates the socket and the descriptor in `directory`; throws live::LiveError.
    LivePublisher(const std::filesystem::path& directory, live::LiveRunInfo info);
    ~LivePublisher(); // removes the descriptor and the socket
    LivePublisher(const LivePublisher&) = delete;
    LivePublisher& operator=(const LivePublisher&) = delete;

    // Round `index` of `count` starts; the engine is started and stays alive until the
    // next beginRun() or the publisher's end (viewers that attach between rounds are
    // shown the last one).
    void beginRun(std::shared_ptr<BuildEngine> engine, int index, int count);
    // The engine finished: everything it recorded, then its result, is sent.
    void endRun();
    // How long the engine process waits at its end for viewers still reading what is
    // queued for them (docs/PROTOCOL.md): a viewer reading 3 MB/s reads a full 64 MiB
    // queue in about 22 s.
    static constexpr std::chrono::milliseconds kEndDrainLimit {30000};

    // The engine process is about to exit: say goodbye and serve viewers until each has
    // read everything queued for it (`end` and `bye` included) or left, for at most `linger`.
    void finish(int exitCode, std::chrono::milliseconds linger = kEndDrainLimit);

    const std::filesystem::path& socket() const noexcept { return m_info.socket; }
    std::size_t viewers() const;

private:
    struct RunState;

    void loop();
    void tick();
    // A line for every greeted viewer; `logLines` > 0: a log message, which a viewer that
    // fell behind may lose (told by a `gap` message); `always`: the run's end and goodbye.
    struct Outgoing
    {
        std::string line;
        std::uint64_t logLines = 0;
        bool always = false;
    };
    void queue(std::string line, std::uint64_t logLines = 0);
    static live::LiveServer::Delivery deliveryOf(const Outgoing& outgoing);
    void publishDeltas(RunState& run, const TimeSeriesStore::Snapshot& snapshot, bool final);
    void greet(live::LiveServer::ClientId client, const RunState* run, const TimeSeriesStore::Snapshot* snapshot);

    std::filesystem::path m_directory;
    live::LiveRunInfo m_info;
    std::unique_ptr<live::LiveServer> m_server;

    mutable std::mutex m_mutex; // everything below; held by the publisher thread during a tick
    std::unique_ptr<RunState> m_run;
    std::vector<Outgoing> m_outgoing; // lines for every greeted viewer, sent by the publisher thread
    std::size_t m_viewers = 0;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace buildscope
