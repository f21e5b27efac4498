// Linux implementation of processmemory.h (macOS: processmemory_macos.cpp).
#include "memory/processmemory.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace buildscope {

namespace {

const std::uint64_t kPageBytes = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));

// Reads a small /proc file into `buffer` without allocating; returns its length or -1.
ssize_t readSmallFile(const char* path, char* buffer, std::size_t capacity) noexcept
{
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t total = 0;
    while (static_cast<std::size_t>(total) < capacity - 1) {
        const ssize_t n = ::read(fd, buffer + total, capacity - 1 - static_cast<std::size_t>(total));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        total += n;
    }
    ::close(fd);
    buffer[total] = '\0';
    return total;
}

// Parses fields of /proc/<pid>/stat after the command name, which may itself hold
// spaces and parentheses: everything up to the last ')' is skipped.
bool parseStat(const char* text, std::size_t length, ProcessTreeSampler::ProcessEntry& entry) noexcept
{
    const char* end = text + length;
    const char* close = nullptr;
    for (const char* p = text; p < end; ++p) {
        if (*p == ')')
            close = p;
    }
    if (!close)
        return false;
    // Fields after ')': 3 state, 4 ppid, 5 pgrp, ... 24 rss (pages).
    const char* p = close + 1;
    long long field = 0;
    for (int index = 3; index <= 24 && p < end; ++index) {
        while (p < end && *p == ' ')
            ++p;
        const char* start = p;
        while (p < end && *p != ' ')
            ++p;
        if (index == 3)
            continue;
        if (std::from_chars(start, p, field).ec != std::errc())
            return false;
        if (index == 4)
            entry.parent = static_cast<pid_t>(field);
        else if (index == 5)
            entry.processGroup = static_cast<pid_t>(field);
        else if (index == 24)
            entry.rssBytes = static_cast<std::uint64_t>(std::max(0LL, field)) * kPageBytes;
    }
    return true;
}

bool isPidName(const char* name) noexcept
{
    if (!*name)
        return false;
    for (; *name; ++name) {
        if (*name < '0' || *name > '9')
            return false;
    }
    return true;
}

} // namespace

std::optional<SelfMemory> readSelfMemory() noexcept
{
    char text[256];
    if (readSmallFile("/proc/self/statm", text, sizeof text) <= 0)
        return std::nullopt;
    // statm: size resident shared text lib data dt (pages)
    const char* p = std::strchr(text, ' ');
    std::uint64_t residentPages = 0;
    if (!p || std::from_chars(p + 1, text + std::strlen(text), residentPages).ec != std::errc())
        return std::nullopt;
    SelfMemory memory;
    memory.rssBytes = residentPages * kPageBytes;
    rusage usage {};
    if (getrusage(RUSAGE_SELF, &usage) == 0)
        memory.peakRssBytes = static_cast<std::uint64_t>(usage.ru_maxrss) * 1024; // KiB on Linux
    memory.peakRssBytes = std::max(memory.peakRssBytes, memory.rssBytes);
    return memory;
}

ProcessTreeMemory ProcessTreeSampler::sample(std::span<const pid_t> processes)
{
    ProcessTreeMemory result;
    char path[64];
    char text[256];
    for (const pid_t pid : processes) {
        std::snprintf(path, sizeof path, "/proc/%d/statm", static_cast<int>(pid));
        const ssize_t length = readSmallFile(path, text, sizeof text);
        if (length <= 0)
            continue; // exited since the set was read
        // statm: size resident ... (pages)
        const char* space = static_cast<const char*>(std::memchr(text, ' ', static_cast<std::size_t>(length)));
        std::uint64_t residentPages = 0;
        if (!space || std::from_chars(space + 1, text + length, residentPages).ec != std::errc())
            continue;
        result.rssBytes += residentPages * kPageBytes;
        ++result.processes;
    }
    return result;
}

ProcessTreeMemory ProcessTreeSampler::sample(pid_t root, bool includeProcessGroup)
{
    m_entries.clear();
    DIR* proc = ::opendir("/proc");
    if (!proc)
        return {};
    char path[64];
    char text[1024];
    while (const dirent* entry = ::readdir(proc)) {
        if (!isPidName(entry->d_name) || std::strlen(entry->d_name) > 20)
            continue;
        std::snprintf(path, sizeof path, "/proc/%.20s/stat", entry->d_name);
        const ssize_t length = readSmallFile(path, text, sizeof text);
        if (length <= 0)
            continue; // the process exited between readdir and open
        ProcessEntry process {};
        if (std::from_chars(entry->d_name, entry->d_name + std::strlen(entry->d_name), process.pid).ec != std::errc())
            continue;
        if (parseStat(text, static_cast<std::size_t>(length), process))
            m_entries.push_back(process);
    }
    ::closedir(proc);

    // Sort by parent so each process's children form one contiguous range.
    std::sort(m_entries.begin(), m_entries.end(),
        [](const ProcessEntry& a, const ProcessEntry& b) { return a.parent < b.parent; });

    ProcessTreeMemory result;
    auto account = [&](const ProcessEntry& process) {
        result.rssBytes += process.rssBytes;
        ++result.processes;
    };
    // Mark visited processes by negating their pid in place (pids are positive).
    auto markVisited = [](ProcessEntry& process) { process.pid = -process.pid; };

    m_frontier.clear();
    for (ProcessEntry& process : m_entries) {
        if (process.pid == root || (includeProcessGroup && process.processGroup == root && root > 0)) {
            account(process);
            m_frontier.push_back(process.pid);
            markVisited(process);
        }
    }
    while (!m_frontier.empty()) {
        const pid_t parent = m_frontier.back();
        m_frontier.pop_back();
        auto [first, last] = std::equal_range(m_entries.begin(), m_entries.end(), ProcessEntry {0, parent, 0, 0},
            [](const ProcessEntry& a, const ProcessEntry& b) { return a.parent < b.parent; });
        for (auto it = first; it != last; ++it) {
            if (it->pid <= 0)
                continue;
            account(*it);
            m_frontier.push_back(it->pid);
            markVisited(*it);
        }
    }
    return result;
}

} // namespace buildscope
