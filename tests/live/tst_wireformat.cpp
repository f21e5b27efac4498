// The live endpoint's wire format: every message type round-trips, the golden
// transcript (docs/PROTOCOL.md's example) is what this build writes and reads, and
// malformed lines are refused with a reason.
#include "live/livemirror.h"
#include "live/wireformat.h"

#include <QtTest>
#include <cmath>
#include <fstream>
#include <sstream>

namespace buildscope::live {

namespace {

std::chrono::system_clock::time_point at(std::int64_t ms)
{
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

// A small run, fixed to the byte: what the transcript holds.
std::vector<Message> transcriptMessages()
{
    std::vector<Message> messages;
    messages.push_back(Hello {1, 4242, "0.2.0"});

    RunHeader run;
    run.index = 1;
    run.count = 2;
    run.specName = "demo";
    run.specFile = "/work/demo/buildscope.yaml";
    run.context = "/work/demo";
    run.sampleHz = 20;
    run.startedAt = at(1700000000000);
    run.clockOriginNs = 123456789000;
    run.labels = {{"git.commit", "4f3a9c1"}, {"source", "dashboard"}};
    run.host = {"builder-1", "Linux 6.1.0 x86_64", 8, 25769803776};
    StepResult compile;
    compile.name = "compile";
    compile.kind = StepKind::Run;
    StepResult image;
    image.name = "image";
    image.kind = StepKind::Container;
    run.steps = {compile, image};
    run.series = {{"engine_rss_bytes", "bytes"}, {"tree_rss_bytes", "bytes"}};
    messages.push_back(run);

    messages.push_back(Samples {{0.0, 0.05}, {{12582912.0, std::nan("")}, {12648448.0, 3145728.0}}});
    StepResult running = compile;
    running.status = StepStatus::Running;
    running.startSeconds = 0.001;
    messages.push_back(StepUpdate {0, running});

    LogEntry line;
    line.sequence = 0;
    line.seconds = 0.002;
    line.level = LogLevel::Info;
    line.stream = LogStream::Stdout;
    line.step = "compile";
    line.text = "c++ -O2 -c heavy.cpp \"quoted\"";
    messages.push_back(LogBatch {{line}});
    messages.push_back(Progress {0.05, 0, 0.001});
    PoolStatistics pool;
    pool.name = "io.32KiB";
    pool.classBytes = 32768;
    pool.acquires = 4;
    pool.hits = 3;
    pool.misses = 1;
    pool.releases = 4;
    pool.maxRetainedBytes = 4194304;
    messages.push_back(Pools {{pool}});

    ProcessRecord compiler;
    compiler.step = "compile";
    compiler.key = "cc1plus src/heavy.cpp";
    compiler.pid = 4301;
    compiler.parentPid = 4300;
    compiler.executable = "/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus";
    compiler.argv = {"cc1plus", "-quiet", "src/heavy.cpp", "-o", "/tmp/cc1.s"};
    compiler.argvBytes = 44;
    compiler.workingDirectory = "/work/demo";
    compiler.startSeconds = 0.004;
    compiler.endSeconds = 6.2;
    compiler.userCpuSeconds = 6.0;
    compiler.systemCpuSeconds = 0.125;
    compiler.exitCode = 0;
    compiler.peakRssBytes = 423624704;
    compiler.peakExact = true;
    compiler.execCount = 1;
    ProcessRecord started = compiler; // as `running` has it: no end, CPU, exit or exact peak yet
    started.endSeconds = started.startSeconds; // not ended: no wall time yet
    started.userCpuSeconds = 0;
    started.systemCpuSeconds = 0;
    started.exitCode.reset();
    started.peakRssBytes = 0;
    started.peakExact = false;
    messages.push_back(Running {{started}});
    messages.push_back(Processes {{compiler}});
    messages.push_back(Running {});
    // A viewer that fell behind: three log lines it was not sent (a newer engine's message;
    // older viewers skip it).
    messages.push_back(Gap {3});

    StepResult done = running;
    done.status = StepStatus::Succeeded;
    done.endSeconds = 6.5;
    done.peakRssBytes = 427718656;
    done.peakIsProcessTree = true;
    done.exitCode = 0;
    done.userCpuSeconds = 6.25;
    done.systemCpuSeconds = 0.25;
    messages.push_back(StepUpdate {0, done});

    RunEnd end;
    end.result.specName = run.specName;
    end.result.specFile = run.specFile;
    end.result.context = run.context;
    end.result.sampleHz = 20;
    end.result.startedAt = at(1700000000000);
    end.result.endedAt = at(1700000006600);
    end.result.status = RunStatus::Succeeded;
    end.result.host = run.host;
    end.result.labels = run.labels;
    StepResult skipped = image;
    skipped.status = StepStatus::Skipped;
    skipped.startSeconds = skipped.endSeconds = 6.5;
    skipped.note = "no container runtime";
    end.result.steps = {done, skipped};
    end.result.pools = {pool};
    end.result.processes = {compiler};
    end.result.treePeakRssBytes = 427718656;
    end.result.enginePeakRssBytes = 12648448;
    messages.push_back(end);
    messages.push_back(Bye {0});
    return messages;
}

std::vector<std::string> readLines(const std::string& file)
{
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        lines.push_back(line + "\n");
    return lines;
}

} // namespace

class TestWireFormat : public QObject
{
    Q_OBJECT

private slots:
    // The transcript in fixtures/ is the protocol's reference: a change to the encoding
    // shows up here, and must then be a documented version change.
    void goldenTranscript()
    {
        const std::string file = FIXTURES "/transcript-v1.jsonl";
        const std::vector<Message> messages = transcriptMessages();
        if (qEnvironmentVariableIsSet("BUILDSCOPE_UPDATE_GOLDEN")) {
            std::ofstream out(file, std::ios::binary);
            for (const Message& message : messages)
                out << encode(message);
        }
        const std::vector<std::string> lines = readLines(file);
        QCOMPARE(lines.size(), messages.size());
        for (std::size_t i = 0; i < messages.size(); ++i) {
            QCOMPARE(QString::fromStdString(encode(messages[i])), QString::fromStdString(lines[i]));
            // Reading a line back and writing it again gives the same line.
            QCOMPARE(QString::fromStdString(encode(decode(lines[i]))), QString::fromStdString(lines[i]));
        }
    }

