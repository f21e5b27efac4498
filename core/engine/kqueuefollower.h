#pragma once

#include "run/processrecord.h"

#include <cstdint>
#include <optional>
#include <string>
#include <sys/resource.h>
#include <sys/types.h>
#include <vector>

namespace buildscope {

class ProcessLedger;

// What the macOS ledger asks the system (kqueue, libproc, sysctl, wait4), behind an
// interface: the logic that turns kqueue's notes into process records (KqueueFollower)
// is compiled everywhere and tested on Linux with recorded note sequences and a fake of
// this (tests/engine/tst_kqueuefollower.cpp); processledger_macos.cpp has the real one.
class ProcessInspector
{
public:
    // proc_pid_rusage(RUSAGE_INFO_V4), converted: the footprint's lifetime maximum and
    // the CPU seconds of the process so far.
    struct Usage
    {
        std::uint64_t peakBytes = 0;
        double userSeconds = 0;
        double systemSeconds = 0;
    };

    virtual ~ProcessInspector() = default;
    virtual bool watch(pid_t pid, bool ownChild) = 0; // kevent EV_ADD for fork/exec/exit; false: gone
    virtual std::vector<pid_t> children(pid_t parent) = 0; // proc_listchildpids
    virtual std::string executable(pid_t pid) = 0; // proc_pidpath; empty: gone or unreadable
    virtual void readImage(pid_t pid, ProcessRecord& record) = 0; // executable, argv, working directory
    virtual std::optional<Usage> usage(pid_t pid) = 0; // nullopt: gone (reaped) or unreadable
    virtual bool alive(pid_t pid) = 0; // kill(pid, 0) is not ESRCH
    virtual int reap(pid_t child, rusage& usage) = 0; // wait4 our own child: its wait status
};

// rusage_info's CPU times are in Mach absolute time units: nanoseconds on Intel, 125/3 ns
// ticks on Apple silicon. numer/denom is mach_timebase_info's ratio.
double machTicksToSeconds(std::uint64_t ticks, std::uint32_t numer, std::uint32_t denom);

// One kevent of EVFILT_PROC: which of fork, exec and exit it reports for a watched pid.
struct ProcessNote
{
    pid_t pid = 0;
    bool fork = false;
    bool exec = false;
    bool exit = false;
    int exitStatus = 0; // a wait status; only for our own child (NOTE_EXITSTATUS)
};

// Turns kqueue's notes into the ledger's records, with the ledger's own record keeping
// (the exec rule, CPU and peak per image). What kqueue cannot see, it says in the record:
//
// - kqueue reports that a process forked, not the child: the follower then lists the
//   forking process's children and watches the new ones. A child that forks or exits
//   before it is watched is not seen (its own children neither); a child that has already
//   exec'd is recorded with that image only.
// - Nothing stops: a process's exit is read after the fact, from its zombie. If its parent
//   reaps it first, its peak and CPU are lost (peakExact false, noted).
// - An exit status only for our own child (the root).
// - A process that vanishes without an exit note (exited between fork and watch) is found
//   by sweepVanished() and ended with its peak unknown.
class KqueueFollower
{
public:
    KqueueFollower(ProcessLedger& ledger, ProcessInspector& system);

    // The root is watched and tracked as the ledger's start does for a forked root; a test
    // calls this to stand in for that fork.
    void adoptRoot(pid_t root, pid_t parent);

    void handle(const ProcessNote& note);
    void sweepVanished(); // ends tracked processes that are gone without an exit note
    bool done() const; // nothing left to follow

    // Notes, in the order kqueue's flags are handled within one kevent.
    static constexpr const char* kExitStatusUnknown = "exit status not known (kqueue gives it for the root only)";

private:
    void onFork(pid_t parent);
    void onExec(pid_t pid);
    void onExit(pid_t pid, int status);

    ProcessLedger& m_ledger;
    ProcessInspector& m_system;
};

} // namespace buildscope
