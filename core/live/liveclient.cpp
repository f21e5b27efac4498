#include "live/liveclient.h"

#include "io/closeonexec.h"
#include "live/livedirectory.h"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

namespace buildscope::live {

LiveClient::LiveClient(const std::filesystem::path& socket)
{
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    if (socket.string().size() >= sizeof address.sun_path)
        throw LiveError(socket.string() + ": the socket path is too long");
    std::strncpy(address.sun_path, socket.c_str(), sizeof address.sun_path - 1);
    m_fd = io::openSocket(AF_UNIX, SOCK_STREAM, 0);
    if (m_fd < 0)
        throw LiveError(std::string("cannot create a socket: ") + std::strerror(errno));
    if (::connect(m_fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        const int error = errno;
        ::close(m_fd);
        throw LiveError(socket.string() + ": no engine listens there (" + std::strerror(error) + ")");
    }
    m_reader = std::thread([this] { readLoop(); });
}

LiveClient::~LiveClient()
{
    disconnect();
}

void LiveClient::disconnect()
{
    m_stop.store(true, std::memory_order_release);
    if (m_reader.joinable())
        m_reader.join();
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

std::string LiveClient::error() const
{
    std::lock_guard lock(m_errorMutex);
    return m_error;
}

void LiveClient::finish(State state, std::string error)
{
    {
        std::lock_guard lock(m_errorMutex);
        m_error = std::move(error);
    }
    m_state.store(state, std::memory_order_release);
}

void LiveClient::readLoop()
{
    LineReader lines;
    std::vector<char> buffer(256 * 1024);
    bool sawBye = false;
    while (!m_stop.load(std::memory_order_acquire)) {
        pollfd fd {m_fd, POLLIN, 0};
        const int ready = ::poll(&fd, 1, 50); // wakes to notice disconnect()
        if (ready <= 0)
            continue;
        const ssize_t n = ::read(m_fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            finish(sawBye ? State::Ended : State::Lost);
            return;
        }
        try {
            lines.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)), [&](std::string_view line) {
                const Message message = decode(line);
                sawBye = sawBye || std::holds_alternative<Bye>(message);
                m_mirror.apply(message);
                m_applied.fetch_add(1, std::memory_order_acq_rel);
                if (sawBye)
                    finish(State::Ended); // the engine's last word: nothing follows
            });
        } catch (const WireError& error) {
            finish(State::Failed, error.what());
            return;
        }
        if (sawBye)
            return;
    }
}

} // namespace buildscope::live
