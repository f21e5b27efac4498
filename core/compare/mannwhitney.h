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

// The same test from ranks already computed: the sum of the first sample's midranks in
// the pooled sample and the tie term (the sum of t^3 - t over groups of t equal values;
// 0 without ties). For callers that rank many splits of one series from one sort.
MannWhitneyResult mannWhitneyFromRanks(double rankSumX, std::size_t m, std::size_t n, double tieTerm);

// The smallest two-sided p-value the test can give for sample sizes m and n (every value
// of one side above every value of the other, no ties): 2 / C(m + n, m). When it is not
// below alpha, no data can be significant: with 3 + 3 runs it is 0.1.
double mannWhitneyMinimumP(std::size_t m, std::size_t n);

// The k of the distribution-free confidence interval for a shift (the k-th smallest and
// k-th largest of the m*n pairwise differences): the largest k with P(U <= k - 1) <= (1 -
// level) / 2 under the null distribution of U; 0 when even the whole range does not
// reach `level`. Exact for m, n < 50, the normal approximation beyond.
std::size_t mannWhitneyCriticalCount(std::size_t m, std::size_t n, double level = 0.95);

} // namespace buildscope
