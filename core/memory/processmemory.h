#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <sys/types.h>
#include <vector>

namespace buildscope {

// Resident memory of this process, in bytes.
struct SelfMemory
{
    std::uint64_t rssBytes = 0;
    std::uint64_t peakRssBytes = 0; // the kernel's high-water mark (getrusage ru_maxrss)
};

std::optional<SelfMemory> readSelfMemory() noexcept;

struct ProcessTreeMemory
{
    std::uint64_t rssBytes = 0; // sum of RSS over the root and all its descendants
    std::uint32_t processes = 0; // how many processes were summed (0: root is gone)
};

// Sums the RSS of a process tree: the root, every descendant, and (optionally) every
// member of the root's process group, which catches grandchildren orphaned when their
// parent exited. Shared pages count once per process that maps them, as `ps` and
// `top` count them.
//
// Linux reads /proc/<pid>/stat for every process (one pass, then a walk over the
// parent links); macOS uses proc_listchildpids and proc_pid_rusage. An instance
// reuses its scratch space, so after the first call sampling does not allocate.
class ProcessTreeSampler
{
public:
    ProcessTreeMemory sample(pid_t root, bool includeProcessGroup = true);
    // The same sum over processes already known (the process ledger's live set): reads
    // only those, not every process on the machine. Processes gone since are skipped.
    ProcessTreeMemory sample(std::span<const pid_t> processes);

    struct ProcessEntry
    {
        pid_t pid;
        pid_t parent;
        pid_t processGroup;
        std::uint64_t rssBytes;
    };

private:
    std::vector<ProcessEntry> m_entries;
    std::vector<pid_t> m_frontier;
    std::vector<pid_t> m_children; // macOS: proc_listchildpids output
};

} // namespace buildscope
