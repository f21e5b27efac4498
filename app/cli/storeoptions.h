#pragma once

#include "arguments.h"
#include "history/runhistory.h"

#include <memory>
#include <optional>
#include <vector>

namespace buildscope::cli {

// --store PATH: the run history to use; BUILDSCOPE_STORE or the platform's app-data
// location otherwise (RunHistory::defaultPath()).
Arguments::Option storeOption();

// Opens the store the arguments name, to write to it (run, import, delete): HistoryError
// when it cannot be opened or is damaged (SQLite's quick_check), so a command that would
// write fails before it starts rather than write into a damaged store (docs/HISTORY.md).
std::unique_ptr<RunHistory> openStore(const Arguments& arguments);

// For the commands that record runs (run, bisect): the store to record into, nullptr with
// --no-store; none (after saying why on stderr, naming `command`, and how to go on) when it
// cannot be opened: the caller exits with ExitUsage before any build starts.
std::optional<std::unique_ptr<RunHistory>> openRecordingStore(const Arguments& arguments, const char* command);

// The same to read from it (list, show, export, compare): a damaged store is still read as
// far as it can be, and nothing is written to it.
std::unique_ptr<RunHistory> openStoreForReading(const Arguments& arguments);

} // namespace buildscope::cli
