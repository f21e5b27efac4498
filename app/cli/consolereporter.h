#pragma once

#include "engine/runsession.h"

#include <cstdio>
#include <mutex>
#include <string>

namespace buildscope::cli {

enum class ProgressStyle
{
    Tty, // a live status line for the running step under the scrolling log
    Plain, // line-oriented, for CI logs: step lines, log lines, a status line every 10 s
    None, // nothing while running; the summary shows the last lines of a failed step
};

// Shows a RunSession on the console: every log line as it is logged (never dropped: the
// build waits for a slow terminal, as it would without BuildScope) and a status line on
// `progress` (stderr); each round's summary on `summary` (stdout).
class ConsoleReporter : public RunObserver
{
public:
    ConsoleReporter(ProgressStyle style, std::FILE* progress, std::FILE* summary);

    void roundStarted(const BuildEngine& engine, int index, int count) override;
    void progress(const BuildEngine& engine) override;
    void roundFinished(const BuildEngine& engine, const RoundOutcome& outcome) override;
    void logEntry(const LogEntry& entry) override;
    void warning(const std::string& message) override;

private:
    std::string statusLine(const BuildEngine& engine) const;
    void clearStatusLocked();
    void printSummary(const BuildEngine& engine, const RoundOutcome& outcome);
    static void printHungriest(const RunResult& result, std::FILE* out);

    ProgressStyle m_style;
    std::FILE* m_progress;
    std::FILE* m_summary;
    std::mutex m_mutex; // log lines arrive on the engine's threads, status lines on the session's
    bool m_statusShown = false;
    double m_lastPlainStatus = 0;
    int m_seriesTree = -1;
};

} // namespace buildscope::cli
