// Change points over a store's history: runs in commit order (git.commit_time, else the
// start), figures read in bulk as compareRuns() counts them, and the commit a step's
// memory jumped at, named in text, CSV and JSON.
#include "compare/runcomparison.h"
#include "history/runhistory.h"
#include "syntheticruns.h"
#include "trends/commitorder.h"
#include "trends/historychanges.h"
#include "trends/trendformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <sstream>

namespace buildscope {

namespace {

using Time = std::chrono::system_clock::time_point;

Time seconds(std::int64_t value)
{
    return Time(std::chrono::seconds(value));
}

MetricRun run(std::int64_t id, std::int64_t start, std::string commit = {}, std::string commitTime = {})
{
    return {id, "demo", seconds(start), std::move(commit), std::move(commitTime)};
}

std::vector<std::int64_t> idsInOrder(const std::vector<MetricRun>& runs)
{
    std::vector<std::int64_t> ids;
    for (std::size_t index : commitOrder(runs))
        ids.push_back(runs[index].id);
    return ids;
}

std::string hash(int commit)
{
    return std::string(39, "0123456789abcdef"[commit % 16]) + static_cast<char>('a' + commit % 6);
}

std::string isoTime(int minute)
{
    char text[32];
    std::snprintf(text, sizeof text, "2026-11-%02dT%02d:%02d:00Z", 1 + minute / 1440, minute / 60 % 24, minute % 60);
    return text;
}

ProcessRecord process(const char* key, std::uint64_t peak, double start, double end, std::optional<int> signal = {})
{
    ProcessRecord record;
    record.pid = 100;
    record.executable = "/usr/bin/cc";
    record.argv = {"cc"};
    record.step = "compile";
    record.key = key;
    record.peakRssBytes = peak;
    record.startSeconds = start;
    record.endSeconds = end;
    record.userCpuSeconds = (end - start) / 2;
    record.exitCode = signal ? std::nullopt : std::optional<int>(0);
    record.signal = signal;
    return record;
}

// A run of one step "compile" whose peak is `peak` bytes, at commit `commit`.
RunResult compileRun(int index, double peak)
{
    RunResult result;
    result.specName = "demo";
    result.status = RunStatus::Succeeded;
    result.startedAt = seconds(1000 + index);
    result.endedAt = result.startedAt + std::chrono::seconds(2);
    StepResult step;
    step.name = "compile";
    step.kind = StepKind::Run;
    step.status = StepStatus::Succeeded;
    step.endSeconds = 2;
    step.peakRssBytes = static_cast<std::uint64_t>(peak);
    result.steps = {step};
    result.treePeakRssBytes = step.peakRssBytes;
    return result;
}

// The same runs as compare sees them and as history reads them: `before` runs of commit
// 0 at one peak, `after` runs of commit 1 at another.
struct TwoCommits
{
    std::vector<RunResult> base;
    std::vector<RunResult> candidate;
    RunMetrics metrics;

    TwoCommits(std::size_t before, std::size_t after, double beforePeak, double afterPeak)
    {
        MetricSeries series {"demo", "step/compile", "peak_rss_bytes", "bytes", {}};
        for (std::size_t i = 0; i < before + after; ++i) {
            const bool later = i >= before;
            const double peak = later ? afterPeak : beforePeak;
            (later ? candidate : base).push_back(compileRun(static_cast<int>(i), peak));
            metrics.runs.push_back(run(static_cast<std::int64_t>(i + 1), 1000 + static_cast<std::int64_t>(i),
                hash(later ? 1 : 0), isoTime(later ? 60 : 0)));
            series.values.push_back({i, peak});
        }
        metrics.series.push_back(series);
    }
};

} // namespace

class TestHistoryChanges : public QObject
{
    Q_OBJECT

private slots:
    void commitTimesParse()
    {
        QCOMPARE(parseCommitTime("1970-01-01T00:00:10Z"), std::optional<Time>(seconds(10)));
        QCOMPARE(parseCommitTime("2026-11-30T14:05:09+01:00"), parseCommitTime("2026-11-30T13:05:09Z"));
        QCOMPARE(parseCommitTime("2026-11-30T13:05:09-00:30"), parseCommitTime("2026-11-30T13:35:09Z"));
        for (const char* bad : {"", "2026-11-30", "2026-11-30 13:05:09Z", "2026-13-30T13:05:09Z",
                 "2026-02-30T13:05:09Z", "2026-11-30T13:05:09", "2026-11-30T13:05:09+1", "x026-11-30T13:05:09Z"})
            QVERIFY2(!parseCommitTime(bad), bad);
    }

