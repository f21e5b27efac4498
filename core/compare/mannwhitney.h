#pragma once

#include <cstddef>
#include <span>

namespace buildscope {

struct MannWhitneyResult
{
    double u = 0; // U statistic of the first sample (R's W): pairs (x, y) with x > y, ties counting 1/2
    double pValue = 1; // two-sided
    bool exact = false; // exact distribution (no ties, small samples) or normal approximation
};

// Two-sided Mann-Whitney U (Wilcoxon rank-sum) test, as R's wilcox.test(x, y) computes
// it: the exact distribution of U when both samples have fewer than 50 values and there
// are no ties; otherwise the normal approximation with tie correction and continuity
// correction. Requires non-empty samples.
MannWhitneyResult mannWhitneyU(std::span<const double> x, std::span<const double> y);

} // namespace buildscope
