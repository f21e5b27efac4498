// The macOS ledger's logic on Linux: KqueueFollower fed recorded kqueue note sequences,
// with a fake of the system calls (what proc_listchildpids, proc_pidpath, proc_pid_rusage
// and wait4 would answer at that moment). The records it makes go through the ledger's
// own record keeping, as on a Mac. No process is started.
#include "engine/kqueuefollower.h"
#include "engine/processledger.h"

#include <QtTest>
#include <csignal>
#include <map>
#include <set>
#include <sys/wait.h>

namespace buildscope {

namespace {

constexpr pid_t kEngine = 100;
constexpr pid_t kRoot = 200;
constexpr std::uint64_t kMiB = 1024 * 1024;

// The system as kqueue's notes find it: each process's image, children, usage; a test
// changes it between notes as the real processes would have.
class FakeSystem final : public ProcessInspector
{
public:
    struct Process
    {
        std::string executable;
        std::vector<std::string> argv;
        std::optional<Usage> usage; // nullopt: reaped already (nothing to read)
        bool alive = true;
        bool watchable = true; // false: gone before kevent(EV_ADD)
    };
    std::map<pid_t, Process> processes;
    std::map<pid_t, std::vector<pid_t>> childrenOf;
    std::set<pid_t> watched;
    int rootStatus = 0;
    rusage rootUsage {};

    bool watch(pid_t pid, bool) override
    {
        if (!processes.count(pid) || !processes[pid].watchable)
            return false;
        watched.insert(pid);
        return true;
    }
    std::vector<pid_t> children(pid_t parent) override { return childrenOf[parent]; }
    std::string executable(pid_t pid) override { return processes.count(pid) ? processes[pid].executable : ""; }
    void readImage(pid_t pid, ProcessRecord& record) override
    {
        record.executable = processes[pid].executable;
        record.argv = processes[pid].argv;
    }
    std::optional<Usage> usage(pid_t pid) override
    {
        return processes.count(pid) ? processes[pid].usage : std::nullopt;
    }
    bool alive(pid_t pid) override { return processes.count(pid) && processes[pid].alive; }
    int reap(pid_t, rusage& usage) override
    {
        usage = rootUsage;
        return rootStatus;
    }

    void exec(pid_t pid, const std::string& program, std::uint64_t peak = 0, double user = 0)
    {
        Process& process = processes[pid];
        process.executable = program;
        process.argv = {program.substr(program.rfind('/') + 1)};
        process.usage = Usage {peak, user, 0};
    }
    void fork(pid_t parent, pid_t child)
    {
        processes[child] = processes[parent];
        childrenOf[parent].push_back(child);
    }
};

ProcessNote forked(pid_t pid)
{
    return {pid, true, false, false, 0};
}
ProcessNote execed(pid_t pid)
{
    return {pid, false, true, false, 0};
}
ProcessNote exited(pid_t pid, int status = 0)
{
    return {pid, false, false, true, status};
}

int exitStatus(int code)
{
    return code << 8;
} // a wait status: exited with `code`

const ProcessRecord* find(const std::vector<ProcessRecord>& records, const std::string& program, pid_t pid = 0)
{
    for (const ProcessRecord& record : records) {
        if (!record.argv.empty() && record.argv[0] == program && (pid == 0 || record.pid == pid))
            return &record;
    }
    return nullptr;
}

} // namespace

class KqueueFollowerTest : public QObject
{
    Q_OBJECT

private slots:
    // make forks a child, which execs cc1plus; the child's exit is read from its zombie.
    void forkThenExecGivesTheChildItsOwnExactRecord()
    {
        FakeSystem system;
        system.exec(kRoot, "/usr/bin/make", 5 * kMiB);
        ProcessLedger ledger({});
        KqueueFollower follower(ledger, system);
        follower.adoptRoot(kRoot, kEngine);
        follower.handle(execed(kRoot));

        system.fork(kRoot, 201);
        follower.handle(forked(kRoot));
        QVERIFY(system.watched.count(201));
        system.exec(201, "/usr/libexec/cc1plus", 400 * kMiB, 2.5);
        follower.handle(execed(201));
        follower.handle(exited(201));
        system.childrenOf[kRoot].clear();
        system.rootStatus = exitStatus(0);
        follower.handle(exited(kRoot, system.rootStatus));
        QVERIFY(follower.done());
        QVERIFY(ledger.rootExited());
        QCOMPARE(WEXITSTATUS(ledger.rootWaitStatus()), 0);

        const std::vector<ProcessRecord> records = ledger.takeRecords();
        QCOMPARE(records.size(), std::size_t(2)); // the fork-to-exec prelude folds into cc1plus's record
        const ProcessRecord* compile = find(records, "cc1plus");
        QVERIFY(compile);
        QCOMPARE(compile->pid, 201);
        QCOMPARE(compile->parentPid, kRoot);
        QVERIFY(compile->peakExact);
        QCOMPARE(compile->peakRssBytes, 400 * kMiB);
        QCOMPARE(compile->userCpuSeconds, 2.5);
        QCOMPARE(compile->execCount, 1u);
        QVERIFY(!compile->exitCode); // kqueue gives exit statuses for our own child only
        QVERIFY(QString::fromStdString(compile->note).contains("exit status not known"));
        const ProcessRecord* make = find(records, "make");
        QVERIFY(make);
        QCOMPARE(make->exitCode, std::optional<int>(0));
        QCOMPARE(make->peakRssBytes, 5 * kMiB);
    }

