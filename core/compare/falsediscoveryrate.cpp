#include "compare/falsediscoveryrate.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace buildscope {

std::vector<double> benjaminiHochberg(std::span<const double> p, std::size_t familySize)
{
    for (double value : p) {
        if (std::isnan(value))
            throw std::invalid_argument("Benjamini-Hochberg needs p-values without NaN");
    }
    const std::size_t m = std::max(familySize, p.size());
    std::vector<std::size_t> order(p.size());
    std::iota(order.begin(), order.end(), std::size_t {0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
    std::vector<double> q(p.size(), 1.0);
    double smallestAbove = 1.0; // running minimum from the largest p down
    for (std::size_t k = order.size(); k-- > 0;) {
        const double scaled = p[order[k]] * static_cast<double>(m) / static_cast<double>(k + 1);
        smallestAbove = std::min(smallestAbove, scaled);
        q[order[k]] = smallestAbove;
    }
    return q;
}

} // namespace buildscope
