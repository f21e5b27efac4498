#include "memory/processmemory.h"

#include <QtTest>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <string>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace buildscope {

namespace {

constexpr std::size_t kMiB = 1024 * 1024;
const std::uint64_t kPageBytes = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));

// Everything below that runs in a forked child sticks to async-signal-safe calls:
// the parent may have other threads, so malloc or Qt could deadlock in the child.

void touchMemory(std::size_t bytes)
{
    void* block = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (block == MAP_FAILED)
        _exit(90);
    // Non-zero so no page can stay mapped to the shared zero page.
    std::memset(block, 0x5a, bytes);
}

void reportReady(int fd)
{
    const pid_t self = getpid();
    if (write(fd, &self, sizeof self) != static_cast<ssize_t>(sizeof self))
        _exit(91);
}

// Blocks until the parent closes the release pipe (or kills us).
[[noreturn]] void blockUntilReleased(int fd)
{
    char byte;
    for (;;) {
        const ssize_t n = read(fd, &byte, 1);
        if (n < 0 && errno == EINTR)
            continue;
        _exit(0);
    }
}

std::uint64_t residentBytesOf(pid_t pid)
{
    std::ifstream statm("/proc/" + std::to_string(pid) + "/statm");
    std::uint64_t sizePages = 0;
    std::uint64_t residentPages = 0;
    if (!(statm >> sizePages >> residentPages))
        return 0;
    return residentPages * kPageBytes;
}

std::string commOf(pid_t pid)
{
    std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
    std::string name;
    std::getline(comm, name);
    return name;
}

bool isAlive(pid_t pid)
{
    return kill(pid, 0) == 0;
}

} // namespace

class TestProcessMemory : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void selfMemoryIsPlausible();
    void selfRssFollowsTouchedMemory();

    void treeOfSelfIsOneProcess();
    void treeSumsChildAndGrandchild();
    void missingRootHasNoProcesses();
    void orphanedGrandchildCountedThroughProcessGroup();
    void commandNameWithSpacesAndParentheses();

private:
    // Forks a child that becomes the leader of its own process group (so cleanup can
    // kill its whole family at once) and runs `body`, which must not return.
    template<class Body>
    pid_t spawnGroupLeader(Body body);
    // The pids the family reports on the ready pipe, one per process, in arrival order.
    std::vector<pid_t> waitForReady(int count);

    int m_ready[2] = {-1, -1};
    int m_release[2] = {-1, -1};
    std::vector<pid_t> m_groups;
    std::vector<pid_t> m_pids; // every process to reap, children before grandchildren
};

void TestProcessMemory::initTestCase()
{
    // Grandchildren orphaned by the tests are re-parented to us rather than to an init
    // that may not reap (containers), so cleanup() can reap them and leave no zombies.
    QCOMPARE(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
}

void TestProcessMemory::init()
{
    QCOMPARE(pipe2(m_ready, O_CLOEXEC), 0);
    QCOMPARE(pipe2(m_release, O_CLOEXEC), 0);
}

void TestProcessMemory::cleanup()
{
    for (const pid_t group : m_groups)
        kill(-group, SIGKILL);
    // Children first: a grandchild is re-parented to us only once its parent has gone.
    for (const pid_t pid : m_pids) {
        while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) { }
    }
    for (int* fds : {m_ready, m_release}) {
        for (int i = 0; i < 2; ++i) {
            if (fds[i] >= 0)
                close(fds[i]);
            fds[i] = -1;
        }
    }
    m_groups.clear();
    m_pids.clear();
}

template<class Body>
pid_t TestProcessMemory::spawnGroupLeader(Body body)
{
    const pid_t child = fork();
    if (child == 0) {
        setpgid(0, 0);
        close(m_ready[0]);
        close(m_release[1]);
        body();
        _exit(92);
    }
    if (child > 0) {
        // Also from the parent, so the group exists before any kill() in cleanup.
        setpgid(child, child);
        m_groups.push_back(child);
        m_pids.push_back(child);
    }
    return child;
}

std::vector<pid_t> TestProcessMemory::waitForReady(int count)
{
    std::vector<pid_t> pids;
    while (static_cast<int>(pids.size()) < count) {
        pollfd readable {m_ready[0], POLLIN, 0};
        const int polled = poll(&readable, 1, 20000);
        if (polled < 0 && errno == EINTR)
            continue;
        if (polled <= 0)
            break; // a child died or hung; the caller's QCOMPARE reports it
        pid_t pid = 0;
        if (read(m_ready[0], &pid, sizeof pid) != static_cast<ssize_t>(sizeof pid))
            break;
        pids.push_back(pid);
    }
    return pids;
}

void TestProcessMemory::selfMemoryIsPlausible()
{
    const std::optional<SelfMemory> memory = readSelfMemory();
    QVERIFY(memory.has_value());
    QVERIFY(memory->rssBytes > 0);
    QVERIFY(memory->peakRssBytes >= memory->rssBytes);
    // Same source as the library (statm), read independently: allow for a few pages of drift.
    const std::uint64_t statm = residentBytesOf(getpid());
    const std::uint64_t drift = memory->rssBytes > statm ? memory->rssBytes - statm : statm - memory->rssBytes;
    QVERIFY2(drift <= 4 * kMiB, qPrintable(QStringLiteral("rss %1 vs statm %2").arg(memory->rssBytes).arg(statm)));
}

