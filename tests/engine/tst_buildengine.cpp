#include "engine/buildengine.h"
#include "engine/processrunner.h"

#include <QtTest>
#include <cmath>
#include <fstream>
#include <sys/wait.h>

namespace buildscope {

namespace {

StepSpec runStep(std::string name, std::string command, std::optional<std::chrono::milliseconds> timeout = {})
{
    StepSpec step;
    step.name = std::move(name);
    step.kind = StepKind::Run;
    step.command = std::move(command);
    step.timeout = timeout;
    return step;
}

struct Fixture
{
    QTemporaryDir directory;
    BuildSpec spec;

    Fixture()
    {
        spec.name = "test";
        spec.file = directory.filePath("buildscope.yaml").toStdString();
        spec.context = directory.path().toStdString();
        spec.sampleHz = 50;
        std::ofstream(directory.filePath("hello.txt").toStdString()) << "hello\n";
    }
};

EngineOptions fastOptions()
{
    EngineOptions options;
    options.killGrace = std::chrono::milliseconds(300);
    return options;
}

bool noChildrenLeft()
{
    return ::waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

double maxOf(const BuildEngine& engine, const char* series)
{
    const int index = engine.sampler().seriesIndex(series);
    const TimeSeriesStore::Snapshot snapshot = engine.store().snapshot();
    const TimeSeriesStore::Range range = snapshot.range(0, snapshot.lastSeconds(), 1);
    return range.buckets.empty() ? std::nan("") : range.maxAt(static_cast<std::size_t>(index), 0);
}

} // namespace

class TestBuildEngine : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { ProcessRunner::becomeSubreaper(); }

    void stepsRunInOrderWithTheirOutput()
    {
        Fixture fixture;
        fixture.spec.env = {{"GREETING", "hi"}, {"WHO", "${GREETING} there"}};
        fixture.spec.steps = {runStep("one", "echo ${WHO} from $CONTEXT"), runStep("two", "cat hello.txt")};
        BuildEngine engine(fixture.spec, fastOptions());
        const RunResult& result = engine.run();

        QCOMPARE(result.status, RunStatus::Succeeded);
        QCOMPARE(result.steps.size(), std::size_t {2});
        QCOMPARE(result.steps[0].status, StepStatus::Succeeded);
        QCOMPARE(result.steps[0].exitCode.value_or(-1), 0);
        QVERIFY(result.steps[1].startSeconds >= result.steps[0].endSeconds);
        const std::vector<LogEntry> log = engine.log().tail(1000);
        const auto has = [&](const std::string& step, const std::string& text) {
            return std::any_of(log.begin(), log.end(),
                [&](const LogEntry& e) { return e.step == step && e.text == text && e.stream == LogStream::Stdout; });
        };
        QVERIFY(has("one", "hi there from " + fixture.spec.context.string()));
        QVERIFY(has("two", "hello"));

        std::vector<EngineEvent> events;
        engine.drainEvents(events);
        QCOMPARE(events.size(), std::size_t {5}); // 2 x (started, finished) + run finished
        QCOMPARE(events.back().type, EngineEvent::Type::RunFinished);
    }

    void failingStepStopsTheBuild()
    {
        Fixture fixture;
        fixture.spec.steps = {runStep("fails", "echo boom >&2; exit 3"), runStep("never", "true")};
        BuildEngine engine(fixture.spec, fastOptions());
        const RunResult& result = engine.run();
        QCOMPARE(result.status, RunStatus::Failed);
        QCOMPARE(result.steps[0].status, StepStatus::Failed);
        QCOMPARE(result.steps[0].exitCode.value_or(-1), 3);
        QCOMPARE(result.steps[1].status, StepStatus::NotRun);
        QVERIFY2(result.failure.find("fails") != std::string::npos, result.failure.c_str());
    }

    void continueOnErrorKeepsGoing()
    {
        Fixture fixture;
        StepSpec fails = runStep("fails", "exit 1");
        fails.continueOnError = true;
        fixture.spec.steps = {fails, runStep("after", "true")};
        BuildEngine engine(fixture.spec, fastOptions());
        const RunResult& result = engine.run();
        QCOMPARE(result.status, RunStatus::Succeeded);
        QCOMPARE(result.steps[0].status, StepStatus::Failed);
        QCOMPARE(result.steps[1].status, StepStatus::Succeeded);
    }

