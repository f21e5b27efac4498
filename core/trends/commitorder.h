#pragma once

#include "history/runmetrics.h"

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

namespace buildscope {

// Runs in the order of their commits, oldest first, as indices into `runs`. A commit is
// placed at its committer time (label git.commit_time) or, without one, at the earliest
// start of its runs; runs without a commit at their own start. The runs of one commit stay
// together, in start order; ties go by commit hash, then start, then id. Without any git
// label this is start-time order.
std::vector<std::size_t> commitOrder(const std::vector<MetricRun>& runs);

// "2026-11-30T14:05:09Z" (what git.commit_time holds): the time, or none when the text is
// not an ISO 8601 UTC time of that form.
std::optional<std::chrono::system_clock::time_point> parseCommitTime(std::string_view text);

} // namespace buildscope
