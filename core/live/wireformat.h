#pragma once

#include "memory/heaptracker.h"
#include "memory/timeseriesstore.h"
#include "run/logentry.h"
#include "run/runresult.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace buildscope::live {

// The live endpoint's wire format, version 1 (docs/PROTOCOL.md): JSON Lines, one
// compact UTF-8 JSON object per line, each with a "type". The engine writes; a viewer
// only reads (bytes a viewer sends are discarded). A viewer that connects mid-run first
// receives everything held so far (hello, run, samples, steps, log, pools, operations)
// and then the same stream as everyone else.

inline constexpr const char* kProtocolName = "buildscope-live";
inline constexpr int kProtocolVersion = 1;
// A line longer than this is refused by a reader: no message of a run comes near it
// (a log line is cut at 16 KiB, a samples message holds at most kMaxRowsPerMessage rows).
inline constexpr std::size_t kMaxLineBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxRowsPerMessage = 4096;
inline constexpr std::size_t kMaxLogEntriesPerMessage = 2048;
inline constexpr std::size_t kMaxProcessesPerMessage = 1024;

// A message that does not follow the format; what() says which field and why.
class WireError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

struct Hello
{
    int version = kProtocolVersion;
    std::int64_t enginePid = 0;
    std::string buildscopeVersion;
};

// A run begins (one per --repeat round): what it is and which series its samples carry.
struct RunHeader
{
    int index = 1; // 1-based round of a --repeat
    int count = 1;
    std::string specName;
    std::string specFile;
    std::string context;
    double sampleHz = 0;
    std::chrono::system_clock::time_point startedAt;
    // The run's t = 0 on the machine's steady clock (CLOCK_MONOTONIC on Linux), in ns: a
    // viewer on the same machine can tell how old a sample is when it arrives.
    std::int64_t clockOriginNs = 0;
    Labels labels;
    HostInfo host;
    std::vector<StepResult> steps; // names and types; status pending
    std::vector<SeriesSpec> series;
};

// Rows in time order; each holds one value per series of the run (NaN: no value).
struct Samples
{
    std::vector<double> times;
    std::vector<std::vector<double>> rows;
};

struct StepUpdate
{
    std::size_t index = 0;
    StepResult step;
};

struct LogBatch
{
    std::vector<LogEntry> entries;
};

struct Progress
{
    double elapsedSeconds = 0;
    int currentStep = -1;
    double stepStartSeconds = 0;
};

struct Pools
{
    std::vector<PoolStatistics> pools;
};

struct Operations
{
    std::vector<OperationStatistics> operations;
};

// Processes of the build that ended since the last message (the process ledger), each
// with its step and key.
struct Processes
{
    std::vector<ProcessRecord> processes;
};

// The processes of the build running now, replacing the list the last `running` message
// gave (sent when it changes; empty when nothing runs). Their end, CPU and exit are not
// known yet and their peak is only what the ledger last read: a viewer draws them up to
// now and waits for their `processes` record for the figures.
struct Running
{
    std::vector<ProcessRecord> processes;
};

// A run ended: its whole result, as run.json holds it, plus processes, pools and operations.
struct RunEnd
{
    RunResult result;
};

// Log entries of the build this viewer was not sent: it read slower than the build
// printed and its queue was full (docs/PROTOCOL.md, "A viewer that falls behind"). Sent
// before the next message the viewer does get; the report's log.txt has every line.
struct Gap
{
    std::uint64_t lines = 0;
};

// The engine is about to exit with this status (docs/PROTOCOL.md lists the codes).
struct Bye
{
    int exitCode = 0;
};

// A message of a type this version does not know (a newer engine's): readers skip it, so
// an engine may add message types without breaking older viewers (docs/PROTOCOL.md).
struct Unknown
{
    std::string type;
};

using Message = std::variant<Hello, RunHeader, Samples, StepUpdate, LogBatch, Progress, Pools, Operations, Processes,
    Running, RunEnd, Gap, Bye, Unknown>;

// One line, with its trailing '\n'.
std::string encode(const Message& message);
// One line (without or with its trailing '\n'). Throws WireError.
Message decode(std::string_view line);

// Cuts a byte stream into lines; a line over kMaxLineBytes is an error (the stream is
// not a BuildScope endpoint, or is damaged).
class LineReader
{
public:
    // Appends bytes and calls `line` for every complete line.
    template<class Fn>
    void feed(std::string_view bytes, Fn&& line)
    {
        std::size_t start = 0;
        while (start < bytes.size()) {
            const std::size_t newline = bytes.find('\n', start);
            if (newline == std::string_view::npos) {
                m_partial.append(bytes.substr(start));
                if (m_partial.size() > kMaxLineBytes)
                    throw WireError("a line of more than " + std::to_string(kMaxLineBytes) + " bytes");
                return;
            }
            if (m_partial.empty()) {
                line(bytes.substr(start, newline - start));
            } else {
                m_partial.append(bytes.substr(start, newline - start));
                if (m_partial.size() > kMaxLineBytes)
                    throw WireError("a line of more than " + std::to_string(kMaxLineBytes) + " bytes");
                line(std::string_view(m_partial));
                m_partial.clear();
            }
            start = newline + 1;
        }
    }
    bool hasPartialLine() const noexcept { return !m_partial.empty(); }

private:
    std::string m_partial;
};

} // namespace buildscope::live
