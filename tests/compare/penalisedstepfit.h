#pragma once

// The second method the change-point detector is measured against: a penalised step fit
// as asv (airspeed velocity) detects steps in benchmark history, here as optimal
// partitioning (the exact search that PELT prunes; these series are short) with an L2
// cost (squared deviation from the segment's mean) or an L1 cost (absolute deviation
// from its median, asv's choice) and a BIC-like penalty per change. Only for the accuracy
// test: production code uses compare/changepoints.h.
#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <vector>

namespace buildscope::penalisedstepfit {

enum class Cost
{
    L2,
    L1
};

namespace detail {

inline double median(std::vector<double> values)
{
    const std::size_t middle = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle), values.end());
    const double upper = values[middle];
    if (values.size() % 2 == 1)
        return upper;
    return (*std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle)) + upper) / 2;
}

// The noise's scale from successive differences (a level change moves one difference
// only): MAD of the differences / sqrt(2), scaled to a normal's standard deviation.
inline double noiseScale(std::span<const double> x)
{
    std::vector<double> differences;
    for (std::size_t i = 1; i < x.size(); ++i)
        differences.push_back(std::abs(x[i] - x[i - 1]));
    if (differences.empty())
        return 0;
    return 1.4826 * median(differences) / std::sqrt(2.0);
}

} // namespace detail

// First index of each new segment.
inline std::vector<std::size_t> detect(std::span<const double> x, Cost costKind, std::size_t minSegment)
{
    const std::size_t n = x.size();
    if (n < 2 * minSegment)
        return {};
    const double sigma = detail::noiseScale(x);
    if (!(sigma > 0))
        return {};
    // cost[s][e]: the cost of one segment [s, e), in units where the penalty per change is
    // BIC's 2 ln n (a change adds a position and a level): squared deviations over
    // sigma^2, or twice the absolute deviations over the Laplace scale b.
    std::vector<std::vector<double>> cost(n + 1, std::vector<double>(n + 1, 0.0));
    if (costKind == Cost::L2) {
        std::vector<double> sum(n + 1, 0.0), squares(n + 1, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            sum[i + 1] = sum[i] + x[i];
            squares[i + 1] = squares[i] + x[i] * x[i];
        }
        for (std::size_t s = 0; s < n; ++s) {
            for (std::size_t e = s + 1; e <= n; ++e) {
                const double count = static_cast<double>(e - s);
                const double total = sum[e] - sum[s];
                cost[s][e] = std::max(0.0, squares[e] - squares[s] - total * total / count) / (sigma * sigma);
            }
        }
    } else {
        const double b = sigma * std::sqrt(2.0 / 3.14159265358979323846); // mean absolute deviation
        for (std::size_t s = 0; s < n; ++s) {
            std::vector<double> sorted;
            for (std::size_t e = s + 1; e <= n; ++e) {
                sorted.insert(std::upper_bound(sorted.begin(), sorted.end(), x[e - 1]), x[e - 1]);
                const std::size_t m = sorted.size();
                const double med = m % 2 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
                double deviation = 0;
                for (double v : sorted)
                    deviation += std::abs(v - med);
                cost[s][e] = 2 * deviation / b;
            }
        }
    }
    const double penalty = 2 * std::log(static_cast<double>(n));
    std::vector<double> best(n + 1, std::numeric_limits<double>::infinity());
    std::vector<std::size_t> last(n + 1, 0);
    best[0] = -penalty;
    for (std::size_t e = minSegment; e <= n; ++e) {
        for (std::size_t s = 0; s + minSegment <= e; ++s) {
            if (!std::isfinite(best[s]))
                continue;
            const double candidate = best[s] + cost[s][e] + penalty;
            if (candidate < best[e]) {
                best[e] = candidate;
                last[e] = s;
            }
        }
    }
    std::vector<std::size_t> changes;
    for (std::size_t e = n; last[e] > 0; e = last[e])
        changes.push_back(last[e]);
    std::reverse(changes.begin(), changes.end());
    return changes;
}

// The same size floor `history changes` applies: the change whose neighbouring segments'
// medians differ least, below thresholdPercent, is merged away, until none is left.
inline std::vector<std::size_t> withSizeFloor(
    std::span<const double> x, std::vector<std::size_t> changes, double thresholdPercent)
{
    for (;;) {
        std::size_t weakest = changes.size();
        double weakestSize = thresholdPercent / 100.0;
        for (std::size_t i = 0; i < changes.size(); ++i) {
            const std::size_t begin = i == 0 ? 0 : changes[i - 1];
            const std::size_t end = i + 1 == changes.size() ? x.size() : changes[i + 1];
            const double before = detail::median(
                {x.begin() + static_cast<std::ptrdiff_t>(begin), x.begin() + static_cast<std::ptrdiff_t>(changes[i])});
            const double after = detail::median(
                {x.begin() + static_cast<std::ptrdiff_t>(changes[i]), x.begin() + static_cast<std::ptrdiff_t>(end)});
            const double size = before != 0 ? std::abs(after - before) / std::abs(before) : 1.0;
            if (size < weakestSize) {
                weakestSize = size;
                weakest = i;
            }
        }
        if (weakest == changes.size())
            return changes;
        changes.erase(changes.begin() + static_cast<std::ptrdiff_t>(weakest));
    }
}

} // namespace buildscope::penalisedstepfit
