#include "engine/buildlogsink.h"

namespace buildscope {

namespace {
thread_local LogStream t_stream = LogStream::Engine;

LogLevel toLogLevel(spdlog::level::level_enum level)
{
    switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
        return LogLevel::Debug;
    case spdlog::level::warn:
        return LogLevel::Warning;
    case spdlog::level::err:
    case spdlog::level::critical:
        return LogLevel::Error;
    default:
        return LogLevel::Info;
    }
}
} // namespace

BuildLogSink::StreamScope::StreamScope(LogStream stream) noexcept
    : m_previous(t_stream)
{
    t_stream = stream;
}

BuildLogSink::StreamScope::~StreamScope()
{
    t_stream = m_previous;
}

BuildLogSink::BuildLogSink(BuildLog& log, std::chrono::steady_clock::time_point origin, Listener listener)
    : m_log(log)
    , m_listener(std::move(listener))
    , m_origin(origin)
{ }

void BuildLogSink::sink_it_(const spdlog::details::log_msg& message)
{
    // Loggers are synchronous, so the time the sink sees is the time of the message; the
    // steady clock keeps it on the run's time axis.
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_origin).count();
    const std::string_view logger(message.logger_name.data(), message.logger_name.size());
    const std::string_view step = logger == "engine" ? std::string_view {} : logger;
    const std::string_view text(message.payload.data(), message.payload.size());
    m_log.append(seconds, toLogLevel(message.level), t_stream, step, text);
    if (m_listener) {
        // base_sink holds its mutex here, so m_entry is never shared between threads.
        m_entry.seconds = seconds;
        m_entry.level = toLogLevel(message.level);
        m_entry.stream = t_stream;
        m_entry.step.assign(step);
        m_entry.text.assign(text);
        m_listener(m_entry);
    }
}

} // namespace buildscope
