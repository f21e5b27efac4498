#pragma once

#include "compare/shiftestimate.h"

#include <cstddef>
#include <span>
#include <vector>

namespace buildscope {

struct ChangePointOptions
{
    // Fewest points a segment may have on either side of a change: one slow run (a spike)
    // is not a change (Apache Otava issue #150). At least 1.
    std::size_t minSegment = 3;
    // Significance level of the two-sided Mann-Whitney U test between the segments either
    // side of a candidate.
    double alpha = 0.05;
    // Smallest change of the median, in percent of the median before, that is reported:
    // the same size floor as `compare --threshold`.
    double thresholdPercent = 5.0;
    // Smallest change of the median in the series' unit (practicaleffect.h's
    // minimumEffect() of the series' metric): below it a change is the machine's. 0: none.
    double minimumEffect = 0;
    // Correct each split's p for the positions it was chosen from: a split passes when
    // p times the number of positions its segment allowed is below alpha (Bonferroni over
    // positions; the best of many splits has a small p by chance). History uses it so that
    // its false discoveries are controlled over positions as well as series.
    bool correctForPositions = false;
};

// A change in a series: the point at `index` starts a new segment whose values differ
// from those of the segment before it (each segment reaching to the neighbouring change).
struct ChangePoint
{
    std::size_t index = 0; // first point of the new segment (> 0)
    double p = 1; // two-sided Mann-Whitney U p-value: segment before against segment after
    std::size_t positions = 1; // split positions the segment before + after allowed (p was the best of them)
    // p corrected over positions and, in a history, Benjamini-Hochberg over every series
    // searched (trends/historychanges.h); p itself when nothing corrected it.
    double adjustedP = 1;
    double beforeMedian = 0;
    double afterMedian = 0;
    double relativeChange = 0; // (after - before) / |before|; NaN when the median before is 0
    // Hodges-Lehmann shift (after - before) with its 95 % interval, in the series' unit,
    // from the runs nearest the change (kShiftWindow a side).
    ShiftEstimate shift;
    std::size_t segmentBefore = 0; // points in the segment before (from the previous change)
    std::size_t segmentAfter = 0; // points in the segment after (up to the next change)
};

// Points a side the shift estimate uses: its m*n pairwise differences stay at most
// 10,000 however long the segments are.
inline constexpr std::size_t kShiftWindow = 100;

// Change points of a series in its order, earliest first: E-divisive means (Matteson &
// James 2014, as Apache Otava/Hunter use it, arXiv 2301.03034) with the permutation test
// replaced by a deterministic one. Each segment is split where the energy statistic
// between its two parts is largest (no part shorter than minSegment); the split is kept
// when the Mann-Whitney U test of the two parts is below alpha and their medians differ by
// at least thresholdPercent; the most significant split is taken first and the new
// segments are searched again. Finally each change is tested against its neighbours'
// segments once more, and a change that no longer passes is dropped (its neighbours are
// then retested), so every change reported holds for the segments as reported.
// NaN values are not allowed (filter them out first). Deterministic; no allocation beyond
// O(n); O(n log n) per segment searched.
//
// `splitAllowed`, when given (one flag per value), limits where a change may start: a
// change at index i needs splitAllowed[i]. History uses it to keep changes at commit
// boundaries: runs of one commit built the same code, so a shift among them is the
// machine's, not the change's.
std::vector<ChangePoint> detectChangePoints(
    std::span<const double> values, const ChangePointOptions& options = {}, std::span<const bool> splitAllowed = {});

// The energy-distance split statistic of E-divisive means for every split of `values`:
// q[t] for the split before index t (1 <= t < n; q[0] = 0), with |x - y| as distance.
// Exposed for tests against the O(n^2) definition.
std::vector<double> energySplitStatistics(std::span<const double> values);

} // namespace buildscope
