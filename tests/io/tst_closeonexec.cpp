// io/closeonexec: every descriptor it makes is close-on-exec, and a fork under
// holdForFork() never sees one half-made, however busy other threads are making them.
#include "io/closeonexec.h"

#include <QtTest>
#include <atomic>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace buildscope {

namespace {

bool closeOnExec(int fd)
{
    const int flags = ::fcntl(fd, F_GETFD);
    return flags >= 0 && (flags & FD_CLOEXEC) != 0;
}

constexpr int kMaxFd = 1024;

} // namespace

class CloseOnExecTest : public QObject
{
    Q_OBJECT

private slots:
    void pipesAreCloseOnExec()
    {
        int fds[2] = {-1, -1};
        QCOMPARE(io::openPipe(fds), 0);
        QVERIFY(closeOnExec(fds[0]));
        QVERIFY(closeOnExec(fds[1]));
        QCOMPARE(::write(fds[1], "x", 1), ssize_t(1));
        char byte = 0;
        QCOMPARE(::read(fds[0], &byte, 1), ssize_t(1));
        ::close(fds[0]);
        ::close(fds[1]);
    }

    void socketsAndAcceptedConnectionsAreCloseOnExec()
    {
        const int listening = io::openSocket(AF_UNIX, SOCK_STREAM, 0);
        QVERIFY(listening >= 0);
        QVERIFY(closeOnExec(listening));
        sockaddr_un address {};
        address.sun_family = AF_UNIX;
        const QByteArray path = QDir::temp().filePath("tst_closeonexec-" + QString::number(::getpid())).toLocal8Bit();
        std::strncpy(address.sun_path, path.constData(), sizeof address.sun_path - 1);
        ::unlink(path.constData());
        QCOMPARE(::bind(listening, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
        QCOMPARE(::listen(listening, 1), 0);

        const int client = io::openSocket(AF_UNIX, SOCK_STREAM, 0);
        QVERIFY(client >= 0);
        QCOMPARE(::connect(client, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
        const int accepted = io::acceptConnection(listening);
        QVERIFY(accepted >= 0);
        QVERIFY(closeOnExec(accepted));
        ::close(accepted);
        ::close(client);
        ::close(listening);
        ::unlink(path.constData());
    }

    // Another thread makes pipes as fast as it can while this one forks: each child looks
    // (with async-signal-safe calls only) for a descriptor that is open, was not open
    // before the test, and is not close-on-exec. Under holdForFork() there is none.
    void forkNeverSeesAHalfMadeDescriptor()
    {
        std::vector<char> openBefore(kMaxFd, 0);
        for (int fd = 0; fd < kMaxFd; ++fd)
            openBefore[static_cast<std::size_t>(fd)] = ::fcntl(fd, F_GETFD) >= 0;

        std::atomic<bool> stop {false};
        std::atomic<int> made {0};
        std::thread maker([&] {
            while (!stop.load()) {
                int fds[2];
                if (io::openPipe(fds) == 0) {
                    ::close(fds[0]);
                    ::close(fds[1]);
                    made.fetch_add(1);
                }
            }
        });
        int leaks = 0;
        for (int i = 0; i < 300; ++i) {
            std::unique_lock lock = io::holdForFork();
            const pid_t child = ::fork();
            if (child == 0) {
                for (int fd = 3; fd < kMaxFd; ++fd) {
                    const int flags = ::fcntl(fd, F_GETFD);
                    if (flags >= 0 && !(flags & FD_CLOEXEC) && !openBefore[static_cast<std::size_t>(fd)])
                        ::_exit(1);
                }
                ::_exit(0);
            }
            lock.unlock();
            QVERIFY(child > 0);
            int status = 0;
            QCOMPARE(::waitpid(child, &status, 0), child);
            leaks += WIFEXITED(status) && WEXITSTATUS(status) == 1;
        }
        stop = true;
        maker.join();
        QVERIFY(made.load() > 0);
        QCOMPARE(leaks, 0);
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::CloseOnExecTest)
#include "tst_closeonexec.moc"
