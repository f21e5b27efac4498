#include "compare/changepoints.h"

#include "compare/mannwhitney.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>

namespace buildscope {

namespace {

// Counts and sums of the values added so far, by rank: the sum of |x - y| of a new value
// against all earlier ones in O(log n) (a Fenwick tree over the sorted order).
class RankSums
{
public:
    explicit RankSums(std::size_t size)
        : m_count(size + 1, 0)
        , m_sum(size + 1, 0.0)
    { }

    void add(std::size_t rank, double value)
    {
        ++m_total;
        m_totalSum += value;
        for (std::size_t i = rank + 1; i < m_count.size(); i += i & (~i + 1)) {
            ++m_count[i];
            m_sum[i] += value;
        }
    }

    // Sum of |value - y| over every y added, given value's rank.
    double distanceSum(std::size_t rank, double value) const
    {
        std::size_t below = 0; // values of lower rank: never larger
        double belowSum = 0;
        for (std::size_t i = rank; i > 0; i -= i & (~i + 1)) {
            below += m_count[i];
            belowSum += m_sum[i];
        }
        const double above = static_cast<double>(m_total - below);
        return value * static_cast<double>(below) - belowSum + (m_totalSum - belowSum) - above * value;
    }

private:
    std::vector<std::size_t> m_count;
    std::vector<double> m_sum;
    std::size_t m_total = 0;
    double m_totalSum = 0;
};

// The series sorted once (by value, then position): a segment's ranks, medians and rank
// sums come from walking this order, so no segment is sorted again.
class SortedSeries
{
public:
    explicit SortedSeries(std::span<const double> values)
        : m_values(values)
    {
        std::vector<std::pair<double, std::size_t>> pairs(values.size());
        for (std::size_t i = 0; i < values.size(); ++i)
            pairs[i] = {values[i], i};
        std::sort(pairs.begin(), pairs.end());
        m_order.reserve(pairs.size());
        for (const auto& pair : pairs)
            m_order.push_back(pair.second);
    }

    std::span<const double> values() const { return m_values; }

    // The positions in [begin, end), in value order.
    const std::vector<std::size_t>& segment(std::size_t begin, std::size_t end) const
    {
        m_segment.clear();
        for (std::size_t index : m_order) {
            if (index >= begin && index < end)
                m_segment.push_back(index);
        }
        return m_segment;
    }

