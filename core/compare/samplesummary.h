#pragma once

#include <cstddef>
#include <span>

namespace buildscope {

// Median of a sample with a distribution-free confidence interval from order statistics
// (as benchstat reports "median ± CI"): the interval [x(k), x(n-k+1)] with the largest k
// whose coverage under Binomial(n, 1/2) is at least 95 %. With fewer than 6 values no
// such k exists; the interval is then the whole range and `confidence` says how much
// it covers (e.g. 0.9375 for n = 5).
struct SampleSummary
{
    std::size_t n = 0;
    double median = 0;
    double low = 0;
    double high = 0;
    double confidence = 0; // coverage of [low, high]
    double min = 0;
    double max = 0;
    bool allEqual = true;
};

SampleSummary summarize(std::span<const double> values, double level = 0.95);

} // namespace buildscope
