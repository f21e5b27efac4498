#include "io/closeonexec.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace buildscope::io {

namespace {

std::shared_mutex& forkMutex()
{
    static std::shared_mutex mutex;
    return mutex;
}

bool markCloseOnExec(int fd) noexcept
{
    const int flags = ::fcntl(fd, F_GETFD);
    return flags >= 0 && ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC) == 0;
}

void closeKeepingErrno(int fd) noexcept
{
    const int error = errno;
    ::close(fd);
    errno = error;
}

} // namespace

int openPipe(int (&fds)[2]) noexcept
{
    std::shared_lock lock(forkMutex());
    if (::pipe(fds) != 0)
        return -1;
    if (!markCloseOnExec(fds[0]) || !markCloseOnExec(fds[1])) {
        closeKeepingErrno(fds[0]);
        closeKeepingErrno(fds[1]);
        fds[0] = fds[1] = -1;
        return -1;
    }
    return 0;
}

int openSocket(int domain, int type, int protocol) noexcept
{
    std::shared_lock lock(forkMutex());
    const int fd = ::socket(domain, type, protocol);
    if (fd >= 0 && !markCloseOnExec(fd)) {
        closeKeepingErrno(fd);
        return -1;
    }
    return fd;
}

int acceptConnection(int listeningSocket) noexcept
{
    // accept() runs under the lock (the new descriptor exists before it can be flagged),
    // so it must not block: the listening socket is non-blocking or known to be readable
    // (polled first), as every caller of ours does. A fork waits at most for this call.
    std::shared_lock lock(forkMutex());
    int fd = -1;
    do
        fd = ::accept(listeningSocket, nullptr, nullptr);
    while (fd < 0 && errno == EINTR);
    if (fd >= 0 && !markCloseOnExec(fd)) {
        closeKeepingErrno(fd);
        return -1;
    }
    return fd;
}

std::unique_lock<std::shared_mutex> holdForFork()
{
    return std::unique_lock(forkMutex());
}

} // namespace buildscope::io
