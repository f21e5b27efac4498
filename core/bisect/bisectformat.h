#pragma once

#include "bisect/bisection.h"

#include <string>

namespace buildscope {

// A bisection's answer for a terminal: the first bad commit (hash and subject) or why
// there is none, then the evidence, one row per tested commit in the order tested:
// verdict, runs, the subject the figures are about, the good median, the commit's
// median, change % and p.
std::string formatBisectText(const BisectResult& result);

// The same as JSON (docs/BISECT.md): {"session", "outcome", "message", "metric", "key",
// "good", "bad", "commits", "steps", "first_bad", "suspects", "tested": [...]}.
std::string bisectJson(const BisectResult& result);

// "step 3/5: testing 4f3a9c1 (12 commits left, 5 runs)", "measuring good 1a2b3c4 (5 runs)",
// "measuring bad 9e8d7c6 again (5 more runs: too few to tell)".
std::string bisectProgressLine(
    const GitCommit& commit, const std::string& role, int step, int steps, std::size_t left, int runs, bool more);

} // namespace buildscope