void TestProcessMemory::selfRssFollowsTouchedMemory()
{
    constexpr std::size_t bytes = 64 * kMiB;
    const std::optional<SelfMemory> before = readSelfMemory();
    QVERIFY(before.has_value());

    void* block = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    QVERIFY(block != MAP_FAILED);
    std::memset(block, 0x5a, bytes);
    const std::optional<SelfMemory> touched = readSelfMemory();
    QVERIFY(munmap(block, bytes) == 0);
    const std::optional<SelfMemory> released = readSelfMemory();

    QVERIFY(touched.has_value() && released.has_value());
    QVERIFY2(touched->rssBytes >= before->rssBytes + 50 * kMiB,
        qPrintable(QStringLiteral("before %1, touched %2").arg(before->rssBytes).arg(touched->rssBytes)));
    QVERIFY(touched->peakRssBytes >= touched->rssBytes);
    // Unmapping gives the pages back, but the high-water mark must remember them (to within
    // the kernel's per-CPU RSS counter slack, a few pages).
    QVERIFY2(released->rssBytes + 50 * kMiB <= touched->rssBytes,
        qPrintable(QStringLiteral("touched %1, released %2").arg(touched->rssBytes).arg(released->rssBytes)));
    QVERIFY2(released->peakRssBytes + kMiB >= touched->rssBytes,
        qPrintable(QStringLiteral("peak %1 after touching %2").arg(released->peakRssBytes).arg(touched->rssBytes)));
}

void TestProcessMemory::treeOfSelfIsOneProcess()
{
    // No children at this point: the tree is this process alone, and its RSS is ours.
    ProcessTreeSampler sampler;
    const ProcessTreeMemory tree = sampler.sample(getpid(), false);
    QCOMPARE(tree.processes, 1u);
    const std::uint64_t self = residentBytesOf(getpid());
    const std::uint64_t drift = tree.rssBytes > self ? tree.rssBytes - self : self - tree.rssBytes;
    QVERIFY2(drift <= 4 * kMiB, qPrintable(QStringLiteral("tree %1 vs statm %2").arg(tree.rssBytes).arg(self)));
}

void TestProcessMemory::treeSumsChildAndGrandchild()
{
    const int readyFd = m_ready[1];
    const int releaseFd = m_release[0];
    const pid_t child = spawnGroupLeader([=] {
        // Fork before touching, so the grandchild does not inherit (and count) our 80 MiB.
        const pid_t grandchild = fork();
        if (grandchild < 0)
            _exit(93);
        if (grandchild == 0) {
            touchMemory(40 * kMiB);
            reportReady(readyFd);
            blockUntilReleased(releaseFd);
        }
        touchMemory(80 * kMiB);
        reportReady(readyFd);
        blockUntilReleased(releaseFd);
    });
    QVERIFY(child > 0);
    const std::vector<pid_t> ready = waitForReady(2);
    QCOMPARE(ready.size(), std::size_t(2));
    const pid_t grandchild = ready[0] == child ? ready[1] : ready[0];
    QVERIFY(ready[0] == child || ready[1] == child);
    m_pids.push_back(grandchild);

    ProcessTreeSampler sampler;
    const ProcessTreeMemory tree = sampler.sample(child);
    QCOMPARE(tree.processes, 2u);
    QVERIFY2(tree.rssBytes >= 110 * kMiB, qPrintable(QStringLiteral("tree rss %1").arg(tree.rssBytes)));
    // Both processes are blocked, so the sum must match their own statm figures.
    const std::uint64_t expected = residentBytesOf(child) + residentBytesOf(grandchild);
    const std::uint64_t drift = tree.rssBytes > expected ? tree.rssBytes - expected : expected - tree.rssBytes;
    QVERIFY2(drift <= kMiB, qPrintable(QStringLiteral("tree %1 vs statm sum %2").arg(tree.rssBytes).arg(expected)));

    // The grandchild is a descendant, so the parent links alone find it too.
    const ProcessTreeMemory byParents = sampler.sample(child, false);
    QCOMPARE(byParents.processes, 2u);
    QVERIFY(byParents.rssBytes >= 110 * kMiB);

    // Rooted at the grandchild, the tree is the grandchild alone (40 MiB, not 120).
    const ProcessTreeMemory leaf = sampler.sample(grandchild, false);
    QCOMPARE(leaf.processes, 1u);
    QVERIFY(leaf.rssBytes >= 38 * kMiB);
    QVERIFY(leaf.rssBytes < tree.rssBytes - 70 * kMiB);

    // Our own tree holds us, the child and the grandchild.
    const ProcessTreeMemory withSelf = sampler.sample(getpid(), false);
    QCOMPARE(withSelf.processes, 3u);
    QVERIFY(withSelf.rssBytes >= tree.rssBytes);
}

