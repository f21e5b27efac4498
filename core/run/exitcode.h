#pragma once

namespace buildscope {

// The exit statuses of BuildScope's programs (README, docs/PROTOCOL.md for the live
// endpoint's goodbye). CI scripts rely on them: keep them stable.
enum ExitCode : int
{
    ExitOk = 0, // success; no regression; bisect found the first bad commit
    // the build failed, or compare found a regression with --fail-on-regression, or bisect
    // found no regression between good and bad or cannot tell which commit it is
    ExitFailed = 1,
    ExitUsage = 2, // bad usage or bad input (spec, report, arguments; bisect: no git work tree, bad revisions)
    ExitCancelled = 130, // interrupted (Ctrl-C, SIGTERM, SIGHUP); the report is still written
};

} // namespace buildscope
