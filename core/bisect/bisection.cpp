#include "bisect/bisection.h"

#include "bisect/bisecterror.h"
#include "bisect/bisectsearch.h"
#include "bisect/scratchworktree.h"
#include "engine/runsession.h"
#include "io/boundedfile.h"
#include "spec/specloader.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <limits>
#include <unistd.h>

namespace buildscope {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Passes a RunSession's rounds on and keeps each round's result for the comparison.
class RoundCollector : public RunObserver
{
public:
    explicit RoundCollector(BisectObserver& observer)
        : m_observer(observer)
    { }
    void roundFinished(const BuildEngine& engine, const RoundOutcome& outcome) override
    {
        results.push_back(engine.result());
        if (outcome.storedId)
            runIds.push_back(*outcome.storedId);
        m_observer.roundFinished(results.back(), outcome.index, outcome.count);
    }
    void warning(const std::string& message) override { m_observer.warning(message); }

    std::vector<RunResult> results;
    std::vector<std::int64_t> runIds;

private:
    BisectObserver& m_observer;
};

// The runs of one commit so far.
struct Measurements
{
    std::vector<RunResult> runs;
    std::vector<std::int64_t> runIds;
    std::size_t failed = 0;
    int attempts = 0; // rounds asked for, those that could not even start included
    std::string untestable; // why the commit cannot be built at all (its spec is invalid)
};

class Bisector
{
public:
    Bisector(const BisectOptions& options, const std::atomic<bool>& stop, BisectObserver& observer)
        : m_options(options)
        , m_stop(stop)
        , m_observer(observer)
        , m_repeat(std::max(1, options.repeat))
        , m_maxRuns(options.maxRuns > 0 ? std::max(options.maxRuns, m_repeat) : 4 * m_repeat)
    {
        m_compare.alpha = options.alpha;
        m_compare.thresholdPercent = options.thresholdPercent;
        m_compare.metrics = {options.metric};
        // The bisection's gate: the metric of the key it follows, or of every step and
        // process; its rows form one family for the false-discovery control.
        m_compare.gateKeys = options.key.empty()
            ? std::vector<std::string> {"step/*", "process/*"}
            : std::vector<std::string> {options.key, "step/" + options.key, "process/" + options.key};
        m_result.sessionId = options.sessionId.empty() ? bisectSessionId() : options.sessionId;
        m_result.metric = options.metric;
        m_result.key = options.key;
    }