    // A mirror fed the transcript holds the run as the engine had it.
    void mirrorFollowsTheTranscript()
    {
        LiveMirror mirror;
        for (const std::string& line : readLines(FIXTURES "/transcript-v1.jsonl"))
            mirror.apply(decode(line));
        const LiveMirror::View view = mirror.view();
        QCOMPARE(view.generation, std::uint64_t {1});
        QCOMPARE(view.runIndex, 1);
        QCOMPARE(view.runCount, 2);
        QVERIFY(view.runEnded);
        QCOMPARE(view.exitCode, std::optional<int>(0));
        QCOMPARE(view.run.steps[0].peakRssBytes, std::uint64_t {427718656});
        QCOMPARE(view.run.steps[1].status, StepStatus::Skipped);
        QVERIFY(view.run.processes.empty()); // kept out of the view, which is copied per refresh
        QCOMPARE(view.processCount, std::size_t {1});
        const std::vector<ProcessRecord> processes = mirror.processesSince(view.generation, 0);
        QCOMPARE(processes.size(), std::size_t {1});
        QCOMPARE(processes[0].key, std::string("cc1plus src/heavy.cpp"));
        QCOMPARE(processes[0].peakRssBytes, std::uint64_t {423624704});
        QVERIFY(mirror.processesSince(view.generation, 1).empty());
        QVERIFY(mirror.processesSince(view.generation + 1, 0).empty());
        QCOMPARE(view.finished->front().processes.size(), std::size_t {1}); // the finished result keeps them
        QCOMPARE(view.finished->size(), std::size_t {1});
        QCOMPARE(view.store->sampleCount(), std::uint64_t {2});
        QVERIFY(std::isnan(view.store->snapshot().range(0, 0.01, 1).maxAt(1, 0))); // null stays "no value"
        std::vector<LogEntry> entries;
        view.log->copySince(0, entries);
        QCOMPARE(entries.size(), std::size_t {2});
        QCOMPARE(entries[0].text, std::string("c++ -O2 -c heavy.cpp \"quoted\""));
        // The gap is said where the lines are missing (18.4).
        QCOMPARE(view.lostLogLines, std::uint64_t {3});
        QCOMPARE(entries[1].level, LogLevel::Warning);
        QVERIFY(entries[1].text.starts_with("3 log lines were not sent to this viewer"));
        QCOMPARE(view.run.label("git.commit"), std::string("4f3a9c1"));
    }

