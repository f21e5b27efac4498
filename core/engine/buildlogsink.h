#pragma once

#include "run/buildlog.h"

#include <chrono>
#include <functional>
#include <mutex>
#include <spdlog/sinks/base_sink.h>

namespace buildscope {

// The spdlog sink that feeds a BuildLog: every engine logger and the per-step output
// loggers write through it. The logger's name is the step name ("engine" for the
// engine itself); which stream a line came from travels in a thread-local set by
// StreamScope around the call, because spdlog messages carry no such field.
class BuildLogSink : public spdlog::sinks::base_sink<std::mutex>
{
public:
    // `listener`, when set, also receives every entry as it is logged (on the logging
    // thread): the console and the report's log.txt carry every line, whatever the
    // bounded log keeps.
    using Listener = std::function<void(const LogEntry& entry)>;
    BuildLogSink(BuildLog& log, std::chrono::steady_clock::time_point origin, Listener listener = {});

    class StreamScope
    {
    public:
        explicit StreamScope(LogStream stream) noexcept;
        ~StreamScope();
        StreamScope(const StreamScope&) = delete;
        StreamScope& operator=(const StreamScope&) = delete;

    private:
        LogStream m_previous;
    };

protected:
    void sink_it_(const spdlog::details::log_msg& message) override;
    void flush_() override { }

private:
    BuildLog& m_log;
    Listener m_listener;
    LogEntry m_entry; // reused for the listener
    std::chrono::steady_clock::time_point m_origin;
};

} // namespace buildscope