    // Commits by committer time, whenever their runs were made; a commit's runs together;
    // runs without labels by start time.
    void runsFollowTheirCommits()
    {
        // Commit B (older) was measured after commit A (newer); a rerun of B came last.
        const std::vector<MetricRun> runs {run(1, 100, hash(2), isoTime(20)), run(2, 200, hash(1), isoTime(10)),
            run(3, 300, hash(2), isoTime(20)), run(4, 400, hash(1), isoTime(10))};
        QCOMPARE(idsInOrder(runs), (std::vector<std::int64_t> {2, 4, 1, 3}));
        // No labels: start order (ids break ties).
        QCOMPARE(
            idsInOrder({run(5, 30), run(6, 10), run(7, 20), run(8, 20)}), (std::vector<std::int64_t> {6, 7, 8, 5}));
        // A commit without a committer time sits at its first run's start, all its runs
        // together; a run without a commit at its own start.
        const std::vector<MetricRun> mixed {
            run(1, 100, hash(3)), run(2, 150), run(3, 300, hash(3)), run(4, 50, hash(4), "1970-01-01T00:03:20Z")};
        QCOMPARE(idsInOrder(mixed), (std::vector<std::int64_t> {1, 3, 2, 4}));
    }

    // The bulk read gives what compareRuns() computes from loaded runs.
    void storedFiguresAreComparesFigures()
    {
        QTemporaryDir directory;
        RunHistory history(directory.filePath("history.sqlite").toStdString());
        std::vector<RunResult> loaded;
        for (int i = 0; i < 3; ++i) {
            LoadedReport report = testing::makeReport({.index = i, .compilePeakBytes = 400e6 + i * 1e6});
            report.result.processes = {process("cc main.c", 300'000'000 + static_cast<std::uint64_t>(i), 1, 3),
                process("cc main.c", 310'000'000, 3, 4), process("ld app", 90'000'000, 5, 6),
                process("cc killed.c", 1, 1, 2, 9)};
            report.result.steps[2].status = i == 1 ? StepStatus::Failed : StepStatus::Succeeded;
            const std::int64_t id = history.importReport(report);
            loaded.push_back(history.loadResult(id));
        }
        LoadedReport failed = testing::makeReport({.index = 9, .status = RunStatus::Failed});
        history.importReport(failed);

        const RunMetrics metrics = history.readRunMetrics({.specName = "demo"});
        QCOMPARE(metrics.runs.size(), std::size_t {3}); // the failed run is not read
        const Comparison expected = compareRuns(loaded, loaded);
        std::size_t checked = 0;
        for (const MetricSeries& series : metrics.series) {
            const std::string subject = series.key.starts_with("step/") ? series.key.substr(5) : series.key;
            const auto row = std::find_if(expected.rows.begin(), expected.rows.end(),
                [&](const ComparisonRow& r) { return r.subject == subject && r.metric == series.metric; });
            QVERIFY2(row != expected.rows.end(), qPrintable(QString::fromStdString(series.key + " " + series.metric)));
            QCOMPARE(series.values.size(), row->base.n);
            std::vector<double> values;
            for (const MetricSeries::Value& value : series.values)
                values.push_back(value.value);
            QVERIFY(std::abs(summarize(values).median - row->base.median) <= 1e-9 * std::abs(row->base.median));
            ++checked;
        }
        QVERIFY(checked >= 15);
        auto seriesOf = [&](const std::string& key, const std::string& metric) {
            return std::find_if(metrics.series.begin(), metrics.series.end(),
                [&](const MetricSeries& s) { return s.key == key && s.metric == metric; });
        };
        QVERIFY(seriesOf("process/cc killed.c", "peak_rss_bytes") == metrics.series.end()); // killed: left out
        QCOMPARE(seriesOf("process/cc main.c", "peak_rss_bytes")->values.front().value, 310e6); // largest peak
        QCOMPARE(seriesOf("process/cc main.c", "wall_s")->values.front().value, 3.0); // total wall
        QCOMPARE(seriesOf("step/link", "wall_s")->values.size(), std::size_t {2}); // one failed step
        QCOMPARE(seriesOf("step/compile", "wall_s")->unit, std::string("s"));
        QCOMPARE(seriesOf("run", "tree_peak_rss_bytes")->unit, std::string("bytes"));

        // Filters: a key, a metric, a spec.
        const RunMetrics one = history.readRunMetrics({.key = "process/ld app", .metric = "peak_rss_bytes"});
        QCOMPARE(one.series.size(), std::size_t {1});
        QCOMPARE(one.series.front().values.size(), std::size_t {3});
        QCOMPARE(history.readRunMetrics({.key = "step/compile"}).series.size(), std::size_t {3}); // no tree peak
        QVERIFY(history.readRunMetrics({.specName = "other"}).series.empty());
        QVERIFY(history.readRunMetrics({.key = "step/nothing"}).series.empty());
    }