    void malformedLinesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{oops") << "not JSON";
        QTest::newRow("array") << QByteArray("[1,2]") << "not a JSON object";
        QTest::newRow("no type") << QByteArray("{\"x\":1}") << "without a 'type'";
        QTest::newRow("other protocol") << QByteArray("{\"type\":\"hello\",\"protocol\":\"x\",\"version\":1}")
                                        << "not a BuildScope live endpoint";
        QTest::newRow("newer version")
            << QByteArray("{\"type\":\"hello\",\"protocol\":\"buildscope-live\",\"version\":2,\"engine_pid\":1}")
            << "protocol version 2";
        QTest::newRow("negative time") << QByteArray("{\"type\":\"samples\",\"rows\":[[-1,2]]}") << "'time'";
        QTest::newRow("text value") << QByteArray("{\"type\":\"samples\",\"rows\":[[1,\"x\"]]}") << "neither a number";
        QTest::newRow("bad step") << QByteArray("{\"type\":\"step\",\"index\":0,\"step\":{\"name\":\"a\",\"type\":\"run\","
                                                "\"status\":\"exploded\"}}")
                                  << "'status' unknown value";
        QTest::newRow("huge exit") << QByteArray("{\"type\":\"bye\",\"exit_code\":1e300}") << "out of range";
    }
    void malformedLinesAreRefused()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, expected);
        try {
            decode(line.toStdString());
            QFAIL("expected a WireError");
        } catch (const WireError& error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains(expected), error.what());
        }
    }

    // A newer engine's message types are skipped, not fatal.
    void unknownTypesAreSkipped()
    {
        const Message message = decode("{\"type\":\"process\",\"pid\":7}");
        QVERIFY(std::holds_alternative<Unknown>(message));
        LiveMirror mirror;
        mirror.apply(message);
        QCOMPARE(mirror.view().generation, std::uint64_t {0});
    }

    // `running` replaces who runs; a new round or the end of one clears it.
    void mirrorKeepsWhoRunsNow()
    {
        LiveMirror mirror;
        ProcessRecord compile;
        compile.pid = 10;
        compile.key = "cc1plus a.cc";
        QVERIFY_THROWS_EXCEPTION(WireError, mirror.apply(Running {{compile}})); // before any run
        RunHeader header;
        header.series = {{"tree_rss_bytes", "bytes"}};
        mirror.apply(header);
        mirror.apply(decode(encode(Running {{compile}})));
        QCOMPARE(mirror.view().running.size(), std::size_t {1});
        QCOMPARE(mirror.view().running[0].key, std::string("cc1plus a.cc"));
        ProcessRecord link = compile;
        link.pid = 11;
        mirror.apply(Running {{link}});
        QCOMPARE(mirror.view().running.size(), std::size_t {1});
        QCOMPARE(mirror.view().running[0].pid, pid_t {11});
        mirror.apply(RunEnd {});
        QVERIFY(mirror.view().running.empty());
        mirror.apply(Running {{link}});
        mirror.apply(header);
        QVERIFY(mirror.view().running.empty());
    }

    void mirrorRefusesWhatDoesNotFit()
    {
        LiveMirror mirror;
        QVERIFY_THROWS_EXCEPTION(WireError, mirror.apply(Samples {{0.0}, {{1.0}}})); // before any run
        RunHeader run;
        run.series = {{"a", "bytes"}, {"b", "bytes"}};
        mirror.apply(run);
        QVERIFY_THROWS_EXCEPTION(WireError, mirror.apply(Samples {{0.0}, {{1.0}}})); // one value for two series
        QVERIFY_THROWS_EXCEPTION(WireError, mirror.apply(StepUpdate {3, {}})); // no such step
        mirror.apply(Samples {{1.0}, {{1.0, 2.0}}});
        QVERIFY_THROWS_EXCEPTION(WireError, mirror.apply(Samples {{0.5}, {{1.0, 2.0}}})); // time goes back
    }

    void lineReaderBoundsLines()
    {
        LineReader reader;
        std::vector<std::string> lines;
        reader.feed("ab\ncd", [&](std::string_view line) { lines.emplace_back(line); });
        reader.feed("e\n", [&](std::string_view line) { lines.emplace_back(line); });
        QCOMPARE(lines, (std::vector<std::string> {"ab", "cde"}));
        const std::string endless(kMaxLineBytes / 4, 'x');
        QVERIFY_THROWS_EXCEPTION(WireError, {
            for (int i = 0; i < 5; ++i)
                reader.feed(endless, [](std::string_view) { });
        });
    }
};

} // namespace buildscope::live

QTEST_GUILESS_MAIN(buildscope::live::TestWireFormat)
#include "tst_wireformat.moc"
