#include "compare/shiftestimate.h"

#include "compare/mannwhitney.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace buildscope {

ShiftEstimate hodgesLehmannShift(std::span<const double> base, std::span<const double> candidate, double level)
{
    if (base.empty() || candidate.empty())
        throw std::invalid_argument("a shift needs at least one value on each side");
    std::vector<double> differences;
    differences.reserve(base.size() * candidate.size());
    for (double y : candidate) {
        for (double x : base)
            differences.push_back(y - x);
    }
    // Three order statistics, each by selection (O(m*n) rather than a sort's
    // O(m*n log(m*n))): history changes estimate a shift per change found.
    const std::size_t count = differences.size();
    auto nth = [&](std::size_t index) {
        std::nth_element(
            differences.begin(), differences.begin() + static_cast<std::ptrdiff_t>(index), differences.end());
        return differences[index];
    };
    ShiftEstimate estimate;
    const double upperMiddle = nth(count / 2);
    estimate.shift = count % 2 == 1
        ? upperMiddle
        : (*std::max_element(differences.begin(), differences.begin() + static_cast<std::ptrdiff_t>(count / 2))
              + upperMiddle)
            / 2.0;
    const std::size_t k = mannWhitneyCriticalCount(base.size(), candidate.size(), level);
    if (k == 0) {
        // Too few runs for the level: the whole range, and how much it covers (every
        // ordering but the two extreme ones).
        estimate.low = *std::min_element(differences.begin(), differences.end());
        estimate.high = *std::max_element(differences.begin(), differences.end());
        estimate.confidence = 1.0 - mannWhitneyMinimumP(base.size(), candidate.size());
    } else {
        estimate.low = nth(k - 1);
        estimate.high = nth(count - k);
        estimate.confidence = level;
    }
    return estimate;
}

} // namespace buildscope
