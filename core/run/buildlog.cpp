#include "run/buildlog.h"

#include <algorithm>

namespace buildscope {

namespace {
// Entry text plus step name; the fixed part of an entry is counted too so a flood
// of empty lines is bounded as well.
std::size_t entryBytes(const LogEntry& entry)
{
    return sizeof(LogEntry) + entry.text.size() + entry.step.size();
}

constexpr std::size_t kMaxSpare = 256;
} // namespace

BuildLog::BuildLog(std::size_t maxEntries, std::size_t maxBytes)
    : m_maxEntries(std::max<std::size_t>(maxEntries, 1))
    , m_maxBytes(std::max<std::size_t>(maxBytes, kMaxLineBytes * 2))
{ }

void BuildLog::append(double seconds, LogLevel level, LogStream stream, std::string_view step, std::string_view text)
{
    std::lock_guard lock(m_mutex);
    LogEntry entry;
    if (!m_spare.empty()) {
        entry = std::move(m_spare.back());
        m_spare.pop_back();
    }
    entry.sequence = m_next++;
    entry.seconds = seconds;
    entry.level = level;
    entry.stream = stream;
    entry.step.assign(step);
    if (text.size() > kMaxLineBytes) {
        entry.text.assign(text.substr(0, kMaxLineBytes));
        entry.text.append("\u2026");
    } else {
        entry.text.assign(text);
    }
    m_bytes += entryBytes(entry);
    m_entries.push_back(std::move(entry));
    evictLocked();
}

void BuildLog::evictLocked()
{
    while (!m_entries.empty() && (m_entries.size() > m_maxEntries || m_bytes > m_maxBytes)) {
        LogEntry& oldest = m_entries.front();
        m_bytes -= entryBytes(oldest);
        if (m_spare.size() < kMaxSpare && oldest.text.capacity() <= 4096) {
            oldest.text.clear();
            oldest.step.clear();
            m_spare.push_back(std::move(oldest));
        }
        m_entries.pop_front();
    }
}

std::uint64_t BuildLog::copySince(std::uint64_t from, std::vector<LogEntry>& out, std::size_t limit) const
{
    std::lock_guard lock(m_mutex);
    if (m_entries.empty())
        return std::max(from, m_next);
    const std::uint64_t first = m_entries.front().sequence;
    std::size_t index = from > first ? static_cast<std::size_t>(from - first) : 0;
    std::uint64_t next = std::max(from, first);
    for (std::size_t copied = 0; index < m_entries.size() && copied < limit; ++index, ++copied) {
        out.push_back(m_entries[index]);
        next = m_entries[index].sequence + 1;
    }
    return next;
}

std::vector<LogEntry> BuildLog::tail(std::size_t n) const
{
    std::lock_guard lock(m_mutex);
    const std::size_t count = std::min(n, m_entries.size());
    return {m_entries.end() - static_cast<std::ptrdiff_t>(count), m_entries.end()};
}

std::uint64_t BuildLog::nextSequence() const
{
    std::lock_guard lock(m_mutex);
    return m_next;
}

std::uint64_t BuildLog::firstSequence() const
{
    std::lock_guard lock(m_mutex);
    return m_entries.empty() ? m_next : m_entries.front().sequence;
}

std::size_t BuildLog::heldBytes() const
{
    std::lock_guard lock(m_mutex);
    return m_bytes;
}

} // namespace buildscope
