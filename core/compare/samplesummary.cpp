#include "compare/samplesummary.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace buildscope {

namespace {

// P(Binomial(n, 1/2) <= k).
double binomialCdfHalf(std::size_t n, std::size_t k)
{
    // Sum of C(n, i) / 2^n in log space, stable for the n of a benchmark.
    double sum = 0;
    for (std::size_t i = 0; i <= k; ++i) {
        const double logTerm = std::lgamma(static_cast<double>(n) + 1) - std::lgamma(static_cast<double>(i) + 1)
            - std::lgamma(static_cast<double>(n - i) + 1) - static_cast<double>(n) * std::log(2.0);
        sum += std::exp(logTerm);
    }
    return std::min(1.0, sum);
}

} // namespace

SampleSummary summarize(std::span<const double> values, double level)
{
    if (values.empty())
        throw std::invalid_argument("summarize: no values");
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    SampleSummary summary;
    summary.n = sorted.size();
    const std::size_t n = sorted.size();
    summary.median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    summary.min = sorted.front();
    summary.max = sorted.back();
    summary.allEqual = summary.min == summary.max;

    // Coverage of [x(k), x(n-k+1)] (1-based) is 1 - 2 P(B <= k - 1).
    std::size_t best = 0;
    double coverage = 1.0;
    for (std::size_t k = 1; k <= n / 2; ++k) {
        const double c = 1.0 - 2.0 * binomialCdfHalf(n, k - 1);
        if (c < level)
            break;
        best = k;
        coverage = c;
    }
    if (best == 0) {
        summary.low = summary.min;
        summary.high = summary.max;
        summary.confidence = n >= 2 ? 1.0 - 2.0 * binomialCdfHalf(n, 0) : 0.0;
    } else {
        summary.low = sorted[best - 1];
        summary.high = sorted[n - best];
        summary.confidence = coverage;
    }
    return summary;
}

} // namespace buildscope
