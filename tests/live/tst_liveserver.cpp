// The live endpoint's socket: owner-only, viewers come and go, a viewer that stops
// reading is dropped (never the writer), and stale entries of killed engines vanish.
#include "live/liveclient.h"
#include "live/livedirectory.h"
#include "live/liveserver.h"
#include "live/wireformat.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cstring>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

namespace buildscope::live {

namespace {

int rawConnect(const std::filesystem::path& path)
{
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

} // namespace

class TestLiveServer : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { qputenv("BUILDSCOPE_LIVE_DIR", m_dir.filePath("live").toUtf8()); }

    void directoryAndSocketAreOwnerOnly()
    {
        const std::filesystem::path directory = liveDirectory();
        struct stat info
        { };
        QCOMPARE(::stat(directory.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0700u);
        LiveServer server(socketPath(directory, 1));
        QCOMPARE(::stat(server.path().c_str(), &info), 0);
        QVERIFY(S_ISSOCK(info.st_mode));
        QCOMPARE(info.st_mode & 0077, 0u);
    }

    void directoryReadableByOthersIsRefused()
    {
        const QString loose = m_dir.filePath("loose");
        QVERIFY(QDir().mkpath(loose));
        ::chmod(loose.toLocal8Bit().constData(), 0755);
        qputenv("BUILDSCOPE_LIVE_DIR", loose.toUtf8());
        QVERIFY_THROWS_EXCEPTION(LiveError, liveDirectory());
        qputenv("BUILDSCOPE_LIVE_DIR", m_dir.filePath("live").toUtf8());
    }

    // One viewer never reads: once its queue is full it is dropped; the other viewer
    // receives every byte and the writer never blocks.
    void aViewerThatStopsReadingIsDropped()
    {
        LiveServer server(socketPath(liveDirectory(), 2), 1024 * 1024);
        const int stalled = rawConnect(server.path());
        QVERIFY(stalled >= 0);
        const int reader = rawConnect(server.path());
        QVERIFY(reader >= 0);
        server.poll(std::chrono::milliseconds(50));
        QCOMPARE(server.takeNewClients().size(), std::size_t {2});

        const std::string line(64 * 1024 - 1, 'x');
        std::size_t received = 0;
        std::vector<char> buffer(1 << 20);
        for (int i = 0; i < 200; ++i) { // 12.8 MB, far beyond the stalled viewer's 1 MiB queue
            server.broadcast(line + "\n");
            server.poll(std::chrono::milliseconds(0));
            for (;;) {
                const ssize_t n = ::recv(reader, buffer.data(), buffer.size(), MSG_DONTWAIT);
                if (n <= 0)
                    break;
                received += static_cast<std::size_t>(n);
            }
        }
        server.flush(std::chrono::milliseconds(2000));
        for (;;) {
            const ssize_t n = ::recv(reader, buffer.data(), buffer.size(), MSG_DONTWAIT);
            if (n <= 0)
                break;
            received += static_cast<std::size_t>(n);
        }
        QCOMPARE(received, std::size_t {200} * (line.size() + 1));
        QCOMPARE(server.droppedClients(), std::uint64_t {1});
        QCOMPARE(server.clientCount(), std::size_t {1});
        ::close(stalled);
        ::close(reader);
    }

    // 18.4: a viewer that falls behind loses log lines, is told how many (a `gap` message),
    // and still gets the run's end and the goodbye, each line whole; before, it was dropped
    // at a full queue (no end, no bye) and cut mid-line at the engine's exit.
    void aViewerThatFallsBehindLosesLogLinesNotTheEnd()
    {
        LiveServer server(socketPath(liveDirectory(), 4), 1024 * 1024);
        const int slow = rawConnect(server.path());
        QVERIFY(slow >= 0);
        server.poll(std::chrono::milliseconds(50));
        QCOMPARE(server.takeNewClients().size(), std::size_t {1});

        // 4 MB of log (64 lines of 64 KiB, one log entry each) into a 1 MiB queue that
        // nobody reads; then samples, the end and the goodbye.
        const std::string logLine
            = "{\"entries\":[{}],\"type\":\"log\",\"x\":\"" + std::string(64 * 1024, 'x') + "\"}\n";
        for (int i = 0; i < 64; ++i)
            server.broadcast(logLine, LiveServer::Delivery::Droppable, 1);
        server.broadcast("{\"rows\":[],\"type\":\"samples\"}\n");
        server.broadcast("{\"type\":\"end\"}\n", LiveServer::Delivery::Always);
        server.broadcast("{\"exit_code\":0,\"type\":\"bye\"}\n", LiveServer::Delivery::Always);
        QCOMPARE(server.droppedClients(), std::uint64_t {0});
        QVERIFY(server.lostLogLines() > 0);

        // The viewer reads slowly (64 KiB at a time) while the server serves it to the end.
        std::string received;
        std::thread reader([&] {
            std::vector<char> buffer(64 * 1024);
            for (;;) {
                const ssize_t n = ::recv(slow, buffer.data(), buffer.size(), 0);
                if (n <= 0)
                    return;
                received.append(buffer.data(), static_cast<std::size_t>(n));
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
        });
        server.flush(std::chrono::milliseconds(60000));
        QCOMPARE(server.clientCount(), std::size_t {1});
        ::shutdown(slow, SHUT_RD);
        reader.join();
        ::close(slow);

        QVERIFY(received.ends_with("\n"));
        std::vector<std::string> lines;
        for (std::size_t start = 0; start < received.size();) {
            const std::size_t end = received.find('\n', start);
            lines.push_back(received.substr(start, end - start));
            start = end + 1;
        }
        QVERIFY(lines.size() >= 4);
        QCOMPARE(lines[lines.size() - 1], std::string("{\"exit_code\":0,\"type\":\"bye\"}"));
        QCOMPARE(lines[lines.size() - 2], std::string("{\"type\":\"end\"}"));
        QCOMPARE(lines[lines.size() - 3], std::string("{\"rows\":[],\"type\":\"samples\"}"));
        const std::size_t kept = lines.size() - 4;
        QCOMPARE(lines[lines.size() - 4],
            std::string(encode(Gap {64 - kept})).substr(0, encode(Gap {64 - kept}).size() - 1));
        QCOMPARE(server.lostLogLines(), std::uint64_t {64 - kept});
        QVERIFY(kept > 0 && kept < 64);
    }

    void aViewerThatLeavesIsForgotten()
    {
        LiveServer server(socketPath(liveDirectory(), 3));
        const int fd = rawConnect(server.path());
        server.poll(std::chrono::milliseconds(50));
        server.takeNewClients();
        QCOMPARE(server.clientCount(), std::size_t {1});
        ::close(fd);
        server.broadcast("hello\n");
        QTRY_COMPARE_WITH_TIMEOUT(
            [&] {
                server.poll(std::chrono::milliseconds(10));
                return server.clientCount();
            }(),
            std::size_t {0}, 5000);
    }

    void noEngineNoConnection()
    {
        QVERIFY_THROWS_EXCEPTION(LiveError, LiveClient(socketPath(liveDirectory(), 999999)));
    }

    void staleEntriesOfKilledEnginesAreRemoved()
    {
        const std::filesystem::path directory = liveDirectory();
        LiveRunInfo alive;
        alive.pid = ::getpid();
        alive.socket = socketPath(directory, alive.pid);
        alive.specName = "alive";
        writeDescriptor(directory, alive);
        LiveRunInfo dead = alive;
        dead.pid = 2147483000; // no such process
        dead.socket = socketPath(directory, dead.pid);
        dead.specName = "dead";
        writeDescriptor(directory, dead);

        const std::vector<LiveRunInfo> runs = listLiveRuns(directory);
        QCOMPARE(runs.size(), std::size_t {1});
        QCOMPARE(runs[0].specName, std::string("alive"));
        QVERIFY(!std::filesystem::exists(descriptorPath(directory, dead.pid)));
        QVERIFY(findLiveRun(directory, ::getpid()).has_value());
        std::filesystem::remove(descriptorPath(directory, alive.pid));
    }
};

} // namespace buildscope::live

QTEST_GUILESS_MAIN(buildscope::live::TestLiveServer)
#include "tst_liveserver.moc"
