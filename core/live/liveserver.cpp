#include "live/liveserver.h"

#include "io/closeonexec.h"
#include "live/livedirectory.h"
#include "live/wireformat.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace buildscope::live {

namespace {

#if defined(MSG_NOSIGNAL)
constexpr int kSendFlags = MSG_NOSIGNAL; // a viewer that vanished must not SIGPIPE the engine
#else
constexpr int kSendFlags = 0; // macOS: SO_NOSIGPIPE is set on each socket instead
#endif

void setNonBlocking(int fd)
{
    const int flags = ::fcntl(fd, F_GETFL, 0);
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
#if defined(SO_NOSIGPIPE)
    int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on);
#endif
}

// Only viewers running as this user may read a build's output and command lines. The
// directory's mode already says so; the peer's credentials say it again.
bool sameUser(int fd)
{
#if defined(SO_PEERCRED)
    ucred credentials {};
    socklen_t length = sizeof credentials;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0)
        return false;
    return credentials.uid == ::getuid();
#else
    uid_t uid = 0;
    gid_t gid = 0;
    if (::getpeereid(fd, &uid, &gid) != 0)
        return false;
    return uid == ::getuid();
#endif
}

} // namespace

LiveServer::LiveServer(std::filesystem::path socketPath, std::size_t maxQueuedBytes)
    : m_path(std::move(socketPath))
    , m_maxQueuedBytes(maxQueuedBytes)
{
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    if (m_path.string().size() >= sizeof address.sun_path)
        throw LiveError(m_path.string() + ": the socket path is longer than " + std::to_string(sizeof address.sun_path - 1)
            + " bytes; set BUILDSCOPE_LIVE_DIR to a shorter directory");
    std::strncpy(address.sun_path, m_path.c_str(), sizeof address.sun_path - 1);

    m_listen = io::openSocket(AF_UNIX, SOCK_STREAM, 0);
    if (m_listen < 0)
        throw LiveError(std::string("cannot create a socket: ") + std::strerror(errno));
    setNonBlocking(m_listen);
    // A socket left by an engine that was killed (same pid, earlier boot or reuse) is stale.
    ::unlink(m_path.c_str());
    // Created owner-only: no moment in which another user could connect.
    const mode_t previous = ::umask(077);
    const int bound = ::bind(m_listen, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    const int bindError = errno;
    ::umask(previous);
    if (bound != 0 || ::listen(m_listen, 16) != 0) {
        const int error = bound != 0 ? bindError : errno;
        ::close(m_listen);
        throw LiveError(m_path.string() + ": cannot listen: " + std::strerror(error));
    }
    ::chmod(m_path.c_str(), 0600);
}

LiveServer::~LiveServer()
{
    for (Client& client : m_clients)
        ::close(client.fd);
    if (m_listen >= 0)
        ::close(m_listen);
    ::unlink(m_path.c_str());
}

void LiveServer::acceptAll()
{
    for (;;) {
        const int fd = io::acceptConnection(m_listen); // m_listen is non-blocking
        if (fd < 0)
            return; // EAGAIN: none waiting; other errors: try again at the next poll
        if (!sameUser(fd)) {
            ::close(fd);
            continue;
        }
        setNonBlocking(fd);
        Client client;
        client.id = m_nextId++;
        client.fd = fd;
        m_clients.push_back(std::move(client));
        m_new.push_back(m_clients.back().id);
    }
}

std::vector<LiveServer::ClientId> LiveServer::takeNewClients()
{
    std::vector<ClientId> taken;
    taken.swap(m_new);
    for (Client& client : m_clients) {
        if (std::find(taken.begin(), taken.end(), client.id) != taken.end())
            client.greeted = true;
    }
    return taken;
}

void LiveServer::push(Client& client, std::string_view bytes)
{
    client.queue.emplace_back(bytes);
    client.queuedBytes += bytes.size();
}

void LiveServer::enqueue(Client& client, std::string_view bytes, Delivery delivery, std::uint64_t logLines)
{
    if (client.closed || bytes.empty())
        return;
    const std::size_t after = client.queuedBytes + bytes.size();
    if (delivery == Delivery::Droppable && after > m_maxQueuedBytes / 2) {
        // Behind: log lines give way first (the report's log.txt has them all), so the
        // samples, steps and the run's end still fit in the other half.
        client.lostLines += logLines;
        m_lostLogLines += logLines;
        return;
    }
    if (delivery == Delivery::Normal && after > m_maxQueuedBytes) {
        // This viewer stopped reading: drop it rather than hold the build's memory for it.
        client.closed = true;
        ++m_dropped;
        return;
    }
    if (client.lostLines > 0) {
        push(client, encode(Gap {client.lostLines}));
        client.lostLines = 0;
    }
    push(client, bytes);
}

void LiveServer::send(ClientId id, std::string_view bytes, Delivery delivery, std::uint64_t logLines)
{
    for (Client& client : m_clients) {
        if (client.id == id)
            enqueue(client, bytes, delivery, logLines);
    }
}

void LiveServer::broadcast(std::string_view bytes, Delivery delivery, std::uint64_t logLines)
{
    for (Client& client : m_clients) {
        if (client.greeted)
            enqueue(client, bytes, delivery, logLines);
    }
}

void LiveServer::writeSome(Client& client)
{
    while (!client.closed && !client.queue.empty()) {
        const std::string& front = client.queue.front();
        const ssize_t written
            = ::send(client.fd, front.data() + client.offset, front.size() - client.offset, kSendFlags);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                client.closed = true;
            return;
        }
        client.offset += static_cast<std::size_t>(written);
        m_bytesWritten += static_cast<std::uint64_t>(written);
        if (client.offset == front.size()) {
            client.queuedBytes -= front.size();
            client.queue.pop_front();
            client.offset = 0;
        }
    }
}

