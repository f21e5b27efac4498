#pragma once

#include "run/exitcode.h"

namespace buildscope::cli {

// The CLI uses the exit statuses defined with the run model (run/exitcode.h):
//
//   status  run / compare                          bisect
//   0       success; no regression                 the first bad commit was found
//   1       build failed; regression found         no regression between good and bad, or
//           (compare --fail-on-regression)         cannot tell (too few runs at the cap,
//                                                  good or bad unmeasurable, a range left
//                                                  by untestable commits)
//   2       bad usage or input                     the same, and: not in a git work tree, a
//                                                  revision that does not resolve, good ==
//                                                  bad, good not an ancestor of bad
//   130     interrupted (Ctrl-C, SIGTERM, SIGHUP)  the same; the scratch worktree is removed
using buildscope::ExitCancelled;
using buildscope::ExitCode;
using buildscope::ExitFailed;
using buildscope::ExitOk;
using buildscope::ExitUsage;

} // namespace buildscope::cli
