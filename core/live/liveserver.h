#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace buildscope::live {

// The engine's side of the live endpoint: a Unix-domain stream socket, mode 0600 in the
// owner-only live directory, accepting viewers of the same user only. Passive: one
// thread (the publisher's) drives it with poll(), so no locks are needed. Each viewer
// has its own bounded queue: a viewer that falls behind first loses log lines (counted,
// and told so with a `gap` message), and is dropped only when its queue is full of what
// cannot be lost; the end of a run and the goodbye always reach it; the build never waits
// (docs/PROTOCOL.md).
class LiveServer
{
public:
    using ClientId = std::uint64_t;
    static constexpr std::size_t kDefaultMaxQueuedBytes = 64 * 1024 * 1024;

    // How a message may be treated when a viewer's queue is full.
    enum class Delivery
    {
        Normal, // a viewer whose queue would pass the bound is dropped
        // log lines: not queued once a viewer's queue holds half the bound; counted and
        // reported to it in a `gap` message before the next message it is sent
        Droppable,
        Always, // the end of a run and the goodbye: queued whatever the queue holds
    };

    // Throws LiveError when the socket cannot be made.
    explicit LiveServer(std::filesystem::path socketPath, std::size_t maxQueuedBytes = kDefaultMaxQueuedBytes);
    ~LiveServer(); // closes every connection and removes the socket
    LiveServer(const LiveServer&) = delete;
    LiveServer& operator=(const LiveServer&) = delete;

    // Accepts waiting viewers, writes what the sockets take, notices viewers that left.
    // Waits up to `timeout` for any of that to be possible.
    void poll(std::chrono::milliseconds timeout);

    // Viewers accepted since the last call: send them what they missed, then they receive
    // every broadcast.
    std::vector<ClientId> takeNewClients();
    // `logLines`: the log entries a Droppable message holds (what a gap reports).
    void send(
        ClientId client, std::string_view bytes, Delivery delivery = Delivery::Normal, std::uint64_t logLines = 0);
    void broadcast(std::string_view bytes, Delivery delivery = Delivery::Normal, std::uint64_t logLines = 0);

    // Writes out what is queued until every viewer has it all or left, for at most
    // `timeout` (so viewers receive the last messages before the engine exits), and not
    // past `stall` in which no viewer read a byte (they stopped reading).
    void flush(std::chrono::milliseconds timeout, std::chrono::milliseconds stall = std::chrono::milliseconds(5000));

    std::size_t clientCount() const noexcept { return m_clients.size(); }
    std::uint64_t droppedClients() const noexcept { return m_dropped; }
    std::uint64_t lostLogLines() const noexcept { return m_lostLogLines; } // summed over viewers
    const std::filesystem::path& path() const noexcept { return m_path; }

private:
    struct Client
    {
        ClientId id = 0;
        int fd = -1;
        bool greeted = false;
        std::deque<std::string> queue;
        std::size_t queuedBytes = 0;
        std::size_t offset = 0; // into queue.front()
        std::uint64_t lostLines = 0; // log lines not queued since the last gap message
        bool closed = false;
    };

    void acceptAll();
    void enqueue(Client& client, std::string_view bytes, Delivery delivery, std::uint64_t logLines);
    void push(Client& client, std::string_view bytes);
    void writeSome(Client& client);
    void readAndDiscard(Client& client);
    void removeClosed();

    std::filesystem::path m_path;
    std::size_t m_maxQueuedBytes;
    int m_listen = -1;
    std::vector<Client> m_clients;
    std::vector<ClientId> m_new;
    ClientId m_nextId = 1;
    std::uint64_t m_dropped = 0;
    std::uint64_t m_lostLogLines = 0;
    std::uint64_t m_bytesWritten = 0; // to every viewer, for flush() to tell slow from stopped
};

} // namespace buildscope::live