    // The tied case: 3 runs at 100 MiB, 3 at 200 MiB. No arrangement of 3 + 3 runs
    // reaches p < 0.1, ties or not: compare cannot tell, and history reports no change,
    // where a normal approximation used to give history p = 0.047 and a "+100 %" change.
    void tiedThreeAgainstThreeGetsOneAnswer()
    {
        const TwoCommits runs(3, 3, 100.0 * 1024 * 1024, 200.0 * 1024 * 1024);
        const Comparison comparison = compareRuns(runs.base, runs.candidate);
        const auto row = std::find_if(comparison.rows.begin(), comparison.rows.end(),
            [](const ComparisonRow& r) { return r.subject == "compile" && r.metric == "peak_rss_bytes"; });
        QVERIFY(row != comparison.rows.end());
        QCOMPARE(row->verdict, Verdict::Unknown);
        QVERIFY2(std::abs(row->pValue - 0.1) < 1e-12, qPrintable(QString::number(row->pValue, 'g', 17)));
        QCOMPARE(comparison.gateVerdict(), GateVerdict::CannotTell);
        const std::vector<TrendSeries> trends = findChanges(runs.metrics);
        QCOMPARE(trends.size(), std::size_t {1});
        QVERIFY(trends.front().changes.empty());
    }

    // One more run a side and both flag it, with the same p: 2 / C(10, 5) exactly.
    void tiedFiveAgainstFiveGetsOneAnswer()
    {
        const TwoCommits runs(5, 5, 100.0 * 1024 * 1024, 200.0 * 1024 * 1024);
        const Comparison comparison = compareRuns(runs.base, runs.candidate);
        const auto row = std::find_if(comparison.rows.begin(), comparison.rows.end(),
            [](const ComparisonRow& r) { return r.subject == "compile" && r.metric == "peak_rss_bytes"; });
        QVERIFY(row != comparison.rows.end());
        QCOMPARE(row->verdict, Verdict::Regression);
        QCOMPARE(comparison.gateVerdict(), GateVerdict::Fail);
        const std::vector<TrendSeries> trends = findChanges(runs.metrics);
        QCOMPARE(trends.size(), std::size_t {1});
        QCOMPARE(trends.front().changes.size(), std::size_t {1});
        const ChangePoint& change = trends.front().changes.front();
        QCOMPARE(change.index, std::size_t {5});
        QCOMPARE(change.p, row->pValue);
        QVERIFY(std::abs(change.p - 2.0 / 252.0) < 1e-12);
    }

