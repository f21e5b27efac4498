#include "interrupts.h"

#include <atomic>
#include <csignal>

namespace buildscope::cli {

namespace {
std::atomic<int> g_signal {0};
static_assert(std::atomic<int>::is_always_lock_free, "needed in a signal handler");

extern "C" void onInterrupt(int signal)
{
    g_signal.store(signal, std::memory_order_relaxed);
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
    std::signal(SIGPIPE, SIG_IGN);
}

bool interrupted() noexcept
{
    return g_signal.load(std::memory_order_relaxed) != 0;
}

int interruptSignal() noexcept
{
    return g_signal.load(std::memory_order_relaxed);
}

} // namespace buildscope::cli
