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
// has its own bounded queue; a viewer that stops reading is dropped when its queue is
// full, never the build (docs/PROTOCOL.md).
class LiveServer
{
public:
    using ClientId = std::uint64_t;
    static constexpr std::size_t kDefaultMaxQueuedBytes = 64 * 1024 * 1024;

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
    void send(ClientId client, std::string_view bytes);
    void broadcast(std::string_view bytes);

    // Writes out what is queued for up to `timeout` (so viewers receive the last messages
    // before the engine exits).
    void flush(std::chrono::milliseconds timeout);

    std::size_t clientCount() const noexcept { return m_clients.size(); }
    std::uint64_t droppedClients() const noexcept { return m_dropped; }
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
        bool closed = false;
    };

    void acceptAll();
    void enqueue(Client& client, std::string_view bytes);
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
};

} // namespace buildscope::live
