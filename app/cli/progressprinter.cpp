#include "progressprinter.h"

#include "run/units.h"

#include <cmath>

namespace buildscope::cli {

ProgressPrinter::ProgressPrinter(const BuildEngine& engine, ProgressStyle style, std::FILE* out)
    : m_engine(engine)
    , m_style(style)
    , m_out(out)
    , m_seriesTree(engine.sampler().seriesIndex("tree_rss_bytes"))
{ }

void ProgressPrinter::clearStatus()
{
    if (m_statusShown) {
        std::fputs("\r\033[K", m_out);
        m_statusShown = false;
    }
}

std::string ProgressPrinter::statusLine() const
{
    const EngineProgress progress = m_engine.progress();
    if (progress.currentStep < 0)
        return {};
    const StepSpec& step = m_engine.spec().steps[static_cast<std::size_t>(progress.currentStep)];
    std::string line = "[" + std::to_string(progress.currentStep + 1) + "/" + std::to_string(progress.steps.size())
        + "] " + step.name + "  " + formatDuration(progress.elapsedSeconds - progress.stepStartSeconds);
    if (m_seriesTree >= 0 && (step.kind == StepKind::Run || step.kind == StepKind::Container)) {
        const TimeSeriesStore::Snapshot snapshot = m_engine.store().snapshot();
        std::vector<double> times;
        std::vector<double> values;
        const std::uint64_t count = snapshot.sampleCount();
        snapshot.copyRaw(count > 0 ? count - 1 : 0, static_cast<std::size_t>(m_seriesTree), times, values);
        const TimeSeriesStore::Range range = snapshot.range(progress.stepStartSeconds, progress.elapsedSeconds + 1, 1);
        const double current = values.empty() ? std::nan("") : values.back();
        const double peak
            = range.buckets.empty() ? std::nan("") : range.maxAt(static_cast<std::size_t>(m_seriesTree), 0);
        if (!std::isnan(current) || !std::isnan(peak))
            line += "  rss " + formatBytes(current) + "  peak " + formatBytes(peak);
    }
    return line;
}

void ProgressPrinter::printLogLines()
{
    m_logScratch.clear();
    m_nextLog = m_engine.log().copySince(m_nextLog, m_logScratch, 1000);
    for (const LogEntry& entry : m_logScratch) {
        if (entry.stream == LogStream::Engine) {
            std::fprintf(
                m_out, "%s%s\n", entry.level >= LogLevel::Warning ? "buildscope: " : "== ", entry.text.c_str());
        } else {
            std::fprintf(m_out, "[%s] %s\n", entry.step.c_str(), entry.text.c_str());
        }
    }
}

void ProgressPrinter::update()
{
    if (m_style == ProgressStyle::None)
        return;
    if (m_style == ProgressStyle::Tty)
        clearStatus();
    printLogLines();
    const std::string status = statusLine();
    if (m_style == ProgressStyle::Tty) {
        if (!status.empty()) {
            std::fprintf(m_out, "\033[1m%s\033[0m", status.c_str());
            m_statusShown = true;
        }
    } else {
        const double now = m_engine.progress().elapsedSeconds;
        if (!status.empty() && now - m_lastPlainStatus >= 10.0) {
            std::fprintf(m_out, "-- %s\n", status.c_str());
            m_lastPlainStatus = now;
        }
    }
    std::fflush(m_out);
}

void ProgressPrinter::finish()
{
    if (m_style == ProgressStyle::None)
        return;
    if (m_style == ProgressStyle::Tty)
        clearStatus();
    printLogLines();
    std::fflush(m_out);
}

} // namespace buildscope::cli
