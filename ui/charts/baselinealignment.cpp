#include "charts/baselinealignment.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace buildscope {

bool BaselineAlignment::started(const StepResult& step)
{
    return step.status != StepStatus::Pending && step.status != StepStatus::NotRun
        && step.status != StepStatus::Skipped;
}

BaselineAlignment::BaselineAlignment(
    const std::vector<StepResult>& baselineSteps, const std::vector<StepResult>& targetSteps)
{
    for (const StepResult& step : baselineSteps) {
        if (started(step))
            m_steps.push_back({step.name, step.startSeconds, std::max(step.startSeconds, step.endSeconds), 0, false});
    }
    std::stable_sort(m_steps.begin(), m_steps.end(), [](const Step& a, const Step& b) { return a.start < b.start; });
    double shift = 0;
    for (Step& step : m_steps) {
        const auto target = std::find_if(targetSteps.begin(), targetSteps.end(),
            [&step](const StepResult& candidate) { return candidate.name == step.name; });
        if (target != targetSteps.end() && started(*target)) {
            const double wanted = target->startSeconds - step.start;
            step.matched = true;
            step.delayed = wanted < shift;
            shift = std::max(shift, wanted); // never back over what is already drawn
        }
        step.shift = shift;
    }
}

double BaselineAlignment::alignedEnd() const noexcept
{
    double end = 0;
    for (const Step& step : m_steps)
        end = std::max(end, step.alignedEnd());
    return end;
}

const BaselineAlignment::Step* BaselineAlignment::step(const std::string& name) const
{
    const auto found = std::find_if(m_steps.begin(), m_steps.end(), [&name](const Step& s) { return s.name == name; });
    return found == m_steps.end() ? nullptr : &*found;
}

double BaselineAlignment::shiftAt(double baselineSeconds) const
{
    // The last step started at or before the time: between steps its shift still holds.
    const auto after = std::upper_bound(m_steps.begin(), m_steps.end(), baselineSeconds,
        [](double seconds, const Step& step) { return seconds < step.start; });
    return after == m_steps.begin() ? 0.0 : std::prev(after)->shift;
}

QVector<QCPGraphData> BaselineAlignment::align(std::span<const double> times, std::span<const double> values) const
{
    QVector<QCPGraphData> points;
    const std::size_t count = std::min(times.size(), values.size());
    points.reserve(static_cast<qsizetype>(count + m_steps.size()));
    std::size_t next = 0; // first step not started at the current time
    double shift = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const double seconds = times[i];
        double wanted = shift;
        while (next < m_steps.size() && m_steps[next].start <= seconds)
            wanted = m_steps[next++].shift;
        if (wanted != shift) {
            // Shifts only grow: the gap is where the other run took longer.
            const double start = seconds + wanted;
            if (!points.isEmpty() && !std::isnan(points.back().value))
                points.append(QCPGraphData((points.back().key + start) / 2, std::numeric_limits<double>::quiet_NaN()));
            shift = wanted;
        }
        const double key = seconds + shift;
        if (!points.isEmpty() && key <= points.back().key)
            continue; // repeated time: keys stay strictly ascending
        points.append(QCPGraphData(key, values[i]));
    }
    return points;
}

} // namespace buildscope
