#include "engine/signalname.h"

#include <csignal>
#include <iterator>

namespace buildscope {

namespace {

struct NamedSignal
{
    int number;
    const char* name;
};

// The signals POSIX names, plus the two common BSD/Linux ones. Numbers differ between
// systems (SIGUSR1 is 10 on Linux, 30 on macOS), so the table is built from the macros.
constexpr NamedSignal kSignals[] = {
    {SIGHUP, "SIGHUP"},
    {SIGINT, "SIGINT"},
    {SIGQUIT, "SIGQUIT"},
    {SIGILL, "SIGILL"},
    {SIGTRAP, "SIGTRAP"},
    {SIGABRT, "SIGABRT"},
    {SIGBUS, "SIGBUS"},
    {SIGFPE, "SIGFPE"},
    {SIGKILL, "SIGKILL"},
    {SIGUSR1, "SIGUSR1"},
    {SIGSEGV, "SIGSEGV"},
    {SIGUSR2, "SIGUSR2"},
    {SIGPIPE, "SIGPIPE"},
    {SIGALRM, "SIGALRM"},
    {SIGTERM, "SIGTERM"},
    {SIGCHLD, "SIGCHLD"},
    {SIGCONT, "SIGCONT"},
    {SIGSTOP, "SIGSTOP"},
    {SIGTSTP, "SIGTSTP"},
    {SIGTTIN, "SIGTTIN"},
    {SIGTTOU, "SIGTTOU"},
    {SIGURG, "SIGURG"},
    {SIGXCPU, "SIGXCPU"},
    {SIGXFSZ, "SIGXFSZ"},
    {SIGVTALRM, "SIGVTALRM"},
    {SIGPROF, "SIGPROF"},
    {SIGSYS, "SIGSYS"},
    {SIGWINCH, "SIGWINCH"},
};

} // namespace

std::string signalName(int signal)
{
    for (const NamedSignal& named : kSignals) {
        if (named.number == signal)
            return named.name;
    }
    return "signal " + std::to_string(signal);
}

} // namespace buildscope
