#pragma once

#include <atomic>

namespace buildscope::cli {

// Turns SIGINT, SIGTERM and SIGHUP into a flag the waiting loop polls (the engine then stops
// the build's process group itself), and ignores SIGPIPE so a closed output pipe is a
// write error rather than a silent death.
void installInterruptHandlers();
bool interrupted() noexcept;
const std::atomic<bool>& interruptFlag() noexcept; // set by the handlers
int interruptSignal() noexcept; // the signal that set the flag

} // namespace buildscope::cli
