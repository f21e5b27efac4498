#include "consolereporter.h"

#include "run/seriesid.h"
#include "run/units.h"

#include <algorithm>
#include <cmath>

namespace buildscope::cli {

namespace {

// How many of a failed step's last lines the summary repeats (with --progress none, the
// only place they appear; otherwise a reminder under the summary).
constexpr std::size_t kFailedStepTail = 20;
// How many of the hungriest commands the summary lists.
constexpr std::size_t kHungriest = 5;

} // namespace

ConsoleReporter::ConsoleReporter(ProgressStyle style, std::FILE* progress, std::FILE* summary)
    : m_style(style)
    , m_progress(progress)
    , m_summary(summary)
{ }

void ConsoleReporter::clearStatusLocked()
{
    if (m_statusShown) {
        std::fputs("\r\033[K", m_progress);
        m_statusShown = false;
    }
}

void ConsoleReporter::roundStarted(const BuildEngine& engine, int, int)
{
    std::lock_guard lock(m_mutex);
    m_seriesTree = SeriesColumns(engine.store().series())[SeriesId::TreeRss];
    m_lastPlainStatus = 0;
}

std::string ConsoleReporter::statusLine(const BuildEngine& engine) const
{
    const RunProgress progress = engine.progress();
    if (progress.currentStep < 0)
        return {};
    const StepSpec& step = engine.spec().steps[static_cast<std::size_t>(progress.currentStep)];
    std::string line = "[" + std::to_string(progress.currentStep + 1) + "/" + std::to_string(progress.steps.size())
        + "] " + step.name + "  " + formatDuration(progress.elapsedSeconds - progress.stepStartSeconds);
    if (m_seriesTree >= 0 && (step.kind == StepKind::Run || step.kind == StepKind::Container)) {
        const TimeSeriesStore::Snapshot snapshot = engine.store().snapshot();
        std::vector<double> times;
        std::vector<double> values;
        const std::uint64_t count = snapshot.sampleCount();
        snapshot.copyRaw(count > 0 ? count - 1 : 0, static_cast<std::size_t>(m_seriesTree), times, values);
        const TimeSeriesStore::Range range = snapshot.range(progress.stepStartSeconds, progress.elapsedSeconds + 1, 1);
        const double current = values.empty() ? std::nan("") : values.back();
        const double peak
            = range.buckets.empty() ? std::nan("") : range.maxAt(static_cast<std::size_t>(m_seriesTree), 0);
        if (!std::isnan(current) || !std::isnan(peak))
            line += "  rss " + formatBytes(current) + "  peak " + formatBytes(peak) + " (sampled)";
    }
    return line;
}

void ConsoleReporter::progress(const BuildEngine& engine)
{
    if (m_style == ProgressStyle::None)
        return;
    const std::string status = statusLine(engine);
    std::lock_guard lock(m_mutex);
    if (m_style == ProgressStyle::Tty) {
        clearStatusLocked();
        if (!status.empty()) {
            std::fprintf(m_progress, "\033[1m%s\033[0m", status.c_str());
            m_statusShown = true;
        }
    } else {
        const double now = engine.progress().elapsedSeconds;
        if (!status.empty() && now - m_lastPlainStatus >= 10.0) {
            std::fprintf(m_progress, "-- %s\n", status.c_str());
            m_lastPlainStatus = now;
        }
    }
    std::fflush(m_progress);
}

void ConsoleReporter::logEntry(const LogEntry& entry)
{
    if (m_style == ProgressStyle::None)
        return;
    std::lock_guard lock(m_mutex);
    if (m_style == ProgressStyle::Tty)
        clearStatusLocked();
    if (entry.stream == LogStream::Engine)
        std::fprintf(m_progress, "%s%s\n", entry.level >= LogLevel::Warning ? "buildscope: " : "== ", entry.text.c_str());
    else
        std::fprintf(m_progress, "[%s] %s\n", entry.step.c_str(), entry.text.c_str());
}

void ConsoleReporter::warning(const std::string& message)
{
    std::lock_guard lock(m_mutex);
    clearStatusLocked();
    std::fprintf(m_progress, "buildscope run: %s\n", message.c_str());
    std::fflush(m_progress);
}

void ConsoleReporter::roundFinished(const BuildEngine& engine, const RoundOutcome& outcome)
{
    std::lock_guard lock(m_mutex);
    clearStatusLocked();
    std::fflush(m_progress);
    printSummary(engine, outcome);
}

// The commands that held the most memory: which compile ate it.
void ConsoleReporter::printHungriest(const RunResult& result, std::FILE* out)
{
    if (result.processes.empty())
        return;
    std::vector<const ProcessRecord*> processes;
    for (const ProcessRecord& process : result.processes)
        processes.push_back(&process);
    const std::size_t shown = std::min<std::size_t>(kHungriest, processes.size());
    std::partial_sort(processes.begin(), processes.begin() + static_cast<std::ptrdiff_t>(shown), processes.end(),
        [](const ProcessRecord* a, const ProcessRecord* b) { return a->peakRssBytes > b->peakRssBytes; });
    std::fprintf(out, "  hungriest of %zu processes (peak rss after exec, %s):\n", result.processes.size(),
        std::all_of(processes.begin(), processes.begin() + static_cast<std::ptrdiff_t>(shown),
            [](const ProcessRecord* p) { return p->peakExact; })
            ? "exact"
            : "exact unless marked ~");
    for (std::size_t i = 0; i < shown; ++i) {
        const ProcessRecord& process = *processes[i];
        std::fprintf(out, "  %s%s  %s  %s\n",
            padToColumns(formatBytes(static_cast<double>(process.peakRssBytes)), 12, true).c_str(),
            process.peakExact ? " " : "~", padToColumns(formatDuration(process.wallSeconds()), 10, true).c_str(),
            process.key.c_str());
    }
}

void ConsoleReporter::printSummary(const BuildEngine& engine, const RoundOutcome& outcome)
{
    const RunResult& result = engine.result();
    std::FILE* out = m_summary;
    std::fprintf(out, "\nrun '%s'%s %s in %s", result.specName.c_str(),
        outcome.count > 1 ? (" " + std::to_string(outcome.index) + "/" + std::to_string(outcome.count)).c_str() : "",
        runStatusName(result.status), formatDuration(result.durationSeconds()).c_str());
    if (!result.digest.empty())
        std::fprintf(out, "  (%s)", result.digest.c_str());
    std::fprintf(out, "\n");
    std::fprintf(out, "  %-20s %-10s %10s %10s %12s %12s\n", "step", "status", "wall", "cpu", "peak rss", "tree");
    for (const StepResult& step : result.steps) {
        const bool ran = stepRan(step.status);
        const std::string wall = ran ? formatDuration(step.wallSeconds()) : "-";
        const std::string cpu = ran ? formatDuration(step.cpuSeconds()) : "-";
        const std::string peak = ran && step.peakRssBytes ? formatBytes(static_cast<double>(step.peakRssBytes)) : "-";
        const std::string tree
            = ran && step.treePeakRssBytes ? formatBytes(static_cast<double>(step.treePeakRssBytes)) : "-";
        std::fprintf(out, "  %-20s %-10s %s %s %s %s%s\n", step.name.c_str(), stepStatusName(step.status),
            padToColumns(wall, 10, true).c_str(), padToColumns(cpu, 10, true).c_str(),
            padToColumns(peak, 12, true).c_str(), padToColumns(tree, 12, true).c_str(),
            !ran                     ? ""
                : !step.peakIsProcessTree ? " (engine)"
                : step.peakExact          ? ""
                                          : " (sampled)");
    }
    std::fprintf(out, "  peak rss: the step's largest process (exact); tree: all its processes together (sampled "
                      "sum)\n");
    std::fprintf(out, "  engine: peak rss %s, heap peak %s in %llu allocations\n",
        formatBytes(static_cast<double>(result.enginePeakRssBytes)).c_str(),
        formatBytes(static_cast<double>(result.heapPeakLiveBytes)).c_str(),
        static_cast<unsigned long long>(result.heap.totals.allocations));
    if (!result.failure.empty())
        std::fprintf(out, "  failure: %s\n", result.failure.c_str());
    printHungriest(result, out);

    // The last lines of a failed step, whatever the console showed while it ran.
    for (const StepResult& step : result.steps) {
        if (step.status != StepStatus::Failed && step.status != StepStatus::TimedOut)
            continue;
        std::vector<LogEntry> lines;
        for (const LogEntry& entry : engine.log().tail(20000)) {
            if (entry.step == step.name && entry.stream != LogStream::Engine)
                lines.push_back(entry);
        }
        if (lines.empty())
            continue;
        const std::size_t first = lines.size() > kFailedStepTail ? lines.size() - kFailedStepTail : 0;
        std::fprintf(out, "  last %zu lines of '%s':\n", lines.size() - first, step.name.c_str());
        for (std::size_t i = first; i < lines.size(); ++i)
            std::fprintf(out, "    %s\n", lines[i].text.c_str());
    }
    if (outcome.storedId)
        std::fprintf(out, "  stored as run %lld\n", static_cast<long long>(*outcome.storedId));
    if (outcome.report)
        std::fprintf(out, "  report: %s (full log in %s)\n", outcome.report->c_str(),
            (*outcome.report / "log.txt").c_str());
    if (!outcome.reportError.empty())
        std::fprintf(stderr, "buildscope run: cannot write the report: %s\n", outcome.reportError.c_str());
    std::fflush(out);
}

} // namespace buildscope::cli
