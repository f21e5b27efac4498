#pragma once

#include "compare/runcomparison.h"

#include <optional>
#include <string>

namespace buildscope {

// What a bisection concludes about one commit from its runs against the good commit's.
enum class CommitVerdict
{
    Good, // no regression on the metric (no change, or an improvement)
    Bad, // a regression on the metric
    CannotTell, // the comparison is 'unknown': too few runs for any p-value to reach alpha
    Untestable, // no successful run (the build fails there), or nothing to compare
};

const char* commitVerdictName(CommitVerdict verdict); // "good", "bad", "cannot tell", "untestable"

struct CommitJudgement
{
    CommitVerdict verdict = CommitVerdict::Untestable;
    // The row that decided: the largest regression for a bad commit, the largest change
    // otherwise; none for an untestable commit.
    std::optional<ComparisonRow> evidence;
    std::string note; // why untestable or why it cannot tell
};

// Judges a comparison of the good commit's runs (base) with a commit's (candidate) on
// one metric, for one subject: `key` names a step or a process key ("process/<key>"
// rows); empty takes every step and every process key, and any of them regressing makes
// the commit bad. The evidence is `preferredSubject`'s row when it has the verdict's kind
// (so a bisection's table follows the subject the bad commit regressed on), else the
// largest.
CommitJudgement judgeCommit(const Comparison& comparison, const std::string& metric, const std::string& key,
    const std::string& preferredSubject = {});

} // namespace buildscope