    void commandNotFoundIsNamed()
    {
        Fixture fixture;
        fixture.spec.steps = {runStep("missing", "no-such-tool-buildscope --flag")};
        BuildEngine engine(fixture.spec, fastOptions());
        const RunResult& result = engine.run();
        QCOMPARE(result.steps[0].exitCode.value_or(-1), 127);
        QVERIFY2(result.steps[0].note.find("command not found") != std::string::npos, result.steps[0].note.c_str());
    }

    void signalAndTimeoutAreReported()
    {
        Fixture fixture;
        StepSpec killed = runStep("killed", "kill -SEGV $$$$"); // "$$" is the spec's escape for "$"
        killed.continueOnError = true;
        fixture.spec.steps = {killed, runStep("slow", "sleep 30", std::chrono::milliseconds(300))};
        BuildEngine engine(fixture.spec, fastOptions());
        const RunResult& result = engine.run();
        QCOMPARE(result.steps[0].status, StepStatus::Failed);
        QVERIFY2(result.steps[0].signal.value_or(0) == SIGSEGV, result.steps[0].note.c_str());
        QVERIFY2(result.steps[0].note.find("SIGSEGV") != std::string::npos, result.steps[0].note.c_str());
        QCOMPARE(result.steps[1].status, StepStatus::TimedOut);
        QVERIFY(result.steps[1].wallSeconds() < 10);
        QCOMPARE(result.status, RunStatus::Failed);
        QVERIFY(noChildrenLeft());
    }

    void cancelMidStepKillsChildrenAndKeepsSamples()
    {
        Fixture fixture;
        fixture.spec.steps = {runStep("long", "sleep 30 & sleep 30"), runStep("after", "true")};
        BuildEngine engine(fixture.spec, fastOptions());
        engine.start();
        QTRY_VERIFY_WITH_TIMEOUT(engine.progress().currentStep == 0, 5000);
        QTest::qWait(300);
        engine.cancel();
        QVERIFY(engine.waitFor(std::chrono::seconds(10)));
        const RunResult& result = engine.result();
        QCOMPARE(result.status, RunStatus::Cancelled);
        QCOMPARE(result.steps[0].status, StepStatus::Cancelled);
        QCOMPARE(result.steps[1].status, StepStatus::NotRun);
        QVERIFY(noChildrenLeft());
        // The samples taken while it ran are kept (and include the process tree).
        QVERIFY(engine.store().sampleCount() >= 5);
        QVERIFY(maxOf(engine, "tree_rss_bytes") > 0);
    }

    void stepPeakRssMatchesWhatTheProcessTouched()
    {
        // memhog touches 200 MiB and holds it 600 ms: the step's peak (its largest process,
        // exact) must be within 10 % of that, as /usr/bin/time would report.
        Fixture fixture;
        fixture.spec.steps = {runStep("hog", std::string(MEMHOG) + " 200 600")};
        BuildEngine engine(fixture.spec, fastOptions());
        const RunResult& result = engine.run();
        QCOMPARE(result.status, RunStatus::Succeeded);
        const double peak = static_cast<double>(result.steps[0].peakRssBytes);
        const double touched = 200.0 * 1024 * 1024;
        QVERIFY2(peak >= touched && peak <= touched * 1.10, qPrintable(QString::number(peak / 1024 / 1024)));
        QVERIFY(result.steps[0].peakIsProcessTree);
        QCOMPARE(result.treePeakRssBytes, result.steps[0].treePeakRssBytes);
        QVERIFY(result.steps[0].peakExact); // memhog, read by the ledger at its exit
        // The sampler saw it too (not only ru_maxrss).
        QVERIFY(maxOf(engine, "tree_rss_bytes") >= touched * 0.9);
    }

