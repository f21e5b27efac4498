#pragma once

#include "charts/qcustomplotinclude.h"
#include "run/runresult.h"

#include <QVector>
#include <span>
#include <string>
#include <vector>

namespace buildscope {

// Moves a baseline run onto another run's clock (a live run, or a comparison's candidate)
// step by step, so a step's memory curve is drawn where the same step ran in the other
// run rather than where it ran in the baseline:
//  - a baseline step whose name the other run has started is shifted so that it starts
//    where the other run's step started, unless the baseline is still busy there (its
//    step before outlasted the other run's): then it follows right after, at the
//    baseline's own pace. Shifts never decrease, so nothing of the baseline is cut or
//    drawn over itself: the whole baseline is drawn, to its real end and real peaks;
//  - samples between steps, and baseline steps the other run lacks or has not started yet,
//    keep the shift of the step before them (as if the other run kept the baseline's pace
//    from there); samples before the first step are not moved.
// Steps are matched by name (the first of a name); a step "started" unless it is pending,
// skipped or did not run.
class BaselineAlignment
{
public:
    struct Step
    {
        std::string name;
        double start = 0; // on the baseline's clock
        double end = 0;
        double shift = 0; // seconds added to the baseline's times
        bool matched = false; // the other run has started a step of this name
        bool delayed = false; // matched, but placed after where the other run started it

        double alignedStart() const { return start + shift; }
        double alignedEnd() const { return end + shift; }
    };

    BaselineAlignment() = default; // no steps: nothing moves
    BaselineAlignment(const std::vector<StepResult>& baselineSteps, const std::vector<StepResult>& targetSteps);

    static bool started(const StepResult& step);

    // The baseline's started steps in start order.
    const std::vector<Step>& steps() const noexcept { return m_steps; }
    // Where the aligned baseline ends (its last step's aligned end), 0 without steps.
    double alignedEnd() const noexcept;
    const Step* step(const std::string& name) const;
    double shiftAt(double baselineSeconds) const;

    // Points (t + shiftAt(t), value) for a graph: keys ascending, one per sample. Where the
    // shift changes, the line is broken (a NaN point) rather than joined across the jump.
    QVector<QCPGraphData> align(std::span<const double> times, std::span<const double> values) const;

private:
    std::vector<Step> m_steps;
};

} // namespace buildscope
