#pragma once

#include "arguments.h"
#include "history/runhistory.h"

#include <memory>
#include <vector>

namespace buildscope::cli {

// --store PATH: the run history to use; BUILDSCOPE_STORE or the platform's app-data
// location otherwise (RunHistory::defaultPath()).
Arguments::Option storeOption();

// Opens the store the arguments name; HistoryError when it cannot be opened.
std::unique_ptr<RunHistory> openStore(const Arguments& arguments);

} // namespace buildscope::cli
