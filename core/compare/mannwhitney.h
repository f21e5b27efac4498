#pragma once

#include <cstddef>
#include <span>

namespace buildscope {

struct MannWhitneyResult
{
    double u = 0; // U statistic of the first sample (R's W): pairs (x, y) with x > y, ties counting 1/2
    double pValue = 1; // two-sided
    bool exact = false; // exact distribution (small samples, with or without ties) or normal approximation
};

// Pooled samples up to this size with tied values get the exact permutation distribution
// of the midrank sum: there the normal approximation is what made 3 + 3 runs look
// significant (p = 0.047 where no arrangement of 3 + 3 can go below 0.1).
inline constexpr std::size_t kMannWhitneyExactTiesLimit = 40;

// Two-sided Mann-Whitney U (Wilcoxon rank-sum) test. Without ties, as R's
// wilcox.test(x, y): the exact distribution of U when both samples have fewer than 50
// values, else the normal approximation with continuity correction. With ties, the exact
// permutation distribution of the midrank sum (as R's coin::wilcox_test(distribution =
// "exact"), p = 2 * the smaller tail, capped at 1) when m + n <= kMannWhitneyExactTiesLimit,
// else the normal approximation with tie correction. Requires non-empty samples. Every
// comparison, change point and bisection verdict goes through this one test.
MannWhitneyResult mannWhitneyU(std::span<const double> x, std::span<const double> y);

// The same test from ranks already computed, for callers that rank many splits of one
// series from one sort: the sum of the first sample's midranks in the pooled sample and
// the sizes of the pooled sample's groups of equal values in ascending order (1 for a
// value without ties; they add up to m + n).
MannWhitneyResult mannWhitneyFromRanks(
    double rankSumX, std::size_t m, std::size_t n, std::span<const std::size_t> tieGroups);

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
