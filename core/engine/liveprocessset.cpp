#include "engine/liveprocessset.h"

namespace buildscope {

void LiveProcessSet::snapshot(std::vector<pid_t>& out) const
{
    std::lock_guard lock(m_mutex);
    out.assign(m_pids.begin(), m_pids.end());
}

std::size_t LiveProcessSet::size() const
{
    std::lock_guard lock(m_mutex);
    return m_pids.size();
}

bool LiveProcessSet::complete() const
{
    std::lock_guard lock(m_mutex);
    return m_complete;
}

void LiveProcessSet::reset(bool complete)
{
    std::lock_guard lock(m_mutex);
    m_pids.clear();
    m_complete = complete;
}

void LiveProcessSet::insert(pid_t pid)
{
    std::lock_guard lock(m_mutex);
    m_pids.insert(pid);
}

void LiveProcessSet::erase(pid_t pid)
{
    std::lock_guard lock(m_mutex);
    m_pids.erase(pid);
}

} // namespace buildscope
