#include "runview/runsummary.h"

#include "run/units.h"

#include <QCoreApplication>
#include <QStringList>
#include <algorithm>
#include <cmath>
#include <map>

namespace buildscope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("RunSummary", text);
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

struct StepPeaks
{
    std::vector<double> peaks;
    bool processTree = false;
};

} // namespace

QString summarizeRuns(const std::vector<RunResult>& runs)
{
    if (runs.empty())
        return {};
    // The step that costs the most, by median peak over the runs it ran in.
    std::map<std::string, StepPeaks> peaks;
    for (const RunResult& run : runs) {
        for (const StepResult& step : run.steps) {
            if (!stepRan(step.status) || step.peakRssBytes == 0)
                continue;
            StepPeaks& each = peaks[step.name];
            each.peaks.push_back(static_cast<double>(step.peakRssBytes));
            each.processTree = each.processTree || step.peakIsProcessTree;
        }
    }
    QString peakText;
    double highest = 0;
    for (const auto& [name, each] : peaks) {
        const double value = median(each.peaks);
        if (value <= highest)
            continue;
        highest = value;
        peakText = tr("%1 peak %2%3")
                       .arg(QString::fromStdString(name), QString::fromStdString(formatBytes(value)),
                           each.processTree ? QString() : tr(" (engine)"));
    }

    if (runs.size() == 1) {
        const RunResult& run = runs.front();
        QString text = tr("Run %1 in %2")
                           .arg(QString::fromLatin1(runStatusName(run.status)),
                               QString::fromStdString(formatDuration(run.durationSeconds())));
        if (!peakText.isEmpty())
            text += QStringLiteral(" \u00b7 ") + peakText;
        return text;
    }
    std::map<RunStatus, std::size_t> counts;
    for (const RunResult& run : runs)
        ++counts[run.status];
    QStringList endings;
    for (const RunStatus status : {RunStatus::Succeeded, RunStatus::Failed, RunStatus::Cancelled, RunStatus::Running}) {
        if (const auto it = counts.find(status); it != counts.end())
            endings << QStringLiteral("%1 %2").arg(it->second).arg(QString::fromLatin1(runStatusName(status)));
    }
    QString text = tr("%1 runs: %2").arg(runs.size()).arg(endings.join(QStringLiteral(", ")));
    if (!peakText.isEmpty())
        text += QStringLiteral(" \u00b7 ") + peakText + tr(" (median)");
    return text;
}

std::optional<double> estimateSecondsLeft(
    const std::vector<double>& finishedDurations, int runIndex, int runCount, double currentElapsed)
{
    if (finishedDurations.empty() || runIndex < 1 || runIndex > runCount)
        return std::nullopt;
    const double round = median(finishedDurations);
    const double current = std::max(0.0, round - std::max(0.0, currentElapsed));
    return current + round * (runCount - runIndex);
}

QString timeLeftText(double seconds)
{
    // Whole seconds under a minute, then to 10 s: the rounds themselves vary that much.
    if (seconds < 59.5)
        return tr("about %1 s left").arg(std::max(1, static_cast<int>(std::lround(seconds))));
    return tr("about %1 left").arg(QString::fromStdString(formatDuration(std::round(seconds / 10) * 10)));
}

} // namespace buildscope