    BisectResult run()
    {
        const GitRepository repository = GitRepository::containing(m_options.target.directory);
        m_topLevel = repository.topLevel();
        m_result.good = repository.resolve(m_options.good);
        m_result.bad = repository.resolve(m_options.bad);
        if (m_result.good.hash == m_result.bad.hash)
            throw BisectError("good and bad are the same commit (" + m_result.good.shortHash()
                + "): there is nothing between them to bisect");
        if (!repository.isAncestor(m_result.good.hash, m_result.bad.hash))
            throw BisectError("good (" + m_result.good.shortHash() + ") is not an ancestor of bad ("
                + m_result.bad.shortHash() + "): bisect searches the history that leads from good to bad");
        const std::vector<GitCommit> range = repository.firstParentRange(m_result.good.hash, m_result.bad.hash);
        if (range.empty() || range.back().hash != m_result.bad.hash)
            throw BisectError("git lists no first-parent commits from " + m_result.good.shortHash() + " to "
                + m_result.bad.shortHash());
        m_result.commits = range.size();

        try {
            ScratchWorktree worktree(repository, m_result.good.hash, m_stop);
            m_worktree = &worktree;
            runSearch(range);
            m_worktree = nullptr;
            if (const std::string problem = worktree.remove(); !problem.empty())
                m_observer.warning(problem);
        } catch (const BisectError&) {
            // git stopped by Ctrl-C fails as git; the user asked for it to stop.
            if (!m_stop.load(std::memory_order_relaxed))
                throw;
            cancelled();
        }
        return m_result;
    }

private:
    void runSearch(const std::vector<GitCommit>& range)
    {
        // The good commit first: every other commit is compared with its runs.
        TestedCommit good;
        good.commit = m_result.good;
        good.role = "good";
        m_observer.measuring(good.commit, good.role, 0, 0, range.size(), m_repeat, false);
        if (!measure(good.commit, m_good, m_repeat))
            return cancelled();
        good.runs = m_good.runs.size();
        good.failedRuns = m_good.failed;
        good.runIds = m_good.runIds;
        good.verdict = m_good.runs.size() > m_good.failed ? CommitVerdict::Good : CommitVerdict::Untestable;
        good.baseMedian = good.median = kNaN;
        good.deltaPercent = good.pValue = kNaN;
        m_result.tested.push_back(good);
        m_observer.decided(good);
        if (good.verdict == CommitVerdict::Untestable) {
            m_result.tested.back().note = m_good.untestable.empty() ? "no successful run" : m_good.untestable;
            return finish(BisectOutcome::CannotTell,
                "the good commit " + good.commit.shortHash()
                    + " could not be measured: " + m_result.tested.back().note);
        }

        // Then the bad one: is there a regression to find at all?
        std::optional<TestedCommit> bad = test(m_result.bad, "bad", 0, 0, range.size() - 1);
        if (!bad)
            return cancelled();
        // The good commit's figures are the ones the bad commit regressed from.
        m_regressedSubject = bad->subject;
        m_result.tested.front().subject = bad->subject;
        m_result.tested.front().unit = bad->unit;
        m_result.tested.front().baseMedian = m_result.tested.front().median = bad->baseMedian;
        if (bad->verdict == CommitVerdict::Good)
            return finish(BisectOutcome::NoRegression,
                "no regression between good " + m_result.good.shortHash() + " and bad " + m_result.bad.shortHash()
                    + " on " + what() + ": nothing to bisect");
        if (bad->verdict != CommitVerdict::Bad)
            return finish(BisectOutcome::CannotTell,
                "cannot tell whether bad " + m_result.bad.shortHash() + " regressed against good "
                    + m_result.good.shortHash() + ": " + bad->note);

        BisectSearch search(range.size());
        int step = 0;
        while (const std::optional<std::size_t> index = search.next()) {
            ++step;
            const std::optional<TestedCommit> tested
                = test(range[*index], "step", step, step - 1 + search.stepsLeft(), search.untested());
            if (!tested)
                return cancelled();
            m_result.steps = step;
            if (tested->verdict == CommitVerdict::Bad)
                search.markBad(*index);
            else if (tested->verdict == CommitVerdict::Good)
                search.markGood(*index);
            else
                search.markSkipped(*index);
        }

        const std::vector<std::size_t> skipped = search.skippedInRange();
        const GitCommit& firstBad = range[search.firstBad()];
        if (skipped.empty()) {
            m_result.suspects = {firstBad};
            return finish(BisectOutcome::Found,
                "first bad commit: " + firstBad.shortHash() + " " + firstBad.subject + " (" + std::to_string(step)
                    + " step" + (step == 1 ? "" : "s") + ")");
        }
        for (const std::size_t index : skipped)
            m_result.suspects.push_back(range[index]);
        m_result.suspects.push_back(firstBad);
        finish(BisectOutcome::Range,
            "the first bad commit is one of " + std::to_string(m_result.suspects.size()) + " commits: those before "
                + firstBad.shortHash() + " could not be told");
    }

    // Measures a commit and judges it against good, with more runs while it cannot tell.
    // nullopt when cancelled.
    std::optional<TestedCommit> test(
        const GitCommit& commit, const std::string& role, int step, int steps, std::size_t left)
    {
        m_observer.measuring(commit, role, step, steps, left, m_repeat, false);
        Measurements candidate;
        if (!measure(commit, candidate, m_repeat))
            return std::nullopt;
        CommitJudgement judgement = judge(candidate);
        // 'unknown' is too few runs: run more of this commit, and of good when it has
        // fewer, as Pinpoint does, up to the cap; then it is honestly "cannot tell".
        while (judgement.verdict == CommitVerdict::CannotTell
            && (runCount(candidate) < m_maxRuns || runCount(m_good) < m_maxRuns)) {
            if (runCount(candidate) < m_maxRuns) {
                m_observer.measuring(commit, role, step, steps, left, m_repeat, true);
                if (!measure(commit, candidate, m_repeat))
                    return std::nullopt;
            }
            if (runCount(m_good) < m_maxRuns && runCount(m_good) <= runCount(candidate)) {
                m_observer.measuring(m_result.good, "good", 0, 0, left, m_repeat, true);
                if (!measure(m_result.good, m_good, m_repeat))
                    return std::nullopt;
                TestedCommit& good = m_result.tested.front();
                good.runs = m_good.runs.size();
                good.failedRuns = m_good.failed;
                good.runIds = m_good.runIds;
            }
            judgement = judge(candidate);
        }

        TestedCommit tested;
        tested.commit = commit;
        tested.role = role;
        tested.step = step;
        tested.verdict = judgement.verdict;
        tested.runs = candidate.runs.size();
        tested.failedRuns = candidate.failed;
        tested.baseRuns = m_good.runs.size();
        tested.note = candidate.untestable.empty() ? judgement.note : candidate.untestable;
        tested.runIds = candidate.runIds;
        tested.baseMedian = tested.median = tested.deltaPercent = tested.pValue = kNaN;
        if (judgement.evidence) {
            tested.subject = judgement.evidence->subject;
            tested.unit = judgement.evidence->unit;
            tested.baseMedian = judgement.evidence->base.median;
            tested.median = judgement.evidence->candidate.median;
            tested.deltaPercent = judgement.evidence->deltaPercent;
            tested.pValue = judgement.evidence->pValue;
        }
        m_result.tested.push_back(tested);
        m_observer.decided(tested);
        return tested;
    }

