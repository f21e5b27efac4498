#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace buildscope {

enum class LogLevel : std::uint8_t
{
    Debug,
    Info,
    Warning,
    Error
};
enum class LogStream : std::uint8_t
{
    Engine,
    Stdout,
    Stderr
};

struct LogEntry
{
    std::uint64_t sequence = 0; // 0, 1, 2, ... in arrival order
    double seconds = 0; // on the run's clock
    LogLevel level = LogLevel::Info;
    LogStream stream = LogStream::Engine;
    std::string step; // empty for engine messages outside a step
    std::string text; // one line, without the newline
};

const char* logLevelName(LogLevel level); // "debug", "info", "warning", "error"
const char* logStreamName(LogStream stream); // "engine", "stdout", "stderr"
std::optional<LogLevel> parseLogLevel(std::string_view text);
std::optional<LogStream> parseLogStream(std::string_view text);

} // namespace buildscope