    // Scratch for a segment's tie groups, cleared here.
    std::vector<std::size_t>& groups() const
    {
        m_groups.clear();
        return m_groups;
    }

private:
    std::span<const double> m_values;
    std::vector<std::size_t> m_order;
    mutable std::vector<std::size_t> m_segment;
    mutable std::vector<std::size_t> m_groups;
};

// q[t] for the splits of the segment whose positions, in value order, are `ordered`
// (all of [begin, begin + ordered.size())).
std::vector<double> energyOfSegment(
    std::span<const double> values, std::size_t begin, const std::vector<std::size_t>& ordered)
{
    const std::size_t n = ordered.size();
    std::vector<double> q(n, 0.0);
    if (n < 2)
        return q;
    // |x - y| does not change when every value moves by the same amount; starting from the
    // smallest keeps the running sums small (memory figures are ~1e9 with spreads of ~1e6).
    const double offset = values[ordered.front()];
    std::vector<double> x(n);
    std::vector<std::size_t> rank(n); // equal values in any order: their distance is 0 either way
    for (std::size_t k = 0; k < n; ++k) {
        rank[ordered[k] - begin] = k;
        x[ordered[k] - begin] = values[ordered[k]] - offset;
    }

    // left[t]: sum of |xi - xk| over pairs i < k < t; right[t]: over pairs t <= j < k.
    std::vector<double> left(n + 1, 0.0);
    RankSums seen(n);
    for (std::size_t t = 0; t < n; ++t) {
        left[t + 1] = left[t] + seen.distanceSum(rank[t], x[t]);
        seen.add(rank[t], x[t]);
    }
    std::vector<double> right(n + 1, 0.0);
    RankSums after(n);
    for (std::size_t t = n; t-- > 0;) {
        right[t] = right[t + 1] + after.distanceSum(rank[t], x[t]);
        after.add(rank[t], x[t]);
    }
    const double total = left[n];
    for (std::size_t t = 1; t < n; ++t) {
        const double m = static_cast<double>(t);
        const double r = static_cast<double>(n - t);
        const double between = total - left[t] - right[t];
        double energy = 2.0 * between / (m * r);
        if (t >= 2)
            energy -= left[t] / (m * (m - 1) / 2.0);
        if (n - t >= 2)
            energy -= right[t] / (r * (r - 1) / 2.0);
        q[t] = m * r / (m + r) * energy;
    }
    return q;
}

// The test of one split: [begin, split) against [split, end).
struct SplitTest
{
    std::size_t split = 0;
    double p = 1;
    std::size_t positions = 1;
    double beforeMedian = 0;
    double afterMedian = 0;
    double relativeChange = 0;
    bool passes = false;
};

// Mann-Whitney U and both medians in one walk over the segment in value order.
SplitTest testSplit(const SortedSeries& series, std::size_t begin, std::size_t split, std::size_t end,
    const ChangePointOptions& options, std::span<const bool> splitAllowed)
{
    const std::span<const double> values = series.values();
    const std::vector<std::size_t>& ordered = series.segment(begin, end);
    const std::size_t m = split - begin;
    const std::size_t n = end - split;
    double rankSumBefore = 0;
    std::vector<std::size_t>& groups = series.groups(); // sizes of runs of equal values, ascending
    // Medians: the middle one or two values of each side, met in order.
    std::size_t seenBefore = 0;
    std::size_t seenAfter = 0;
    double beforeLow = 0, beforeHigh = 0, afterLow = 0, afterHigh = 0;
    for (std::size_t i = 0; i < ordered.size();) {
        std::size_t j = i;
        while (j < ordered.size() && values[ordered[j]] == values[ordered[i]])
            ++j;
        const double midrank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
        for (std::size_t k = i; k < j; ++k) {
            const double value = values[ordered[k]];
            if (ordered[k] < split) {
                rankSumBefore += midrank;
                if (seenBefore == (m - 1) / 2)
                    beforeLow = value;
                if (seenBefore == m / 2)
                    beforeHigh = value;
                ++seenBefore;
            } else {
                if (seenAfter == (n - 1) / 2)
                    afterLow = value;
                if (seenAfter == n / 2)
                    afterHigh = value;
                ++seenAfter;
            }
        }
        groups.push_back(j - i);
        i = j;
    }

    SplitTest test;
    test.split = split;
    test.p = mannWhitneyFromRanks(rankSumBefore, m, n, groups).pValue;
    test.beforeMedian = (beforeLow + beforeHigh) / 2.0;
    test.afterMedian = (afterLow + afterHigh) / 2.0;
    const double difference = test.afterMedian - test.beforeMedian;
    test.relativeChange
        = test.beforeMedian != 0 ? difference / std::abs(test.beforeMedian) : std::numeric_limits<double>::quiet_NaN();
    const bool largeEnough
        = (test.beforeMedian != 0 ? std::abs(test.relativeChange) * 100.0 >= options.thresholdPercent : difference != 0)
        && std::abs(difference) >= options.minimumEffect;
    // Positions the split could have taken in [begin, end): no side below minSegment, a
    // commit boundary where history asks for one.
    const std::size_t minSegment = std::max<std::size_t>(1, options.minSegment);
    test.positions = 0;
    for (std::size_t t = begin + minSegment; t + minSegment <= end; ++t) {
        if (splitAllowed.empty() || splitAllowed[t])
            ++test.positions;
    }
    test.positions = std::max<std::size_t>(test.positions, 1);
    const double corrected = options.correctForPositions ? test.p * static_cast<double>(test.positions) : test.p;
    test.passes = corrected < options.alpha && largeEnough;
    return test;
}

// The split of [begin, end) with the largest energy statistic, no side shorter than
// minSegment, tested; none when the segment is too short or has no spread at all.
std::optional<SplitTest> bestSplit(const SortedSeries& series, std::size_t begin, std::size_t end,
    const ChangePointOptions& options, std::span<const bool> splitAllowed)
{
    const std::size_t minSegment = std::max<std::size_t>(1, options.minSegment);
    if (end - begin < 2 * minSegment)
        return std::nullopt;
    const std::vector<double> q = energyOfSegment(series.values(), begin, series.segment(begin, end));
    std::size_t best = 0;
    double bestQ = 0;
    for (std::size_t t = minSegment; t + minSegment <= end - begin; ++t) {
        if (!splitAllowed.empty() && !splitAllowed[begin + t])
            continue;
        if (q[t] > bestQ) {
            bestQ = q[t];
            best = t;
        }
    }
    if (best == 0)
        return std::nullopt;
    return testSplit(series, begin, begin + best, end, options, splitAllowed);
}

// Which of two passing splits to take first: the more significant, then the larger.
bool takesPrecedence(const SplitTest& a, const SplitTest& b)
{
    if (a.p != b.p)
        return a.p < b.p;
    const double sizeA
        = std::isnan(a.relativeChange) ? std::numeric_limits<double>::infinity() : std::abs(a.relativeChange);
    const double sizeB
        = std::isnan(b.relativeChange) ? std::numeric_limits<double>::infinity() : std::abs(b.relativeChange);
    if (sizeA != sizeB)
        return sizeA > sizeB;
    return a.split < b.split;
}

} // namespace

std::vector<double> energySplitStatistics(std::span<const double> values)
{
    const SortedSeries series(values);
    return energyOfSegment(values, 0, series.segment(0, values.size()));
}

std::vector<ChangePoint> detectChangePoints(
    std::span<const double> values, const ChangePointOptions& options, std::span<const bool> splitAllowed)
{
    for (double value : values) {
        if (std::isnan(value))
            throw std::invalid_argument("change-point detection needs values without NaN");
    }
    if (!splitAllowed.empty() && splitAllowed.size() != values.size())
        throw std::invalid_argument("change-point detection needs one split flag per value");
    const std::size_t n = values.size();
    // Segment boundaries: 0, the accepted changes, n. The best split of each segment is
    // kept by the segment's start, so only the two halves of a new split are searched.
    const SortedSeries series(values);
    std::vector<std::size_t> cuts {0, n};
    std::map<std::size_t, std::optional<SplitTest>> candidates;
    candidates[0] = bestSplit(series, 0, n, options, splitAllowed);
    for (;;) {
        const SplitTest* chosen = nullptr;
        for (const auto& [begin, candidate] : candidates) {
            if (candidate && candidate->passes && (!chosen || takesPrecedence(*candidate, *chosen)))
                chosen = &*candidate;
        }
        if (!chosen)
            break;
        const std::size_t split = chosen->split;
        const auto next = std::upper_bound(cuts.begin(), cuts.end(), split);
        const std::size_t begin = *(next - 1);
        const std::size_t end = *next;
        cuts.insert(next, split);
        candidates[begin] = bestSplit(series, begin, split, options, splitAllowed);
        candidates[split] = bestSplit(series, split, end, options, splitAllowed);
    }

    // Each change against the segments it ends up between; the weakest failure goes
    // first, and its neighbours are judged again on their merged segments.
    std::vector<SplitTest> tests;
    for (;;) {
        tests.clear();
        std::optional<std::size_t> weakest;
        for (std::size_t i = 1; i + 1 < cuts.size(); ++i) {
            tests.push_back(testSplit(series, cuts[i - 1], cuts[i], cuts[i + 1], options, splitAllowed));
            if (!tests.back().passes && (!weakest || tests.back().p > tests[*weakest - 1].p))
                weakest = i;
        }
        if (!weakest)
            break;
        cuts.erase(cuts.begin() + static_cast<std::ptrdiff_t>(*weakest));
    }

    std::vector<ChangePoint> changes;
    for (std::size_t i = 1; i + 1 < cuts.size(); ++i) {
        const std::size_t begin = cuts[i - 1];
        const std::size_t split = cuts[i];
        const std::size_t end = cuts[i + 1];
        const SplitTest& test = tests[i - 1];
        ChangePoint change;
        change.index = split;
        change.p = test.p;
        change.positions = test.positions;
        change.adjustedP
            = options.correctForPositions ? std::min(1.0, test.p * static_cast<double>(test.positions)) : test.p;
        change.beforeMedian = test.beforeMedian;
        change.afterMedian = test.afterMedian;
        change.relativeChange = test.relativeChange;
        const std::size_t windowBegin = split - std::min(kShiftWindow, split - begin);
        const std::size_t windowEnd = split + std::min(kShiftWindow, end - split);
        change.shift = hodgesLehmannShift(
            values.subspan(windowBegin, split - windowBegin), values.subspan(split, windowEnd - split));
        change.segmentBefore = split - begin;
        change.segmentAfter = end - split;
        changes.push_back(change);
    }
    return changes;
}

} // namespace buildscope
