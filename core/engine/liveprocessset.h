#pragma once

#include <cstddef>
#include <mutex>
#include <sys/types.h>
#include <unordered_set>
#include <vector>

namespace buildscope {

// The pids of the processes of a step's tree that are alive now. The ledger's thread
// writes it; any thread may read it (the sampler reads only these processes instead of
// walking all of /proc). A mutex guards it: writes happen at forks and exits, reads at
// the sampling rate, so neither side waits for long.
class LiveProcessSet
{
public:
    // Replaces `out` with the live pids, in no particular order.
    void snapshot(std::vector<pid_t>& out) const;
    std::size_t size() const;
    // True while a ledger traces the tree: the set is then every process of it. False
    // when nothing is traced (ledger off, not supported, or the fallback): the set is
    // empty and says nothing, and a reader has to find the tree itself.
    bool complete() const;

    // The ledger's side.
    void reset(bool complete);
    void insert(pid_t pid);
    void erase(pid_t pid);

private:
    mutable std::mutex m_mutex;
    std::unordered_set<pid_t> m_pids;
    bool m_complete = false;
};

} // namespace buildscope