    // The root execs twice (sh -c 'exec cc1plus ...'): one record per image.
    void execWithoutForkStartsANewImage()
    {
        FakeSystem system;
        system.exec(kRoot, "/bin/sh", 1 * kMiB, 0);
        ProcessLedger ledger({});
        KqueueFollower follower(ledger, system);
        follower.adoptRoot(kRoot, kEngine);
        follower.handle(execed(kRoot));
        system.exec(kRoot, "/usr/libexec/cc1plus", 0, 0.01); // the CPU so far is the shell's
        follower.handle(execed(kRoot));
        system.processes[kRoot].usage = ProcessInspector::Usage {300 * kMiB, 1.0, 0};
        system.rootStatus = exitStatus(3);
        follower.handle(exited(kRoot, system.rootStatus));

        const std::vector<ProcessRecord> records = ledger.takeRecords();
        QCOMPARE(records.size(), std::size_t(2));
        QCOMPARE(records[0].argv.at(0), std::string("sh"));
        QCOMPARE(records[0].execCount, 1u);
        QVERIFY(!records[0].exitCode && !records[0].signal); // replaced by exec
        QVERIFY(!records[0].peakExact); // exec discarded the image before its peak could be read
        QCOMPARE(records[0].userCpuSeconds, 0.01);
        QCOMPARE(records[1].argv.at(0), std::string("cc1plus"));
        QCOMPARE(records[1].execCount, 2u);
        QCOMPARE(records[1].exitCode, std::optional<int>(3));
        QVERIFY(records[1].peakExact);
        QCOMPARE(records[1].peakRssBytes, 300 * kMiB);
        // CPU per image: the process's total at exit minus its total at the exec.
        QCOMPARE(records[1].userCpuSeconds, 1.0 - 0.01);
    }

    // A child that exited (and was reaped) before the fork note was read cannot be watched:
    // it is recorded as gone, its peak not known; nothing hangs waiting for its exit.
    void exitBeforeTheForkNoteIsRead()
    {
        FakeSystem system;
        system.exec(kRoot, "/usr/bin/make");
        ProcessLedger ledger({});
        KqueueFollower follower(ledger, system);
        follower.adoptRoot(kRoot, kEngine);
        follower.handle(execed(kRoot));
        system.fork(kRoot, 202);
        system.processes[202].watchable = false;
        system.processes[202].usage.reset();
        follower.handle(forked(kRoot));
        QVERIFY(!system.watched.count(202));
        follower.handle(exited(kRoot, exitStatus(0)));
        QVERIFY(follower.done());

        const std::vector<ProcessRecord> records = ledger.takeRecords();
        QCOMPARE(records.size(), std::size_t(2));
        const ProcessRecord& gone = records[1];
        QCOMPARE(gone.pid, 202);
        QVERIFY(!gone.peakExact);
        QVERIFY(QString::fromStdString(gone.note).contains("exit was not seen"));
    }

    // A child that had exec'd before it was watched is recorded with the image it runs.
    void childSeenAfterItsExec()
    {
        FakeSystem system;
        system.exec(kRoot, "/usr/bin/ninja");
        ProcessLedger ledger({});
        KqueueFollower follower(ledger, system);
        follower.adoptRoot(kRoot, kEngine);
        follower.handle(execed(kRoot));
        system.fork(kRoot, 203);
        system.exec(203, "/usr/bin/ld", 70 * kMiB);
        follower.handle(forked(kRoot)); // no exec note will come for 203: it happened before the watch
        follower.handle(exited(203));
        follower.handle(exited(kRoot, exitStatus(0)));

        const std::vector<ProcessRecord> records = ledger.takeRecords();
        const ProcessRecord* link = find(records, "ld", 203);
        QVERIFY(link);
        QCOMPARE(link->peakRssBytes, 70 * kMiB);
        QVERIFY(link->peakExact);
    }

