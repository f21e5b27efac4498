#include "compare/kolmogorovsmirnov.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace buildscope {

namespace {

// P(D < d) for sizes m and n under the null hypothesis: the share of the C(m + n, m)
// lattice paths from (0, 0) to (m, n) that stay strictly inside |i/m - j/n| < d.
// Each cell holds the path count divided by C(i + j, i), so nothing overflows.
double insideProbability(std::size_t m, std::size_t n, double d)
{
    const double dm = static_cast<double>(m);
    const double dn = static_cast<double>(n);
    auto inside = [&](std::size_t i, std::size_t j) {
        return std::abs(static_cast<double>(i) / dm - static_cast<double>(j) / dn) < d - 1e-12;
    };
    // u[j]: probability-weighted count for the current i (row by row).
    std::vector<double> u(n + 1, 0.0);
    for (std::size_t j = 0; j <= n; ++j)
        u[j] = inside(0, j) && (j == 0 || u[j - 1] > 0) ? 1.0 : 0.0;
    for (std::size_t i = 1; i <= m; ++i) {
        const double di = static_cast<double>(i);
        u[0] = inside(i, 0) ? u[0] : 0.0;
        for (std::size_t j = 1; j <= n; ++j) {
            if (!inside(i, j)) {
                u[j] = 0.0;
                continue;
            }
            // paths(i, j) = paths(i-1, j) + paths(i, j-1), scaled by C(i+j, i):
            // C(i-1+j, i-1)/C(i+j, i) = i/(i+j) and C(i+j-1, i)/C(i+j, i) = j/(i+j).
            const double dj = static_cast<double>(j);
            u[j] = (u[j] * di + u[j - 1] * dj) / (di + dj);
        }
    }
    return u[n];
}

// Q(x) = 2 * sum (-1)^(k-1) exp(-2 k^2 x^2): the Kolmogorov distribution's upper tail.
double kolmogorovTail(double x)
{
    if (x < 0.2)
        return 1.0;
    double sum = 0;
    for (int k = 1; k <= 100; ++k) {
        const double term = std::exp(-2.0 * k * k * x * x);
        sum += (k % 2 == 1 ? term : -term);
        if (term < 1e-16)
            break;
    }
    return std::clamp(2.0 * sum, 0.0, 1.0);
}

} // namespace

KolmogorovSmirnovResult kolmogorovSmirnov(std::span<const double> x, std::span<const double> y)
{
    if (x.empty() || y.empty())
        throw std::invalid_argument("Kolmogorov-Smirnov needs at least one value on each side");
    std::vector<double> a(x.begin(), x.end());
    std::vector<double> b(y.begin(), y.end());
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    const std::size_t m = a.size();
    const std::size_t n = b.size();
    // Walk both sorted samples; tied values move both steps before the distance is taken.
    KolmogorovSmirnovResult result;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < m && j < n) {
        const double value = std::min(a[i], b[j]);
        while (i < m && a[i] == value)
            ++i;
        while (j < n && b[j] == value)
            ++j;
        result.d = std::max(result.d,
            std::abs(static_cast<double>(i) / static_cast<double>(m) - static_cast<double>(j) / static_cast<double>(n)));
    }
    if (result.d == 0) {
        result.pValue = 1.0;
        return result;
    }
    if (m * n <= 10000) {
        result.pValue = std::clamp(1.0 - insideProbability(m, n, result.d), 0.0, 1.0);
        result.exact = true;
        return result;
    }
    const double en = std::sqrt(static_cast<double>(m) * static_cast<double>(n) / static_cast<double>(m + n));
    result.pValue = kolmogorovTail((en + 0.12 + 0.11 / en) * result.d);
    return result;
}

} // namespace buildscope
