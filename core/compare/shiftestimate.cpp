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
    std::sort(differences.begin(), differences.end());
    const std::size_t count = differences.size();
    ShiftEstimate estimate;
    estimate.shift = count % 2 == 1 ? differences[count / 2]
                                    : (differences[count / 2 - 1] + differences[count / 2]) / 2.0;
    const std::size_t k = mannWhitneyCriticalCount(base.size(), candidate.size(), level);
    if (k == 0) {
        // Too few runs for the level: the whole range, and how much it covers (every
        // ordering but the two extreme ones).
        estimate.low = differences.front();
        estimate.high = differences.back();
        estimate.confidence = 1.0 - mannWhitneyMinimumP(base.size(), candidate.size());
    } else {
        estimate.low = differences[k - 1];
        estimate.high = differences[count - k];
        estimate.confidence = level;
    }
    return estimate;
}

} // namespace buildscope