    // A small step reads what /usr/bin/time reads for the same command, not the engine's
    // own pages (a vfork child's ru_maxrss carried the engine's high-water mark: 11-16 MiB
    // for a 3 MiB step, 64.8 MiB from the dashboard).
    void smallStepPeakIsTheStepsOwn()
    {
        if (!QFileInfo::exists("/usr/bin/time"))
            QSKIP("/usr/bin/time is not installed (Debian package 'time')");
        const std::string command = std::string(MEMHOG) + " 3 100";
        // Through ProcessRunner, untraced, not QProcess: ThreadSanitizer cannot follow a
        // fork from a thread-rich process that starts threads afterwards.
        QTemporaryDir scratch;
        const std::string timeFile = scratch.filePath("time.txt").toStdString();
        ProcessSpec timed;
        timed.argv = {"/usr/bin/time", "-f", "%M", "-o", timeFile, "sh", "-c", command};
        timed.environment = currentEnvironment();
        timed.traceProcesses = false;
        const std::atomic<bool> noCancel {false};
        QCOMPARE(ProcessRunner::run(timed, {}, noCancel).exitCode, 0);
        std::ifstream timeOutput(timeFile);
        double timeKiB = 0;
        timeOutput >> timeKiB;
        QVERIFY(timeKiB > 0);

        Fixture fixture;
        fixture.spec.steps = {runStep("small", command)};
        BuildEngine engine(fixture.spec, fastOptions());
        const RunResult& result = engine.run();
        QCOMPARE(result.status, RunStatus::Succeeded);
        const double peak = static_cast<double>(result.steps[0].peakRssBytes);
        const double reference = timeKiB * 1024;
        const double tolerance = std::max(reference * 0.10, 1024.0 * 1024.0);
        QVERIFY2(std::abs(peak - reference) <= tolerance,
            qPrintable(QString("step %1 MiB, /usr/bin/time %2 MiB").arg(peak / 1048576).arg(reference / 1048576)));
        // The ledger saw the shell and memhog, each with an exact peak.
        QVERIFY(std::any_of(result.processes.begin(), result.processes.end(), [](const ProcessRecord& p) {
            return p.key.starts_with("memhog 3 100") && p.peakExact && p.step == "small";
        }));
    }