    CommitJudgement judge(const Measurements& candidate) const
    {
        if (!candidate.untestable.empty())
            return {CommitVerdict::Untestable, std::nullopt, candidate.untestable};
        return judgeCommit(
            compareRuns(m_good.runs, candidate.runs, m_compare), m_options.metric, m_options.key, m_regressedSubject);
    }

    static int runCount(const Measurements& measurements) { return measurements.attempts; }

    // Runs `commit` `rounds` more times into `into`; false when cancelled.
    bool measure(const GitCommit& commit, Measurements& into, int rounds)
    {
        if (m_stop.load(std::memory_order_relaxed))
            return false;
        m_worktree->checkout(commit.hash);
        RunSessionConfig config;
        try {
            config.spec = specInCheckout(m_options.target, m_topLevel, m_worktree->root());
        } catch (const SpecError& error) {
            into.untestable = std::string("its spec is not valid: ") + error.what();
        } catch (const io::InputFileError& error) {
            into.untestable = std::string("its spec cannot be read: ") + error.what();
        }
        if (!into.untestable.empty()) {
            into.attempts += rounds;
            return true;
        }
        config.engine = m_options.engine;
        std::erase_if(config.engine.labels, [](const auto& label) { return label.first == "bisect"; });
        config.engine.labels.emplace_back("bisect", m_result.sessionId);
        config.repeat = rounds;
        config.history = m_options.history;
        config.publishLive = false;
        config.commandLine = "buildscope bisect " + m_options.good + " " + m_options.bad;
        into.attempts += rounds;
        RoundCollector collector(m_observer);
        RunSession session(std::move(config));
        const ExitCode exit = session.run(m_stop, collector);
        for (const RunResult& run : collector.results) {
            if (run.status != RunStatus::Succeeded)
                ++into.failed;
            into.runs.push_back(run);
        }
        into.runIds.insert(into.runIds.end(), collector.runIds.begin(), collector.runIds.end());
        return exit != ExitCancelled && !m_stop.load(std::memory_order_relaxed);
    }

    std::string what() const
    {
        return m_options.metric + (m_options.key.empty() ? " of any step or process" : " of '" + m_options.key + "'");
    }

    void finish(BisectOutcome outcome, std::string message)
    {
        m_result.outcome = outcome;
        m_result.message = std::move(message);
    }

    void cancelled() { finish(BisectOutcome::Cancelled, "interrupted: the bisection stopped before it was done"); }

    const BisectOptions& m_options;
    const std::atomic<bool>& m_stop;
    BisectObserver& m_observer;
    const int m_repeat;
    const int m_maxRuns;
    CompareOptions m_compare;
    std::filesystem::path m_topLevel;
    ScratchWorktree* m_worktree = nullptr;
    Measurements m_good;
    std::string m_regressedSubject; // what the bad commit regressed on: the table follows it
    BisectResult m_result;
};

} // namespace

const char* bisectOutcomeName(BisectOutcome outcome)
{
    switch (outcome) {
    case BisectOutcome::Found:
        return "found";
    case BisectOutcome::Range:
        return "range";
    case BisectOutcome::NoRegression:
        return "no regression";
    case BisectOutcome::CannotTell:
        return "cannot tell";
    case BisectOutcome::Cancelled:
        return "cancelled";
    }
    return "cannot tell";
}

std::string bisectSessionId()
{
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc {};
    ::gmtime_r(&now, &utc);
    char text[64];
    std::strftime(text, sizeof text, "%Y%m%d-%H%M%S", &utc);
    return std::string(text) + "-" + std::to_string(::getpid());
}

BisectResult bisect(const BisectOptions& options, const std::atomic<bool>& stop, BisectObserver& observer)
{
    return Bisector(options, stop, observer).run();
}

} // namespace buildscope