    // A pid used again after its first process ended is a new record, not the old one.
    void pidReuseMakesANewRecord()
    {
        FakeSystem system;
        system.exec(kRoot, "/usr/bin/make");
        ProcessLedger ledger({});
        KqueueFollower follower(ledger, system);
        follower.adoptRoot(kRoot, kEngine);
        follower.handle(execed(kRoot));

        system.fork(kRoot, 204);
        follower.handle(forked(kRoot));
        system.exec(204, "/usr/bin/as", 20 * kMiB);
        follower.handle(execed(204));
        follower.handle(exited(204));
        system.childrenOf[kRoot].clear();
        // A late note for the ended pid is ignored.
        follower.handle(exited(204));

        system.fork(kRoot, 204);
        follower.handle(forked(kRoot));
        system.exec(204, "/usr/libexec/cc1plus", 250 * kMiB);
        follower.handle(execed(204));
        follower.handle(exited(204));
        follower.handle(exited(kRoot, exitStatus(0)));

        const std::vector<ProcessRecord> records = ledger.takeRecords();
        QCOMPARE(records.size(), std::size_t(3));
        const ProcessRecord* assembler = find(records, "as", 204);
        const ProcessRecord* compile = find(records, "cc1plus", 204);
        QVERIFY(assembler && compile && assembler != compile);
        QCOMPARE(assembler->peakRssBytes, 20 * kMiB);
        QCOMPARE(compile->peakRssBytes, 250 * kMiB);
        QVERIFY(compile->startSeconds >= assembler->endSeconds);
    }

    // A watched process that vanished without an exit note (its parent reaped it between
    // two reads): the sweep ends it with what is known, and the follower is done.
    void missedExitIsEndedBySweep()
    {
        FakeSystem system;
        system.exec(kRoot, "/bin/sh");
        ProcessLedger ledger({});
        KqueueFollower follower(ledger, system);
        follower.adoptRoot(kRoot, kEngine);
        follower.handle(execed(kRoot));
        system.fork(kRoot, 205);
        follower.handle(forked(kRoot));
        system.exec(205, "/usr/bin/true");
        follower.handle(execed(205));
        system.processes[205].alive = false;
        system.processes[205].usage.reset();
        follower.sweepVanished();
        follower.handle(exited(kRoot, exitStatus(0)));
        QVERIFY(follower.done());

        const std::vector<ProcessRecord> records = ledger.takeRecords();
        const ProcessRecord* lost = find(records, "true", 205);
        QVERIFY(lost);
        QVERIFY(!lost->peakExact);
        QVERIFY(!lost->exitCode && !lost->signal);
        QVERIFY(QString::fromStdString(lost->note).contains("exit was not seen"));
    }

    // A root that ends before it execs (exec failed) is no record, and start is reported failed.
    void rootThatNeverExecsIsNoRecord()
    {
        FakeSystem system;
        system.exec(kRoot, "/opt/engine/buildscope");
        ProcessLedger ledger({});
        KqueueFollower follower(ledger, system);
        follower.adoptRoot(kRoot, kEngine);
        system.rootStatus = exitStatus(127);
        follower.handle(exited(kRoot, system.rootStatus));
        QVERIFY(ledger.rootExited());
        QCOMPARE(WEXITSTATUS(ledger.rootWaitStatus()), 127);
        QVERIFY(ledger.takeRecords().empty());
    }

    // proc_pid_rusage's CPU times are Mach ticks: nanoseconds on Intel, 125/3 ns on Apple
    // silicon.
    void machTicksConvertByTheTimebase()
    {
        QCOMPARE(machTicksToSeconds(1'000'000'000, 1, 1), 1.0);
        QCOMPARE(machTicksToSeconds(24'000'000, 125, 3), 1.0); // 24 MHz ticks on M1
        QCOMPARE(machTicksToSeconds(0, 125, 3), 0.0);
        QCOMPARE(machTicksToSeconds(5, 0, 0), 5e-9); // no timebase: nanoseconds
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::KqueueFollowerTest)
#include "tst_kqueuefollower.moc"
