#include "engine/processrunner.h"

#include <QtTest>
#include <csignal>
#include <sys/wait.h>

namespace buildscope {

namespace {
struct Captured
{
    std::vector<std::string> out;
    std::vector<std::string> err;
};

ProcessOutcome runShell(const std::string& command, Captured* captured = nullptr,
    std::optional<std::chrono::milliseconds> timeout = std::nullopt, const std::atomic<bool>* cancel = nullptr,
    ProcessRunner::StartedHandler onStarted = {})
{
    ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", command};
    spec.environment = currentEnvironment();
    spec.timeout = timeout;
    spec.killGrace = std::chrono::milliseconds(300);
    static const std::atomic<bool> never {false};
    return ProcessRunner::run(
        spec,
        [captured](LogStream stream, std::string_view line) {
            if (captured)
                (stream == LogStream::Stdout ? captured->out : captured->err).emplace_back(line);
        },
        cancel ? *cancel : never, std::move(onStarted));
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
    // Everything we started has been reaped: there is no child left to wait for.
    return ::waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
}
} // namespace

class TestProcessRunner : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { ProcessRunner::becomeSubreaper(); }

    void capturesStdoutAndStderrLineByLine()
    {
        Captured captured;
        const ProcessOutcome outcome = runShell("printf 'a\\nb\\r\\n'; echo err >&2; printf 'no newline'", &captured);
        QCOMPARE(outcome.end, ProcessOutcome::End::Exited);
        QCOMPARE(outcome.exitCode, 0);
        QCOMPARE(captured.out, (std::vector<std::string> {"a", "b", "no newline"}));
        QCOMPARE(captured.err, (std::vector<std::string> {"err"}));
    }

    void exitCodeAndCommandNotFound()
    {
        QCOMPARE(runShell("exit 3").exitCode, 3);
        Captured captured;
        const ProcessOutcome missing = runShell("no-such-command-buildscope", &captured);
        QCOMPARE(missing.end, ProcessOutcome::End::Exited);
        QCOMPARE(missing.exitCode, 127);
        QVERIFY(!captured.err.empty());
    }

    void killedBySignalIsReported()
    {
        const ProcessOutcome outcome = runShell("kill -9 $$");
        QCOMPARE(outcome.end, ProcessOutcome::End::Signaled);
        QCOMPARE(outcome.signal, SIGKILL);
    }

    void failingToStartSaysWhy()
    {
        ProcessSpec spec;
        spec.argv = {"/nonexistent/program"};
        const std::atomic<bool> never {false};
        const ProcessOutcome outcome = ProcessRunner::run(spec, {}, never);
        QCOMPARE(outcome.end, ProcessOutcome::End::FailedToStart);
        QVERIFY2(outcome.error.find("/nonexistent/program") != std::string::npos, outcome.error.c_str());
        QVERIFY2(outcome.error.find("No such file") != std::string::npos, outcome.error.c_str());

        spec.argv = {"/bin/true"};
        spec.workingDirectory = "/nonexistent/dir";
        const ProcessOutcome badDir = ProcessRunner::run(spec, {}, never);
        QCOMPARE(badDir.end, ProcessOutcome::End::FailedToStart);
        QVERIFY2(badDir.error.find("/nonexistent/dir") != std::string::npos, badDir.error.c_str());
    }

    void timeoutKillsTheWholeGroup()
    {
        // The shell starts a background sleeper and a foreground one; both must die.
        // An unusual duration marks our sleepers in /proc/*/cmdline.
        const QString marker = "31.4159";
        std::atomic<bool> seen {false};
        std::atomic<bool> finished {false};
        std::thread watcher([&] { // proves the check below is not vacuous
            while (!finished && !seen)
                seen = !noProcessWith(marker);
        });
        const auto start = std::chrono::steady_clock::now();
        const ProcessOutcome outcome
            = runShell("sleep 31.4159 & sleep 31.4159", nullptr, std::chrono::milliseconds(500));
        finished = true;
        watcher.join();
        QVERIFY(seen);
        const auto elapsed = std::chrono::steady_clock::now() - start;
        QCOMPARE(outcome.end, ProcessOutcome::End::TimedOut);
        QVERIFY(elapsed < std::chrono::seconds(10));
        QVERIFY(noProcessWith(marker));
        QVERIFY(noZombieChildren());
    }

    void processIgnoringSigtermIsKilled()
    {
        const ProcessOutcome outcome
            = runShell("trap '' TERM; while :; do sleep 0.05; done", nullptr, std::chrono::milliseconds(200));
        QCOMPARE(outcome.end, ProcessOutcome::End::TimedOut);
        QCOMPARE(outcome.signal, SIGKILL);
        QVERIFY(noZombieChildren());
    }

    void cancelStopsARunningProcess()
    {
        std::atomic<bool> cancel {false};
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            cancel = true;
        });
        const ProcessOutcome outcome = runShell("sleep 30", nullptr, std::nullopt, &cancel);
        canceller.join();
        QCOMPARE(outcome.end, ProcessOutcome::End::Cancelled);
        QVERIFY(noZombieChildren());
    }

    void backgroundLeftoversAreKilledAndReaped()
    {
        // The shell exits at once but leaves a daemon holding its stdout open.
        const QString marker = "32.7183";
        const auto start = std::chrono::steady_clock::now();
        const ProcessOutcome outcome = runShell("(sleep 32.7183) & echo started");
        QCOMPARE(outcome.end, ProcessOutcome::End::Exited);
        QCOMPARE(outcome.exitCode, 0);
        QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
        QTRY_VERIFY_WITH_TIMEOUT(noProcessWith(marker), 3000);
        QVERIFY(noZombieChildren());
    }

    void orphanedGrandchildrenAreReaped()
    {
        // The middle process exits, orphaning a grandchild in the same group: with the
        // subreaper set it becomes our child and must be reaped, not left a zombie.
        const ProcessOutcome outcome = runShell("sh -c 'sleep 0.2 &' ; sleep 0.5");
        QCOMPARE(outcome.exitCode, 0);
        QVERIFY(noZombieChildren());
    }

    void endlessLineArrivesInBoundedParts()
    {
        Captured captured;
        const ProcessOutcome outcome = runShell("head -c 200000 /dev/zero | tr '\\0' x", &captured);
        QCOMPARE(outcome.exitCode, 0);
        std::size_t total = 0;
        for (const std::string& part : captured.out) {
            QVERIFY(part.size() <= BuildLog::kMaxLineBytes + 32 * 1024);
            total += part.size();
        }
        QCOMPARE(total, std::size_t {200000});
    }

    void cpuTimeAndMaxRssOfTheTree()
    {
        const ProcessOutcome outcome = runShell("i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done");
        QCOMPARE(outcome.exitCode, 0);
        QVERIFY(outcome.userCpuSeconds + outcome.systemCpuSeconds > 0.01);
        QVERIFY(outcome.maxRssBytes > 0);
    }

    void findInPath()
    {
        QCOMPARE(ProcessRunner::findInPath("sh").empty(), false);
        QVERIFY(ProcessRunner::findInPath("no-such-program-buildscope").empty());
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestProcessRunner)
#include "tst_processrunner.moc"
