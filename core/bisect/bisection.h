#pragma once

#include "bisect/bisecttarget.h"
#include "bisect/commitverdict.h"
#include "bisect/gitrepository.h"
#include "engine/buildengine.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace buildscope {

class RunHistory;

struct BisectOptions
{
    BisectTarget target;
    std::string good; // revisions as the user wrote them
    std::string bad;
    int repeat = 5; // runs per commit, and how many more when a comparison is 'unknown'
    int maxRuns = 0; // runs per commit at most (0: 4 × repeat), as Pinpoint's retries
    std::string metric = "peak_rss_bytes";
    std::string key; // a step name or process key; empty: any step or process
    double alpha = 0.05;
    double thresholdPercent = 5.0;
    EngineOptions engine; // engine.labels: the user's; "bisect=<session>" is added
    RunHistory* history = nullptr; // not owned; nullptr: runs are not recorded
    std::string sessionId; // empty: one is made (bisectSessionId())
};

// One commit the bisection measured, and what it concluded.
struct TestedCommit
{
    GitCommit commit;
    std::string role; // "good", "bad" or "step"
    int step = 0; // the bisection step (1, 2, ...); 0 for the good and the bad commit
    CommitVerdict verdict = CommitVerdict::Untestable;
    std::size_t runs = 0; // runs of this commit
    std::size_t failedRuns = 0; // of which did not succeed
    std::size_t baseRuns = 0; // good runs it was compared with
    std::string subject; // the step or process the figures are about
    std::string unit; // of the metric: "bytes", "s", "count", "ratio"
    double baseMedian = 0; // the good commit's median (NaN when not measured)
    double median = 0;
    double deltaPercent = 0;
    double pValue = 1;
    std::string note;
    std::vector<std::int64_t> runIds; // in the history, when recorded
};

enum class BisectOutcome
{
    Found, // the first bad commit
    Range, // one of several: commits between the last good and the first bad could not be told
    NoRegression, // the bad commit does not regress against the good one
    CannotTell, // the good or the bad commit could not be measured or told apart
    Cancelled,
};

const char* bisectOutcomeName(BisectOutcome outcome); // "found", "range", "no regression", ...

struct BisectResult
{
    std::string sessionId;
    std::string metric;
    std::string key;
    GitCommit good;
    GitCommit bad;
    std::size_t commits = 0; // first-parent commits after good up to bad
    BisectOutcome outcome = BisectOutcome::CannotTell;
    // Found: the first bad commit. Range: every commit that may be it, oldest first.
    std::vector<GitCommit> suspects;
    std::vector<TestedCommit> tested; // in the order they were measured
    int steps = 0; // bisection steps: commits tested besides good and bad
    std::string message; // one sentence: what was found, or why nothing was
};

// Hooks for whoever shows a bisection (the CLI's progress lines), on the calling thread.
class BisectObserver
{
public:
    virtual ~BisectObserver() = default;
    // Before measuring `commit` (role "good", "bad" or "step"); for steps, the bisection
    // step, the steps needed at most and the untested commits left. `more`: runs added to
    // a commit whose comparison could not tell yet.
    virtual void measuring(const GitCommit& /*commit*/, const std::string& /*role*/, int /*step*/, int /*steps*/,
        std::size_t /*left*/, int /*runs*/, bool /*more*/)
    { }
    virtual void roundFinished(const RunResult& /*result*/, int /*index*/, int /*count*/) { }
    virtual void decided(const TestedCommit&) { }
    virtual void warning(const std::string& /*message*/) { }
};

// "20261201-023512-4242": when and by which process, unique enough for the label
// `bisect=<session>` that selects a bisection's runs in the history.
std::string bisectSessionId();

// Finds the first commit between good (exclusive) and bad (inclusive), along first
// parents, whose build regresses on the metric against the good commit's: measures
// good, confirms bad regresses, then binary-searches, each commit built `repeat` times
// in a scratch worktree (scratchworktree.h) through RunSession and judged by compareRuns.
// BisectError when it cannot start (not a git work tree, a revision that does not
// resolve, good not an ancestor of bad, good equal to bad); `stop` (set from a signal
// handler) cancels the running build and ends it with outcome Cancelled.
BisectResult bisect(const BisectOptions& options, const std::atomic<bool>& stop, BisectObserver& observer);

} // namespace buildscope
