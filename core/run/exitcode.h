#pragma once

namespace buildscope {

// The exit statuses of BuildScope's programs (README, docs/PROTOCOL.md for the live
// endpoint's goodbye). CI scripts rely on them: keep them stable.
enum ExitCode : int
{
    ExitOk = 0, // success; no regression
    ExitFailed = 1, // the build failed, or compare found a regression with --fail-on-regression
    ExitUsage = 2, // bad usage or bad input (spec, report, arguments)
    ExitCancelled = 130, // interrupted (Ctrl-C, SIGTERM, SIGHUP); the report is still written
};

} // namespace buildscope
