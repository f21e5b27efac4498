#pragma once

#include "engine/buildengine.h"

#include <cstdio>
#include <string>
#include <vector>

namespace buildscope::cli {

enum class ProgressStyle
{
    Tty, // a live status line for the running step under the scrolling log
    Plain, // line-oriented, for CI logs: step lines, log lines, a status line every 10 s
    None, // nothing while running
};

// Renders a running BuildEngine on a stream (stderr). Call update() periodically from
// the thread that waits for the engine, and finish() once when it is done.
class ProgressPrinter
{
public:
    ProgressPrinter(const BuildEngine& engine, ProgressStyle style, std::FILE* out);

    void update();
    void finish();

private:
    void printLogLines();
    std::string statusLine() const;
    void clearStatus();

    const BuildEngine& m_engine;
    ProgressStyle m_style;
    std::FILE* m_out;
    std::uint64_t m_nextLog = 0;
    std::vector<LogEntry> m_logScratch;
    bool m_statusShown = false;
    double m_lastPlainStatus = 0;
    int m_seriesTree = -1;
};

} // namespace buildscope::cli
