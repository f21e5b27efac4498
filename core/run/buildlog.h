#pragma once

#include "run/logentry.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace buildscope {

// The bounded in-memory log a run keeps for the UI and the CLI: the newest entries up
// to a count and a byte budget, whatever the build prints (a step writing 100 MB of
// output costs at most the budget). Entries are recycled in place, so their strings'
// capacity is reused instead of reallocated per line. Thread-safe; readers copy out
// entries by sequence number.
class BuildLog
{
public:
    static constexpr std::size_t kMaxLineBytes = 16 * 1024; // longer lines are cut, marked with "…"

    explicit BuildLog(std::size_t maxEntries = 20000, std::size_t maxBytes = 8 * 1024 * 1024);

    void append(double seconds, LogLevel level, LogStream stream, std::string_view step, std::string_view text);

    // Entries with sequence >= from, oldest first, at most `limit`; returns the sequence
    // to pass next time. Entries evicted before being read are skipped (see firstSequence()).
    std::uint64_t copySince(std::uint64_t from, std::vector<LogEntry>& out, std::size_t limit = SIZE_MAX) const;
    // The last n entries.
    std::vector<LogEntry> tail(std::size_t n) const;

    std::uint64_t nextSequence() const;
    std::uint64_t firstSequence() const; // oldest entry still held (entries before it were evicted)
    std::size_t heldBytes() const;

private:
    void evictLocked();

    const std::size_t m_maxEntries;
    const std::size_t m_maxBytes;
    mutable std::mutex m_mutex;
    std::deque<LogEntry> m_entries;
    std::vector<LogEntry> m_spare; // evicted entries kept for their string capacity
    std::uint64_t m_next = 0;
    std::size_t m_bytes = 0;
};

} // namespace buildscope
