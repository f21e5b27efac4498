#pragma once

#include "live/livemirror.h"

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

namespace buildscope::live {

// A viewer's connection to an engine's live endpoint: a thread reads the socket and
// keeps a LiveMirror of the run; any thread reads the mirror. Disconnecting (or
// destroying the client) never affects the build.
class LiveClient
{
public:
    enum class State
    {
        Live, // connected, receiving
        Ended, // the engine said goodbye (mirror().view().exitCode holds its exit status)
        Lost, // the connection closed without a goodbye (the engine was killed, or dropped us)
        Failed, // the stream broke the protocol; error() says how
    };

    // Connects to `socket`; throws LiveError when nothing listens there.
    explicit LiveClient(const std::filesystem::path& socket);
    ~LiveClient();
    LiveClient(const LiveClient&) = delete;
    LiveClient& operator=(const LiveClient&) = delete;

    const LiveMirror& mirror() const noexcept { return m_mirror; }
    State state() const noexcept { return m_state.load(std::memory_order_acquire); }
    std::string error() const;
    // Messages applied so far (for tests and the latency benchmark).
    std::uint64_t messagesApplied() const noexcept { return m_applied.load(std::memory_order_acquire); }

    // Closes the connection and joins the reader (idempotent).
    void disconnect();

private:
    void readLoop();
    void finish(State state, std::string error = {});

    int m_fd = -1;
    LiveMirror m_mirror;
    std::atomic<State> m_state {State::Live};
    std::atomic<bool> m_stop {false};
    std::atomic<std::uint64_t> m_applied {0};
    mutable std::mutex m_errorMutex;
    std::string m_error;
    std::thread m_reader;
};

} // namespace buildscope::live
