#pragma once

#include "run/logentry.h"

#include <QString>
#include <cstdint>

namespace buildscope {

// One line of the log table, compact: a build may print millions of lines, each keeps its
// text once and its step as an index into the model's interned step names.
struct LogRow
{
    QString text;
    double seconds = 0;
    std::uint32_t step = 0;
    LogLevel level = LogLevel::Info;
    LogStream stream = LogStream::Engine;
};

} // namespace buildscope