void LiveServer::readAndDiscard(Client& client)
{
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::recv(client.fd, buffer, sizeof buffer, 0);
        if (n > 0)
            continue; // viewers have nothing to say in protocol 1
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            client.closed = true;
        return;
    }
}

void LiveServer::removeClosed()
{
    for (Client& client : m_clients) {
        if (client.closed)
            ::close(client.fd);
    }
    std::erase_if(m_clients, [](const Client& client) { return client.closed; });
}

void LiveServer::poll(std::chrono::milliseconds timeout)
{
    std::vector<pollfd> fds;
    fds.reserve(m_clients.size() + 1);
    fds.push_back({m_listen, POLLIN, 0});
    for (const Client& client : m_clients)
        fds.push_back({client.fd, static_cast<short>(POLLIN | (client.queue.empty() ? 0 : POLLOUT)), 0});
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(timeout.count()));
    if (ready > 0) {
        if (fds[0].revents & POLLIN)
            acceptAll();
        for (std::size_t i = 1; i < fds.size(); ++i) {
            Client& client = m_clients[i - 1];
            if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
                readAndDiscard(client);
        }
    }
    for (Client& client : m_clients)
        writeSome(client);
    removeClosed();
}

void LiveServer::flush(std::chrono::milliseconds timeout, std::chrono::milliseconds stall)
{
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + timeout;
    auto lastProgress = start;
    std::uint64_t written = m_bytesWritten;
    while (std::chrono::steady_clock::now() < deadline) {
        const bool pending = std::any_of(
            m_clients.begin(), m_clients.end(), [](const Client& client) { return !client.queue.empty(); });
        if (!pending)
            return;
        poll(std::chrono::milliseconds(10));
        const auto now = std::chrono::steady_clock::now();
        if (m_bytesWritten != written) {
            written = m_bytesWritten;
            lastProgress = now;
        } else if (now - lastProgress >= stall) {
            return; // no viewer read a byte for a while: they stopped reading, not slow
        }
    }
}

} // namespace buildscope::live