    void hundredMegabytesOfOutputStayBounded()
    {
        // 100 MB in 1000-byte lines: the log keeps its budget, the engine's RSS does not
        // grow with the output.
        Fixture fixture;
        fixture.spec.steps = {runStep("flood", "yes \"$(head -c 999 /dev/zero | tr '\\0' x)\" | head -n 100000")};
        EngineOptions options = fastOptions();
        options.logBytes = 4 * 1024 * 1024;
        BuildEngine engine(fixture.spec, options);
        const RunResult& result = engine.run();
        QCOMPARE(result.status, RunStatus::Succeeded);
        QVERIFY(engine.log().heldBytes() <= options.logBytes);
        QVERIFY(engine.log().nextSequence() >= 100'000);
        const auto engineRss = static_cast<std::size_t>(engine.sampler().seriesIndex("engine_rss_bytes"));
        const double atStart = engine.store().snapshot().range(0, 0.05, 1).minAt(engineRss, 0);
        const double engineRssGrowth = maxOf(engine, "engine_rss_bytes") - atStart;
        QVERIFY2(engineRssGrowth < 64.0 * 1024 * 1024, qPrintable(QString::number(engineRssGrowth)));
    }

    void undefinedVariableFailsTheStepWithItsName()
    {
        Fixture fixture;
        fixture.spec.steps = {runStep("digestless", "echo ${DIGEST}")};
        BuildEngine engine(fixture.spec, fastOptions());
        const RunResult& result = engine.run();
        QCOMPARE(result.steps[0].status, StepStatus::Failed);
        QVERIFY2(result.steps[0].note.find("DIGEST") != std::string::npos, result.steps[0].note.c_str());
    }

    void optionalContainerStepIsSkippedWithANote()
    {
        // This machine has no usable docker/podman daemon (CI neither): the optional step
        // is skipped, the run still succeeds.
        std::string whyNot;
        Fixture fixture;
        StepSpec image;
        image.name = "image";
        image.kind = StepKind::Container;
        image.optional = true;
        fixture.spec.image = {"localhost:5000", "test/app", "latest"};
        fixture.spec.steps = {image};
        BuildEngine engine(fixture.spec, fastOptions());
        const RunResult& result = engine.run();
        if (result.steps[0].status == StepStatus::Succeeded || result.steps[0].status == StepStatus::Failed)
            QSKIP("a container runtime is usable here; the skip path cannot be observed");
        QCOMPARE(result.steps[0].status, StepStatus::Skipped);
        QVERIFY2(result.steps[0].note.find("container runtime") != std::string::npos, result.steps[0].note.c_str());
        QCOMPARE(result.status, RunStatus::Succeeded);
    }

    // A preset's container build gets the service's protobuf packages and files, found
    // by service-build discovery and rendered by asFlags, as the seed's specialized
    // builds did. A stand-in `docker` on PATH records the command it is given.
    void presetContainerBuildGetsProtobufFlags()
    {
        Fixture fixture;
        const QString root = fixture.directory.path();
        QVERIFY(QDir(root).mkpath("api/v1"));
        QVERIFY(QDir(root).mkpath("bin"));
        std::ofstream((root + "/api/v1/service.proto").toStdString()) << "syntax = \"proto3\";\n";
        std::ofstream((root + "/api/types.proto").toStdString()) << "syntax = \"proto3\";\n";
        std::ofstream((root + "/main.go").toStdString()) << "package main\n";
        const QString recorded = root + "/docker-argv.txt";
        const QString docker = root + "/bin/docker";
        {
            std::ofstream script(docker.toStdString());
            script << "#!/bin/sh\n"
                      "[ \"$1\" = info ] && exit 0\n"
                      "printf '%s\\n' \"$@\" > '"
                   << recorded.toStdString() << "'\ncat > /dev/null\n";
        }
        QFile::setPermissions(docker, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", (root + "/bin:").toUtf8() + path);

        StepSpec image;
        image.name = "image";
        image.kind = StepKind::Container;
        image.containerRuntime = "docker";
        fixture.spec.preset = "go";
        fixture.spec.buildArgs = {{"GO_VERSION", "1.22"}};
        fixture.spec.image = {"localhost:5000", "test/app", "latest"};
        fixture.spec.steps = {image};
        BuildEngine engine(fixture.spec, fastOptions());
        const RunResult& result = engine.run();
        qputenv("PATH", path);
        QVERIFY2(result.steps[0].status == StepStatus::Succeeded, result.steps[0].note.c_str());

        QFile file(recorded);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList argv = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(argv.mid(0, 5), (QStringList {"build", "-f", "Dockerfile", "-t", "localhost:5000/test/app:latest"}));
        QVERIFY(argv.contains("GO_VERSION=1.22"));
        QVERIFY2(argv.contains("PROTO_PACKAGES=api api/v1"), qPrintable(argv.join(' ')));
        QVERIFY2(argv.contains("PROTO_FILES=api/types.proto api/v1/service.proto"), qPrintable(argv.join(' ')));
        QCOMPARE(argv.back(), QString("-"));
    }

    void missingContextFailsEveryProcessStepClearly()
    {
        Fixture fixture;
        fixture.spec.context = "/nonexistent/buildscope-context";
        fixture.spec.steps = {runStep("build", "true")};
        BuildEngine engine(fixture.spec, fastOptions());
        const RunResult& result = engine.run();
        QCOMPARE(result.status, RunStatus::Failed);
        QVERIFY2(result.steps[0].note.find("/nonexistent/buildscope-context") != std::string::npos,
            result.steps[0].note.c_str());
    }

    void samplerRecordsEngineHeapAndPools()
    {
        Fixture fixture;
        fixture.spec.steps = {runStep("short", "sleep 0.2")};
        BuildEngine engine(fixture.spec, fastOptions());
        const RunResult& result = engine.run();
        QVERIFY(engine.sampler().seriesIndex("engine_rss_bytes") >= 0);
        QVERIFY(engine.sampler().seriesIndex("io.4KiB.acquires") >= 0);
        QVERIFY(maxOf(engine, "engine_rss_bytes") > 0);
        QVERIFY(maxOf(engine, "heap_live_bytes") > 0);
        QVERIFY(result.enginePeakRssBytes > 0);
        QVERIFY(result.heap.installed);
        QVERIFY(!result.pools.empty());
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestBuildEngine)
#include "tst_buildengine.moc"
