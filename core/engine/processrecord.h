#pragma once

// Plain data, standard library only: this header is meant to move as-is into the run
// model library, next to the step results it will belong to.

#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace buildscope {

// One program image of one process of a step's process tree, as the process ledger saw
// it (core/engine/processledger.h, docs/METRICS.md "Per-process peaks (the ledger)").
//
// The exec rule: a record is one image. A process that execs closes its current record
// and starts a new one for the same pid, with execCount one higher. One exception: the
// few instructions a freshly forked child runs before its first exec (the posix_spawn or
// fork+exec prelude, still running its parent's code on its parent's pages) are not a
// record of their own; the record of the exec'd image covers them, starting at the fork.
// A forked child that forks before exec'ing (a subshell running a few commands, then
// exec'ing the last) or never execs at all keeps its own record, with execCount 0 and
// its parent's executable, argv and working directory.
struct ProcessRecord
{
    static constexpr std::size_t kMaxArgvBytes = 8 * 1024; // kept of argv, terminators included

    pid_t pid = 0;
    pid_t parentPid = 0; // the process that forked it (0: unknown)
    std::string executable; // absolute path of the image (/proc/PID/exe)
    std::vector<std::string> argv; // at most kMaxArgvBytes in total, the last argument possibly cut
    bool argvTruncated = false;
    std::uint64_t argvBytes = 0; // the whole argv's size, terminators included, even when truncated
    std::string workingDirectory; // at exec
    double startSeconds = 0; // on the run's clock: seconds since the origin the ledger was given
    double endSeconds = 0;
    double userCpuSeconds = 0; // this image only, not its children
    double systemCpuSeconds = 0;
    std::optional<int> exitCode; // the process exited (_exit/exit/return from main)
    std::optional<int> signal; // the process was killed by this signal
    // Neither exitCode nor signal: the image was replaced by an exec (the next record of the
    // same pid continues the process).

    // Peak resident memory of this image. Exact (peakExact): the kernel's high-water mark
    // of the image's address space (/proc/PID/status VmHWM), read when the process stopped
    // on its way out, after its last allocation and before its memory was released; it
    // holds nothing inherited from before the exec. Not exact: the last value read while
    // it ran (an image replaced by exec, or a process killed by SIGKILL, which the kernel
    // lets die without an exit stop) - a lower bound, 0 if it was never read.
    std::uint64_t peakRssBytes = 0;
    bool peakExact = false;

    unsigned execCount = 0; // execs this pid has made up to this image (0: the image forked from its parent)
    std::string note; // what the ledger could not see or had to assume about this record
};

} // namespace buildscope