    // A step's memory jumps at a known commit; the runs were made out of commit order.
    void theCommitOfAJumpIsNamed()
    {
        QTemporaryDir directory;
        RunHistory history(directory.filePath("history.sqlite").toStdString());
        constexpr int kCommits = 16;
        constexpr int kJump = 9; // the first commit with the larger compile
        for (int pass = 0; pass < 2; ++pass) {
            for (int c = kCommits - 1; c >= 0; --c) { // newest commits measured first
                const double peak = (c >= kJump ? 520e6 : 400e6) * (1 + 0.002 * ((c * 7 + pass) % 5));
                testing::RunShape shape {.index = pass * kCommits + (kCommits - c), .compilePeakBytes = peak};
                shape.labels = {{"git.commit", hash(c)}, {"git.commit_time", isoTime(c)}};
                history.importReport(testing::makeReport(shape));
            }
        }
        ChangePointOptions options;
        const std::vector<TrendSeries> trends
            = findHistoryChanges(history, {.spec = "demo", .key = "step/compile", .metric = "peak_rss_bytes"}, options);
        QCOMPARE(trends.size(), std::size_t {1});
        const TrendSeries& series = trends.front();
        QCOMPARE(series.points.size(), std::size_t {2 * kCommits});
        QCOMPARE(series.changes.size(), std::size_t {1});
        const ChangePoint& change = series.changes.front();
        QCOMPARE(series.points[change.index - 1].commit, hash(kJump - 1));
        QCOMPARE(series.points[change.index].commit, hash(kJump));
        QVERIFY(std::abs(change.relativeChange - 0.3) < 0.01);
        QVERIFY(change.p < 0.001);

        // Memory moved (the link holds 60 % of the compile's peak; the run's peak is the
        // compile's); no time did.
        const std::vector<TrendSeries> all = findHistoryChanges(history, {}, options);
        std::size_t memoryChanges = 0;
        for (const TrendSeries& trend : all) {
            if (trend.unit == "s")
                QVERIFY2(trend.changes.empty(), qPrintable(QString::fromStdString(trend.key + " " + trend.metric)));
            else
                memoryChanges += trend.changes.size();
        }
        QCOMPARE(memoryChanges, std::size_t {3}); // compile, link, run

        // The formats name the commits.
        const std::string text = formatChangesText(trends, options);
        QVERIFY2(text.find(hash(kJump).substr(0, 12)) != std::string::npos, text.c_str());
        QVERIFY(text.find(hash(kJump)) == std::string::npos); // abbreviated
        QVERIFY(text.find("step/compile") != std::string::npos);
        QVERIFY(text.find("1 change in 1 series") != std::string::npos);
        std::ostringstream csv;
        writeChangesCsv(trends, csv);
        const std::string header = csv.str().substr(0, csv.str().find("\r\n"));
        std::string expectedHeader;
        for (const std::string& column : changeColumns())
            expectedHeader += (expectedHeader.empty() ? "" : ",") + column;
        QCOMPARE(header, expectedHeader);
        QVERIFY(csv.str().find(hash(kJump)) != std::string::npos);
        const QJsonObject json
            = QJsonDocument::fromJson(QByteArray::fromStdString(changesJson(trends, options))).object();
        const QJsonArray changes = json.value(QStringLiteral("changes")).toArray();
        QCOMPARE(changes.size(), 1);
        const QJsonObject first = changes.first().toObject();
        QCOMPARE(first.value(QStringLiteral("after_commit")).toString(), QString::fromStdString(hash(kJump)));
        QCOMPARE(first.value(QStringLiteral("before_commit")).toString(), QString::fromStdString(hash(kJump - 1)));
        QCOMPARE(first.keys().size(), static_cast<qsizetype>(changeColumns().size()));
        QCOMPARE(json.value(QStringLiteral("series")).toInt(), 1);
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestHistoryChanges)
#include "tst_historychanges.moc"