void TestProcessMemory::missingRootHasNoProcesses()
{
    ProcessTreeSampler sampler;

    // A child that has exited and been reaped: its pid is free (and was never a group id).
    const pid_t child = fork();
    if (child == 0)
        _exit(0);
    QVERIFY(child > 0);
    int status = 0;
    QCOMPARE(waitpid(child, &status, 0), child);
    for (const bool group : {true, false}) {
        const ProcessTreeMemory gone = sampler.sample(child, group);
        QCOMPARE(gone.processes, 0u);
        QCOMPARE(gone.rssBytes, std::uint64_t(0));
    }

    // Above pid_max nothing can exist.
    std::ifstream pidMax("/proc/sys/kernel/pid_max");
    long long maxPid = 0;
    QVERIFY(static_cast<bool>(pidMax >> maxPid));
    const ProcessTreeMemory never = sampler.sample(static_cast<pid_t>(maxPid + 1));
    QCOMPARE(never.processes, 0u);
    QCOMPARE(never.rssBytes, std::uint64_t(0));

    // The sampler reuses its scratch space; a gone root must not leave stale entries behind.
    QCOMPARE(sampler.sample(getpid(), false).processes, 1u);
}

void TestProcessMemory::orphanedGrandchildCountedThroughProcessGroup()
{
    const int readyFd = m_ready[1];
    const int releaseFd = m_release[0];
    const pid_t child = spawnGroupLeader([=] {
        const pid_t grandchild = fork();
        if (grandchild < 0)
            _exit(93);
        if (grandchild == 0) {
            touchMemory(48 * kMiB);
            reportReady(readyFd);
            blockUntilReleased(releaseFd);
        }
        _exit(0); // leaves the grandchild orphaned, still in our process group
    });
    QVERIFY(child > 0);
    const std::vector<pid_t> ready = waitForReady(1);
    QCOMPARE(ready.size(), std::size_t(1));
    const pid_t grandchild = ready[0];
    QVERIFY(grandchild != child);
    m_pids.push_back(grandchild);

    int status = 0;
    QCOMPARE(waitpid(child, &status, 0), child);
    QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    m_pids.erase(m_pids.begin()); // reaped already
    QVERIFY(isAlive(grandchild));
    QCOMPARE(getpgid(grandchild), child);

    ProcessTreeSampler sampler;
    const ProcessTreeMemory withGroup = sampler.sample(child, true);
    QCOMPARE(withGroup.processes, 1u);
    QVERIFY2(withGroup.rssBytes >= 46 * kMiB, qPrintable(QStringLiteral("group rss %1").arg(withGroup.rssBytes)));
    const std::uint64_t expected = residentBytesOf(grandchild);
    const std::uint64_t drift
        = withGroup.rssBytes > expected ? withGroup.rssBytes - expected : expected - withGroup.rssBytes;
    QVERIFY(drift <= kMiB);

    const ProcessTreeMemory withoutGroup = sampler.sample(child, false);
    QCOMPARE(withoutGroup.processes, 0u);
    QCOMPARE(withoutGroup.rssBytes, std::uint64_t(0));
}

void TestProcessMemory::commandNameWithSpacesAndParentheses()
{
    // The name is what /proc/<pid>/stat puts between the parentheses: a parser that
    // splits on spaces or stops at the first ')' reads the wrong ppid and rss.
    static const char kName[] = "a) b (c";
    const int readyFd = m_ready[1];
    const int releaseFd = m_release[0];
    const pid_t child = spawnGroupLeader([=] {
        if (prctl(PR_SET_NAME, kName, 0, 0, 0) != 0)
            _exit(94);
        // The grandchild inherits the name, so its parent link is parsed past it too.
        const pid_t grandchild = fork();
        if (grandchild < 0)
            _exit(93);
        if (grandchild == 0) {
            touchMemory(24 * kMiB);
            reportReady(readyFd);
            blockUntilReleased(releaseFd);
        }
        touchMemory(32 * kMiB);
        reportReady(readyFd);
        blockUntilReleased(releaseFd);
    });
    QVERIFY(child > 0);
    const std::vector<pid_t> ready = waitForReady(2);
    QCOMPARE(ready.size(), std::size_t(2));
    const pid_t grandchild = ready[0] == child ? ready[1] : ready[0];
    m_pids.push_back(grandchild);
    QCOMPARE(commOf(child), std::string(kName));
    QCOMPARE(commOf(grandchild), std::string(kName));

    ProcessTreeSampler sampler;
    const ProcessTreeMemory tree = sampler.sample(child, false);
    QCOMPARE(tree.processes, 2u);
    QVERIFY2(tree.rssBytes >= 54 * kMiB, qPrintable(QStringLiteral("tree rss %1").arg(tree.rssBytes)));
    const std::uint64_t expected = residentBytesOf(child) + residentBytesOf(grandchild);
    const std::uint64_t drift = tree.rssBytes > expected ? tree.rssBytes - expected : expected - tree.rssBytes;
    QVERIFY2(drift <= kMiB, qPrintable(QStringLiteral("tree %1 vs statm sum %2").arg(tree.rssBytes).arg(expected)));
}

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestProcessMemory)
#include "tst_processmemory.moc"
