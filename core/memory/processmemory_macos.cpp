// macOS implementation of processmemory.h: libproc instead of /proc.
// proc_pid_rusage gives a process's resident size; proc_listchildpids its children.
// Only compiled on Apple platforms (see CMakeLists.txt).
#include "memory/processmemory.h"

#include <algorithm>
#include <libproc.h>
#include <sys/resource.h>
#include <unistd.h>

namespace buildscope {

namespace {
std::optional<std::uint64_t> residentBytes(pid_t pid) noexcept
{
    rusage_info_v2 info {};
    if (proc_pid_rusage(pid, RUSAGE_INFO_V2, reinterpret_cast<rusage_info_t*>(&info)) != 0)
        return std::nullopt;
    return info.ri_resident_size;
}
} // namespace

std::optional<SelfMemory> readSelfMemory() noexcept
{
    const std::optional<std::uint64_t> rss = residentBytes(getpid());
    if (!rss)
        return std::nullopt;
    SelfMemory memory;
    memory.rssBytes = *rss;
    rusage usage {};
    if (getrusage(RUSAGE_SELF, &usage) == 0)
        memory.peakRssBytes = static_cast<std::uint64_t>(usage.ru_maxrss); // bytes on macOS
    memory.peakRssBytes = std::max(memory.peakRssBytes, memory.rssBytes);
    return memory;
}

// macOS has no cheap "all processes with their group" listing comparable to /proc, so
// the process-group option is not used here: the tree is root plus descendants.
ProcessTreeMemory ProcessTreeSampler::sample(std::span<const pid_t> processes)
{
    ProcessTreeMemory result;
    for (const pid_t pid : processes) {
        if (const std::optional<std::uint64_t> rss = residentBytes(pid)) {
            result.rssBytes += *rss;
            ++result.processes;
        }
    }
    return result;
}

ProcessTreeMemory ProcessTreeSampler::sample(pid_t root, bool /*includeProcessGroup*/)
{
    ProcessTreeMemory result;
    m_frontier.clear();
    m_frontier.push_back(root);
    if (m_children.size() < 256)
        m_children.resize(256);
    while (!m_frontier.empty()) {
        const pid_t pid = m_frontier.back();
        m_frontier.pop_back();
        if (const std::optional<std::uint64_t> rss = residentBytes(pid)) {
            result.rssBytes += *rss;
            ++result.processes;
        }
        int bytes = proc_listchildpids(pid, m_children.data(), static_cast<int>(m_children.size() * sizeof(pid_t)));
        const int count = std::max(0, bytes) / static_cast<int>(sizeof(pid_t));
        for (int i = 0; i < count; ++i)
            m_frontier.push_back(m_children[static_cast<std::size_t>(i)]);
    }
    return result;
}

} // namespace buildscope
