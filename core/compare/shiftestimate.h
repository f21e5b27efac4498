#pragma once

#include <cstddef>
#include <span>

namespace buildscope {

// How far the candidate sits from the baseline, with a confidence interval: the
// Hodges-Lehmann estimate (the median of every pairwise difference candidate - base) and
// the distribution-free interval that goes with the Mann-Whitney U test (the k-th
// smallest and k-th largest differences). It answers "by how much", where p answers
// "whether": a row reads "+31 % [+27 %, +35 %]".
struct ShiftEstimate
{
    double shift = 0; // in the metric's unit
    double low = 0;
    double high = 0;
    double confidence = 0; // coverage of [low, high]: 0.95, or less when the samples are too small
};

ShiftEstimate hodgesLehmannShift(std::span<const double> base, std::span<const double> candidate, double level = 0.95);

} // namespace buildscope
