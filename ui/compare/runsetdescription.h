#pragma once

#include "history/runrecord.h"

#include <QString>
#include <cstdint>
#include <vector>

namespace buildscope {

// What a chosen set of runs is, in a few words, for the history panel's "baseline: …" line
// and the comparison's summary:
//   "none", "run #42 (demo)", "5 runs labelled side=base", "3 of 5 runs labelled side=base",
//   "3 runs (#9, #5, #3)".
// A set of several runs is named by a label all of them carry but not every listed run
// does: the label whose runs are exactly the set first (the label that picked them,
// usually), then user labels before git.branch, a shortened git.commit and host. When not
// every listed run with that label was picked, it says how many of them were. Without such
// a label, by ids (the first few, then "…").
QString describeRunSet(const std::vector<std::int64_t>& ids, const std::vector<RunRecord>& listed);

} // namespace buildscope
