#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace buildscope {

// Benjamini-Hochberg adjusted p-values (q-values) of a family of tests: q[i] is the
// smallest false-discovery rate at which test i is a discovery, min over the tests j
// with p[j] >= p[i] of p[j] * m / rank(j), capped at 1. Rejecting every q < alpha keeps
// the expected share of false discoveries among the rejections at most alpha (for
// independent or positively dependent tests, as the metrics of one build are).
// `familySize` counts the hypotheses tested (at least p.size()): tests left out of the
// list because their p is 1 still count. NaN p-values are not allowed.
std::vector<double> benjaminiHochberg(std::span<const double> p, std::size_t familySize = 0);

} // namespace buildscope
