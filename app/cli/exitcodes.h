#pragma once

#include "run/exitcode.h"

namespace buildscope::cli {

// The CLI uses the exit statuses defined with the run model (run/exitcode.h).
using buildscope::ExitCancelled;
using buildscope::ExitCode;
using buildscope::ExitFailed;
using buildscope::ExitOk;
using buildscope::ExitUsage;

} // namespace buildscope::cli
