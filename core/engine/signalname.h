#pragma once

#include <string>

namespace buildscope {

// "SIGKILL" for 9: the name a user knows from kill(1), on Linux and macOS alike (glibc's
// sigabbrev_np does not exist on macOS, and strsignal's "Killed" is localised prose).
// A signal without a portable name is "signal N".
std::string signalName(int signal);

} // namespace buildscope
