#pragma once

#include <cstddef>
#include <span>

namespace buildscope {

struct KolmogorovSmirnovResult
{
    double d = 0; // largest distance between the two empirical distribution functions
    double pValue = 1; // two-sided
    bool exact = false;
};

// Two-sample Kolmogorov-Smirnov test: does the candidate's distribution differ from the
// baseline's at all — in spread or shape, not only in its median, which is what Mann-
// Whitney U looks at (Pinpoint uses both for this reason). Exact p-value (the lattice-path
// count of scipy's method='exact') when m * n <= 10,000; the asymptotic Kolmogorov
// distribution with Stephens' small-sample correction beyond. With ties the exact
// p-value is conservative.
KolmogorovSmirnovResult kolmogorovSmirnov(std::span<const double> x, std::span<const double> y);

} // namespace buildscope
