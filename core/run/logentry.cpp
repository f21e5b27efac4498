#include "run/logentry.h"

namespace buildscope {

const char* logLevelName(LogLevel level)
{
    switch (level) {
    case LogLevel::Debug:
        return "debug";
    case LogLevel::Info:
        return "info";
    case LogLevel::Warning:
        return "warning";
    case LogLevel::Error:
        return "error";
    }
    return "info";
}

const char* logStreamName(LogStream stream)
{
    switch (stream) {
    case LogStream::Engine:
        return "engine";
    case LogStream::Stdout:
        return "stdout";
    case LogStream::Stderr:
        return "stderr";
    }
    return "engine";
}

std::optional<LogLevel> parseLogLevel(std::string_view text)
{
    for (LogLevel level : {LogLevel::Debug, LogLevel::Info, LogLevel::Warning, LogLevel::Error}) {
        if (text == logLevelName(level))
            return level;
    }
    return std::nullopt;
}

std::optional<LogStream> parseLogStream(std::string_view text)
{
    for (LogStream stream : {LogStream::Engine, LogStream::Stdout, LogStream::Stderr}) {
        if (text == logStreamName(stream))
            return stream;
    }
    return std::nullopt;
}

} // namespace buildscope
