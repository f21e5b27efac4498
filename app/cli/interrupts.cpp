#include "interrupts.h"

#include <atomic>
#include <csignal>

namespace buildscope::cli {

namespace {
std::atomic<int> g_signal {0};
std::atomic<bool> g_interrupted {false};
static_assert(std::atomic<int>::is_always_lock_free, "needed in a signal handler");
static_assert(std::atomic<bool>::is_always_lock_free, "needed in a signal handler");

extern "C" void onInterrupt(int signal)
{
    g_signal.store(signal, std::memory_order_relaxed);
    g_interrupted.store(true, std::memory_order_relaxed);
}
} // namespace

void installInterruptHandlers()
{
    struct sigaction action
    { };
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    // A closed terminal or SSH session: stop the build and keep what was measured, as
    // for Ctrl-C, instead of dying with no report and leaving the build running.
    sigaction(SIGHUP, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

bool interrupted() noexcept
{
    return g_signal.load(std::memory_order_relaxed) != 0;
}

const std::atomic<bool>& interruptFlag() noexcept
{
    return g_interrupted;
}

int interruptSignal() noexcept
{
    return g_signal.load(std::memory_order_relaxed);
}

} // namespace buildscope::cli
