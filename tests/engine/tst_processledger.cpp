// The process ledger through ProcessRunner::run, as the engine uses it: every process of
// a step's tree recorded with its exact peak, faults included (docs/METRICS.md
// "Per-process peaks (the ledger)"). No assertion on timings: "in bounded time" is
// CTest's timeout for the whole test (tests/engine/CMakeLists.txt), far above what a
// loaded machine under the sanitizers needs.
#include "engine/processrunner.h"

#include <QtTest>
#include <algorithm>
#include <csignal>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <time.h>
#include <unistd.h>

namespace buildscope {

namespace {

struct Run
{
    ProcessOutcome outcome;
    std::vector<std::string> out;
};

Run runSpec(ProcessSpec spec, const std::atomic<bool>* cancel = nullptr)
{
    if (spec.environment.empty())
        spec.environment = currentEnvironment();
    static const std::atomic<bool> never {false};
    Run run;
    run.outcome = ProcessRunner::run(
        spec,
        [&run](LogStream stream, std::string_view line) {
            if (stream == LogStream::Stdout)
                run.out.emplace_back(line);
        },
        cancel ? *cancel : never);
    return run;
}

Run runShell(const std::string& command, std::optional<std::chrono::milliseconds> timeout = std::nullopt,
    const std::atomic<bool>* cancel = nullptr)
{
    ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", command};
    spec.timeout = timeout;
    spec.killGrace = std::chrono::milliseconds(300);
    return runSpec(std::move(spec), cancel);
}

std::string baseName(const std::string& path)
{
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::vector<const ProcessRecord*> withExecutable(const ProcessOutcome& outcome, const std::string& name)
{
    std::vector<const ProcessRecord*> found;
    for (const ProcessRecord& record : outcome.processes) {
        if (baseName(record.executable) == name)
            found.push_back(&record);
    }
    return found;
}

std::string describe(const ProcessOutcome& outcome)
{
    std::string text = "note: " + outcome.ledgerNote + "\n";
    for (const ProcessRecord& record : outcome.processes) {
        text += std::to_string(record.pid) + " <- " + std::to_string(record.parentPid) + " exec#"
            + std::to_string(record.execCount) + " " + record.executable + " peak "
            + std::to_string(record.peakRssBytes) + (record.peakExact ? " exact" : " last-read") + " " + record.note
            + "\n";
        if (text.size() > 4000)
            return text + "...";
    }
    return text;
}

// True when no process whose command line contains `marker` exists.
bool noProcessWith(const QString& marker)
{
    const QDir proc("/proc");
    for (const QString& entry : proc.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool isPid = false;
        entry.toInt(&isPid);
        if (!isPid)
            continue;
        QFile cmdline("/proc/" + entry + "/cmdline");
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().replace('\0', ' ').contains(marker.toUtf8()))
            return false;
    }
    return true;
}

bool noZombieChildren()
{
    return ::waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

// Reaps what this subreaper inherited; true once nothing is left.
bool reapOrphans()
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        const pid_t reaped = ::waitpid(-1, nullptr, WNOHANG);
        if (reaped < 0 && errno == ECHILD)
            return true;
        if (reaped == 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

// Clock ticks since boot, the unit of /proc/PID/stat's start time.
unsigned long long ticksSinceBoot()
{
    timespec now {};
    ::clock_gettime(CLOCK_BOOTTIME, &now);
    const auto hz = static_cast<unsigned long long>(::sysconf(_SC_CLK_TCK));
    return static_cast<unsigned long long>(now.tv_sec) * hz
        + static_cast<unsigned long long>(now.tv_nsec) * hz / 1000000000ULL;
}

// The former pids of a run that are still stopped ('t', 'T') or zombies ('Z'). A pid
// taken by a process that started after `endTicks` is someone else's and is skipped.
std::vector<std::string> stoppedOrZombie(const ProcessOutcome& outcome, unsigned long long endTicks)
{
    std::vector<std::string> found;
    for (const ProcessRecord& record : outcome.processes) {
        QFile stat(QString("/proc/%1/stat").arg(record.pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const std::string text = stat.readAll().toStdString();
        const std::size_t close = text.rfind(')');
        if (close == std::string::npos || close + 2 >= text.size())
            continue;
        const char state = text[close + 2];
        QStringList fields = QString::fromStdString(text.substr(close + 2)).split(' ');
        const unsigned long long started = fields.size() > 19 ? fields[19].toULongLong() : 0;
        if ((state == 't' || state == 'T' || state == 'Z') && started <= endTicks)
            found.push_back(std::to_string(record.pid) + " " + state);
    }
    return found;
}

std::string joined(const std::vector<std::string>& lines)
{
    std::string text;
    for (const std::string& line : lines)
        text += line + "\n";
    return text;
}

std::uint64_t ownPeakBytes()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stoull(line.substr(6)) * 1024;
    }
    return 0;
}

// Runs a helper program untraced (the ledger must not trace a helper that is itself the
// engine), its stdout and stderr merged. Not QProcess: under ThreadSanitizer its
// vfork-style start leaves this process marked as a multithreaded fork's child, and the
// next thread it starts is fatal.
Run runHelper(std::vector<std::string> argv, const ProcessRunner::StartedHandler& onStarted = {})
{
    ProcessSpec spec;
    spec.argv = std::move(argv);
    spec.traceProcesses = false;
    // LeakSanitizer stops the world with ptrace at exit, which fails under strace.
    std::string asanOptions = "ASAN_OPTIONS=detect_leaks=0";
    for (std::string& variable : currentEnvironment()) {
        if (variable.rfind("ASAN_OPTIONS=", 0) == 0)
            asanOptions = variable + ":detect_leaks=0"; // the last setting of an option wins
        else
            spec.environment.push_back(std::move(variable));
    }
    spec.environment.push_back(asanOptions);
    static const std::atomic<bool> never {false};
    Run run;
    run.outcome = ProcessRunner::run(
        spec, [&run](LogStream, std::string_view line) { run.out.emplace_back(line); }, never, onStarted);
    return run;
}

bool contains(const std::vector<std::string>& lines, std::string_view text)
{
    return std::any_of(
        lines.begin(), lines.end(), [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

} // namespace

class TestProcessLedger : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { ProcessRunner::becomeSubreaper(); }

    void aOneMillisecondProcessHasItsPeak()
    {
        const Run run = runShell("/bin/true; exit 0");
        QCOMPARE(run.outcome.exitCode, 0);
        QVERIFY2(run.outcome.ledgerNote.empty(), run.outcome.ledgerNote.c_str());
        const auto trues = withExecutable(run.outcome, "true");
        QVERIFY2(trues.size() == 1, describe(run.outcome).c_str());
        const ProcessRecord& record = *trues[0];
        QVERIFY(record.peakExact);
        QVERIFY(record.peakRssBytes > 0);
        QCOMPARE(record.exitCode.value_or(-1), 0);
        QCOMPARE(record.execCount, 1u);
        QVERIFY(record.endSeconds >= record.startSeconds);
        QCOMPARE(record.argv, (std::vector<std::string> {"/bin/true"}));
        QVERIFY(!record.workingDirectory.empty());
        // Its parent is the shell, the root.
        QCOMPARE(record.parentPid, run.outcome.processes.front().pid);
        QCOMPARE(run.outcome.processes.front().execCount, 1u);
        QCOMPARE(run.outcome.processes.front().argv.front(), std::string("/bin/sh"));
    }

    void peakMatchesUsrBinTimeAndHoldsNothingOfTheEngine()
    {
        if (!QFile::exists("/usr/bin/time"))
            QSKIP("/usr/bin/time is not installed (Debian package 'time')");
        // The engine (this test) holds 96 MiB, so a leak of its pages into a record shows.
        std::vector<char> ballast(96u << 20, 1);
        QVERIFY(ownPeakBytes() > (96u << 20));

        const std::string hog = std::string(MEMHOG) + " 64 200";
        const Run run = runShell(hog + "; exit 0");
        QCOMPARE(run.outcome.exitCode, 0);
        const auto hogs = withExecutable(run.outcome, "memhog");
        QVERIFY2(hogs.size() == 1, describe(run.outcome).c_str());
        QVERIFY(hogs[0]->peakExact);

        // -o /dev/stdout: %M alone on the last line, after memhog's own.
        const Run time = runHelper({"/usr/bin/time", "-f", "%M", "-o", "/dev/stdout", MEMHOG, "64", "200"});
        QCOMPARE(time.outcome.exitCode, 0);
        QVERIFY(!time.out.empty());
        const double timeBytes = std::stod(time.out.back()) * 1024;
        const double ledgerBytes = static_cast<double>(hogs[0]->peakRssBytes);
        QVERIFY2(std::abs(ledgerBytes - timeBytes) <= 0.01 * timeBytes,
            qPrintable(QString("ledger %1, /usr/bin/time %2").arg(ledgerBytes).arg(timeBytes)));

        // The shell's record is the shell's own pages, not the 96 MiB engine it was forked from.
        const ProcessRecord& shell = run.outcome.processes.front();
        QVERIFY(shell.peakExact);
        QVERIFY2(shell.peakRssBytes < (16u << 20), describe(run.outcome).c_str());
        QCOMPARE(run.outcome.maxRssBytes, hogs[0]->peakRssBytes);
        QCOMPARE(ballast[ballast.size() / 2], char {1});
    }

    void twoThousandShortProcessesAreAllRecorded()
    {
        const Run run = runShell("for i in $(seq 2000); do /bin/true; done");
        QCOMPARE(run.outcome.exitCode, 0);
        const auto trues = withExecutable(run.outcome, "true");
        QCOMPARE(trues.size(), std::size_t {2000});
        QVERIFY(run.outcome.processes.size() >= 2001);
        for (const ProcessRecord* record : trues) {
            QVERIFY(record->peakExact);
            QVERIFY(record->peakRssBytes > 0);
            QCOMPARE(record->exitCode.value_or(-1), 0);
        }
    }

    void eachExecIsANewRecord()
    {
        // One pid, four images: sh, sh, env, true. The fork prelude of the root is folded
        // into its first image; the others are closed by the next exec.
        const Run run = runShell("exec /bin/sh -c 'exec env /bin/true'");
        QCOMPARE(run.outcome.exitCode, 0);
        const pid_t root = run.outcome.processes.front().pid;
        std::vector<const ProcessRecord*> images;
        for (const ProcessRecord& record : run.outcome.processes) {
            if (record.pid == root)
                images.push_back(&record);
        }
        QVERIFY2(images.size() == 4, describe(run.outcome).c_str());
        const std::vector<std::string> expected {"sh", "sh", "env", "true"};
        for (std::size_t i = 0; i < images.size(); ++i) {
            QCOMPARE(images[i]->execCount, static_cast<unsigned>(i + 1));
            QCOMPARE(baseName(images[i]->argv.front()), expected[i]);
            if (i + 1 < images.size()) {
                QVERIFY(!images[i]->exitCode && !images[i]->signal); // replaced, not ended
                QVERIFY(!images[i]->peakExact);
                QVERIFY(images[i]->note.find("replaced by exec") != std::string::npos);
                QCOMPARE(images[i]->endSeconds, images[i + 1]->startSeconds);
            }
        }
        QCOMPARE(images.back()->exitCode.value_or(-1), 0);
        QVERIFY(images.back()->peakExact);
    }

    void execFromASecondThreadIsANewRecord()
    {
        ProcessSpec spec;
        spec.argv = {LEDGERSCENARIO, "threadexec", "/bin/true"};
        const Run run = runSpec(spec);
        QCOMPARE(run.outcome.exitCode, 0);
        const auto trues = withExecutable(run.outcome, "true");
        QVERIFY2(trues.size() == 1, describe(run.outcome).c_str());
        QCOMPARE(trues[0]->pid, run.outcome.processes.front().pid); // exec took the process's pid
        QCOMPARE(trues[0]->execCount, 2u);
        QVERIFY(trues[0]->peakExact);
        QCOMPARE(run.outcome.processes.size(), std::size_t {2}); // threads are not records
    }

    void leaderExitingFirstStillGivesTheWholePeak()
    {
        // main() calls pthread_exit; the other thread then touches 48 MiB: the peak is read
        // at the last thread's exit, not the leader's.
        ProcessSpec spec;
        spec.argv = {LEDGERSCENARIO, "leaderfirst", "48"};
        const Run run = runSpec(spec);
        QCOMPARE(run.outcome.exitCode, 0);
        QCOMPARE(run.outcome.processes.size(), std::size_t {1});
        const ProcessRecord& record = run.outcome.processes.front();
        QVERIFY(record.peakExact);
        QVERIFY2(record.peakRssBytes >= (48u << 20), describe(run.outcome).c_str());
    }

    void doubleForkedDaemonIsRecordedAndKilled()
    {
        // A subshell starts a setsid'd sleeper in the background and exits: the sleeper is
        // in a session and group of its own, orphaned, and holds no pipe of ours. The step
        // ends once it runs (pgrep: its command line, which the shell's own does not match).
        if (QStandardPaths::findExecutable("pgrep").isEmpty())
            QSKIP("pgrep (procps) is not installed");
        const QString marker = "37.1828";
        const Run run = runShell("n=37.1828; ( setsid sleep $n >/dev/null 2>&1 & ) ; "
                                 "until pgrep -f \"^sleep $n\" >/dev/null; do sleep 0.01; done; echo started");
        QCOMPARE(run.outcome.exitCode, 0);
        std::vector<const ProcessRecord*> sleeps; // the daemon, not the polling loop's sleeps
        for (const ProcessRecord* record : withExecutable(run.outcome, "sleep")) {
            if (record->argv.back() == "37.1828")
                sleeps.push_back(record);
        }
        QVERIFY2(sleeps.size() == 1, describe(run.outcome).c_str());
        QCOMPARE(sleeps[0]->signal.value_or(0), SIGKILL); // killed at the end of the step
        QVERIFY(noProcessWith(marker));
        QVERIFY(noZombieChildren());
    }

    void tenThousandChildrenAreAllRecorded()
    {
        ProcessSpec spec;
        spec.argv = {LEDGERSCENARIO, "forkmany", "10000"};
        const Run run = runSpec(spec);
        QCOMPARE(run.outcome.exitCode, 0);
        QCOMPARE(run.out, (std::vector<std::string> {"forked 10000"}));
        QCOMPARE(run.outcome.processes.size(), std::size_t {10001});
        const pid_t root = run.outcome.processes.front().pid;
        std::set<pid_t> children;
        for (std::size_t i = 1; i < run.outcome.processes.size(); ++i) {
            const ProcessRecord& child = run.outcome.processes[i];
            QCOMPARE(child.parentPid, root);
            QCOMPARE(child.execCount, 0u); // forked without exec: its parent's image
            QCOMPARE(child.exitCode.value_or(-1), 0);
            QCOMPARE(baseName(child.executable), std::string("ledgerscenario"));
            children.insert(child.pid);
        }
        QVERIFY(noZombieChildren());
    }

    void oneMegabyteArgvIsBounded()
    {
        // Ten 100 KiB arguments (one argument may not exceed 128 KiB), to the root and to a child.
        const std::string big(100 * 1024, 'x');
        ProcessSpec spec;
        spec.argv = {"/bin/sh", "-c", "/bin/true \"$@\"; exit 0", "sh"};
        for (int i = 0; i < 10; ++i)
            spec.argv.push_back(big);
        const Run run = runSpec(spec);
        QCOMPARE(run.outcome.exitCode, 0);
        for (const ProcessRecord& record : run.outcome.processes) {
            std::size_t kept = 0;
            for (const std::string& arg : record.argv)
                kept += arg.size() + 1;
            QVERIFY(kept <= ProcessRecord::kMaxArgvBytes + 1); // a cut last argument has no terminator
            QVERIFY(record.argvTruncated);
            QVERIFY2(record.argvBytes > 1000 * 1000, std::to_string(record.argvBytes).c_str());
        }
        QVERIFY2(withExecutable(run.outcome, "true").size() == 1, describe(run.outcome).c_str());
    }

    void cancelWithHundredsOfProcessesLeavesNothing()
    {
        // 300 sleepers, a few of them stopped (SIGSTOP: group-stop, kept under the ledger);
        // cancel while they run.
        std::atomic<bool> cancel {false};
        std::thread canceller([&] {
            for (int i = 0; i < 3000 && noProcessWith("sleep 38.93"); ++i) // the last one started
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            cancel = true;
        });
        const Run run = runShell("for i in $(seq 300); do sleep 38.$i & done; "
                                 "for i in 1 2 3; do sleep 38.9$i & kill -STOP $!; done; wait",
            std::nullopt, &cancel);
        canceller.join();
        const unsigned long long endTicks = ticksSinceBoot();
        QCOMPARE(run.outcome.end, ProcessOutcome::End::Cancelled);
        QVERIFY2(withExecutable(run.outcome, "sleep").size() >= 100, describe(run.outcome).c_str());
        const std::vector<std::string> left = stoppedOrZombie(run.outcome, endTicks);
        QVERIFY2(left.empty(), joined(left).c_str());
        QVERIFY(noProcessWith("sleep 38."));
        QVERIFY(noZombieChildren());
    }

    void timeoutWithHundredsOfProcessesLeavesNothing()
    {
        // Some sleepers ignore SIGTERM, some are stopped: SIGKILL after the grace ends them all.
        const Run run = runShell("for i in $(seq 200); do sleep 39.$i & done; "
                                 "for i in $(seq 100); do sh -c 'trap \"\" TERM; exec sleep 39.7$0' $i & done; "
                                 "for i in 1 2 3; do sleep 39.9$i & kill -STOP $!; done; wait",
            std::chrono::milliseconds(2500));
        const unsigned long long endTicks = ticksSinceBoot();
        QCOMPARE(run.outcome.end, ProcessOutcome::End::TimedOut);
        QVERIFY2(withExecutable(run.outcome, "sleep").size() >= 100, describe(run.outcome).c_str());
        const std::vector<std::string> left = stoppedOrZombie(run.outcome, endTicks);
        QVERIFY2(left.empty(), joined(left).c_str());
        QVERIFY(noProcessWith("sleep 39."));
        QVERIFY(noZombieChildren());
    }

    void engineAlreadyTracedFallsBackUntraced()
    {
        const QString strace = QStandardPaths::findExecutable("strace");
        if (strace.isEmpty())
            QSKIP("strace is not installed: cannot run the engine under a tracer");
        const Run helper = runHelper({strace.toStdString(), "-f", "-o", "/dev/null", LEDGERHELPER, "--records", "--",
            "/bin/sh", "-c", "echo ran"});
        const std::string output = joined(helper.out);
        if (helper.outcome.exitCode != 0 && output.find("strace:") != std::string::npos)
            QSKIP(("strace cannot trace here: " + output).c_str());
        QVERIFY2(helper.outcome.exitCode == 0, output.c_str());
        QVERIFY2(contains(helper.out, "ran"), output.c_str()); // the build still ran
        QVERIFY2(contains(helper.out, "outcome end=0 exit=0 signal=0 records=0 maxrss=0"), output.c_str());
        QVERIFY2(contains(helper.out, "note process ledger off"), output.c_str());
        QVERIFY2(contains(helper.out, "being traced"), output.c_str());
    }

    void setuidProgramIsNoted()
    {
        QTemporaryDir directory(QDir::currentPath() + "/setuid-XXXXXX"); // not /tmp, often nosuid
        QVERIFY(directory.isValid());
        const std::string id = directory.filePath("id").toStdString();
        if (!QFile::copy("/usr/bin/id", QString::fromStdString(id)))
            QSKIP("cannot copy /usr/bin/id");
        if (::geteuid() == 0 && ::chown(id.c_str(), 65534, 65534) != 0)
            QSKIP("cannot give the copy to another owner");
        if (::chmod(id.c_str(), 04755) != 0)
            QSKIP("cannot set the setuid bit");
        ProcessSpec spec;
        spec.argv = {id, "-u"};
        const Run run = runSpec(spec);
        QCOMPARE(run.outcome.exitCode, 0);
        QCOMPARE(run.outcome.processes.size(), std::size_t {1});
        const ProcessRecord& record = run.outcome.processes.front();
        QVERIFY2(record.note.find("setuid executable") != std::string::npos, record.note.c_str());
        // What it ran as matches what the note says.
        QCOMPARE(run.out.size(), std::size_t {1});
        const std::string owner = std::to_string(::geteuid() == 0 ? 65534 : ::geteuid());
        QVERIFY2((record.note.find("WITHOUT") != std::string::npos) == (run.out[0] != owner),
            (run.out[0] + ": " + record.note).c_str());
    }

    void theBuildDiesWithTheEngine_data()
    {
        QTest::addColumn<bool>("traced");
        QTest::addColumn<QString>("marker");
        QTest::newRow("traced") << true << "40.1111";
        QTest::newRow("untraced") << false << "40.2222";
    }

    void theBuildDiesWithTheEngine()
    {
        QFETCH(bool, traced);
        QFETCH(QString, marker);
        // Traced, the sleeper is a grandchild (PTRACE_O_EXITKILL kills it); untraced, the
        // shell execs it, so it is the root (PR_SET_PDEATHSIG kills it).
        std::vector<std::string> arguments {LEDGERHELPER};
        if (!traced)
            arguments.emplace_back("--untraced");
        const std::string sleep = "sleep " + marker.toStdString();
        for (const std::string& argument : {std::string("--"), std::string("/bin/sh"), std::string("-c"),
                 traced ? sleep + "; exit 0" : "exec " + sleep})
            arguments.push_back(argument);
        std::atomic<pid_t> helperPid {0};
        Run helper;
        std::thread engine([&] { helper = runHelper(arguments, [&](pid_t pid) { helperPid = pid; }); });
        // The helper's own command line holds the marker too: wait for its pid as well, or
        // kill(0, SIGKILL) would kill this test's whole process group (ctest with it).
        QTRY_VERIFY_WITH_TIMEOUT(helperPid.load() > 0 && !noProcessWith("sleep " + marker), 30000);
        QVERIFY(helperPid.load() > 0);
        ::kill(helperPid.load(), SIGKILL);
        engine.join();
        QCOMPARE(helper.outcome.signal, SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(noProcessWith("sleep " + marker), 10000);
        // The shell and the sleeper, orphaned, came to this subreaper: reap them.
        QVERIFY(reapOrphans());
    }

    void liveSetAndRecordEventsFromOtherThreads()
    {
        LiveProcessSet live;
        std::mutex mutex;
        std::vector<std::pair<ProcessRecordEvent, pid_t>> events;
        std::set<std::thread::id> callbackThreads;
        std::atomic<std::size_t> mostLive {0};
        std::atomic<bool> done {false};
        std::atomic<bool> sawComplete {false};
        std::thread reader([&] {
            std::vector<pid_t> pids;
            while (!done) {
                live.snapshot(pids);
                if (live.complete())
                    sawComplete = true;
                mostLive = std::max(mostLive.load(), pids.size());
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
        });
        ProcessSpec spec;
        spec.argv = {"/bin/sh", "-c", "for i in 1 2 3 4 5; do sleep 0.3 & done; wait; /bin/true"};
        spec.liveProcesses = &live;
        spec.onRecord = [&](ProcessRecordEvent event, const ProcessRecord& record) {
            std::lock_guard lock(mutex);
            events.emplace_back(event, record.pid);
            callbackThreads.insert(std::this_thread::get_id());
        };
        const Run run = runSpec(spec);
        done = true;
        reader.join();
        QCOMPARE(run.outcome.exitCode, 0);
        QVERIFY(sawComplete);
        QVERIFY2(mostLive >= 6, std::to_string(mostLive).c_str()); // the shell and its five sleepers
        QCOMPARE(live.size(), std::size_t {0});
        QVERIFY(!live.complete());
        // Every record started once and ended once, started first, on one thread not ours.
        std::lock_guard lock(mutex);
        QCOMPARE(events.size(), run.outcome.processes.size() * 2);
        QCOMPARE(callbackThreads.size(), std::size_t {1});
        QVERIFY(!callbackThreads.count(std::this_thread::get_id()));
        std::map<pid_t, int> open;
        for (const auto& [event, pid] : events) {
            if (event == ProcessRecordEvent::Started)
                QVERIFY(++open[pid] == 1);
            else
                QVERIFY(--open[pid] == 0);
        }
    }

    void untracedHasNoRecordsAndNoInheritedPeak()
    {
        ProcessSpec spec;
        spec.argv = {"/bin/sh", "-c", std::string(MEMHOG) + " 32 50; exit 4"};
        spec.traceProcesses = false;
        const Run run = runSpec(spec);
        QCOMPARE(run.outcome.end, ProcessOutcome::End::Exited);
        QCOMPARE(run.outcome.exitCode, 4);
        QVERIFY(run.outcome.processes.empty());
        QCOMPARE(run.outcome.maxRssBytes, std::uint64_t {0}); // not ru_maxrss
        QVERIFY2(run.outcome.ledgerNote.find("off") != std::string::npos, run.outcome.ledgerNote.c_str());
        QVERIFY(run.outcome.userCpuSeconds + run.outcome.systemCpuSeconds > 0);
        QVERIFY(noZombieChildren());
    }

    void failedStartLeavesNoRecord()
    {
        ProcessSpec spec;
        spec.argv = {"/nonexistent/program"};
        const Run run = runSpec(spec);
        QCOMPARE(run.outcome.end, ProcessOutcome::End::FailedToStart);
        QVERIFY(run.outcome.processes.empty());
        QVERIFY2(run.outcome.error.find("No such file") != std::string::npos, run.outcome.error.c_str());
        QVERIFY(noZombieChildren());
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestProcessLedger)
#include "tst_processledger.moc"
