#include "compare/mannwhitney.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace buildscope {

namespace {

// Number of ways to get each U for sample sizes (m, n) without ties:
// c(u; m, n) = c(u - n; m - 1, n) + c(u; m, n - 1), computed bottom-up over n.
// Returns the cumulative distribution P(U <= u) for u = 0 .. m*n.
std::vector<double> exactCdf(std::size_t m, std::size_t n)
{
    // counts[j][u] for the current m', all n' <= n, built up over m'.
    std::vector<std::vector<double>> previous(n + 1); // m' - 1
    for (std::size_t j = 0; j <= n; ++j)
        previous[j] = {1.0}; // m' = 0: only U = 0
    for (std::size_t i = 1; i <= m; ++i) {
        std::vector<std::vector<double>> current(n + 1);
        current[0] = {1.0}; // n' = 0: only U = 0
        for (std::size_t j = 1; j <= n; ++j) {
            current[j].assign(i * j + 1, 0.0);
            // The largest of the i + j values is an x (adds j to U) or a y (adds 0).
            for (std::size_t u = 0; u < previous[j].size(); ++u)
                current[j][u + j] += previous[j][u];
            for (std::size_t u = 0; u < current[j - 1].size(); ++u)
                current[j][u] += current[j - 1][u];
        }
        previous = std::move(current);
    }
    std::vector<double> counts = previous[n];
    const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
    double running = 0;
    for (double& c : counts) {
        running += c;
        c = running / total;
    }
    return counts;
}

// The exact permutation distribution of twice the midrank sum of m values drawn from a
// pooled sample whose equal values form `groups` (ascending): counts[s] of the C(m + n, m)
// draws whose doubled sum is s. A group of t values starting at 0-based position i has
// doubled midrank 2i + t + 1, an integer, so the sums can index an array. Drawing k of a
// group's t values happens C(t, k) ways. Returns P(S <= s) for every s.
std::vector<double> exactTiedCdf(std::size_t m, std::span<const std::size_t> groups)
{
    std::size_t total = 0;
    for (std::size_t t : groups)
        total += t;
    const std::size_t maxSum = m * (2 * total + 1);
    // ways[c][s]: draws of c values with doubled sum s among the groups seen so far.
    std::vector<std::vector<double>> ways(m + 1, std::vector<double>(maxSum + 1, 0.0));
    ways[0][0] = 1;
    std::size_t position = 0;
    for (std::size_t t : groups) {
        const std::size_t rank2 = 2 * position + t + 1;
        // Binomial coefficients C(t, k), k = 0..t.
        std::vector<double> choose(t + 1, 1.0);
        for (std::size_t k = 1; k <= t; ++k)
            choose[k] = choose[k - 1] * static_cast<double>(t - k + 1) / static_cast<double>(k);
        // Downward over c: ways[c] is read before anything is added to it in this group.
        for (std::size_t c = std::min(m, position) + 1; c-- > 0;) {
            for (std::size_t k = std::min(t, m - c); k >= 1; --k) {
                for (std::size_t s = 0; s + k * rank2 <= maxSum; ++s) {
                    if (ways[c][s] != 0)
                        ways[c + k][s + k * rank2] += ways[c][s] * choose[k];
                }
            }
        }
        position += t;
    }
    std::vector<double> cdf = std::move(ways[m]);
    const double draws = std::accumulate(cdf.begin(), cdf.end(), 0.0);
    double running = 0;
    for (double& c : cdf) {
        running += c;
        c = running / draws;
    }
    return cdf;
}

double normalUpperTail(double z)
{
    return 0.5 * std::erfc(z / std::sqrt(2.0));
}

} // namespace

MannWhitneyResult mannWhitneyU(std::span<const double> x, std::span<const double> y)
{
    if (x.empty() || y.empty())
        throw std::invalid_argument("Mann-Whitney U needs at least one value on each side");
    const std::size_t m = x.size();
    const std::size_t n = y.size();

    // Midranks of the pooled sample.
    std::vector<std::pair<double, bool>> pooled; // value, from x
    pooled.reserve(m + n);
    for (double v : x)
        pooled.emplace_back(v, true);
    for (double v : y)
        pooled.emplace_back(v, false);
    std::sort(pooled.begin(), pooled.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    double rankSumX = 0;
    std::vector<std::size_t> groups;
    for (std::size_t i = 0; i < pooled.size();) {
        std::size_t j = i;
        while (j < pooled.size() && pooled[j].first == pooled[i].first)
            ++j;
        const double midrank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
        for (std::size_t k = i; k < j; ++k) {
            if (pooled[k].second)
                rankSumX += midrank;
        }
        groups.push_back(j - i);
        i = j;
    }
    return mannWhitneyFromRanks(rankSumX, m, n, groups);
}

MannWhitneyResult mannWhitneyFromRanks(
    double rankSumX, std::size_t m, std::size_t n, std::span<const std::size_t> tieGroups)
{
    double tieTerm = 0; // sum of t^3 - t over groups of t equal values
    for (std::size_t group : tieGroups) {
        const double t = static_cast<double>(group);
        tieTerm += t * t * t - t;
    }
    const bool ties = tieTerm > 0;
    const double dm = static_cast<double>(m);
    const double dn = static_cast<double>(n);
    MannWhitneyResult result;
    result.u = rankSumX - dm * (dm + 1) / 2.0;

    if (m < 50 && n < 50 && !ties) {
        // Exact: p = 2 * min(P(U <= u), P(U >= u)), capped at 1 (R's definition).
        const std::vector<double> cdf = exactCdf(m, n);
        const auto u = static_cast<std::size_t>(std::llround(result.u));
        const double lower = cdf[u];
        const double upper = 1.0 - (u == 0 ? 0.0 : cdf[u - 1]);
        result.pValue = std::min(1.0, 2.0 * std::min(lower, upper));
        result.exact = true;
        return result;
    }
    if (ties && m + n <= kMannWhitneyExactTiesLimit) {
        // Exact with ties: the same two-tailed rule on the doubled midrank sum.
        const std::vector<double> cdf = exactTiedCdf(m, tieGroups);
        const auto sum = static_cast<std::size_t>(std::llround(2.0 * rankSumX));
        const double lower = cdf[sum];
        const double upper = 1.0 - (sum == 0 ? 0.0 : cdf[sum - 1]);
        result.pValue = std::min(1.0, 2.0 * std::min(lower, upper));
        result.exact = true;
        return result;
    }

    const double mean = dm * dn / 2.0;
    const double variance = dm * dn / 12.0 * ((dm + dn + 1) - tieTerm / ((dm + dn) * (dm + dn - 1)));
    if (variance <= 0) {
        result.pValue = 1.0; // every value equal: no evidence of a difference
        return result;
    }
    // Continuity correction toward the mean, as R: z = (d - sign(d) / 2) / sigma.
    const double deviation = result.u - mean;
    const double corrected = deviation == 0 ? 0.0 : std::abs(std::abs(deviation) - 0.5);
    result.pValue = std::min(1.0, 2.0 * normalUpperTail(corrected / std::sqrt(variance)));
    return result;
}

double mannWhitneyMinimumP(std::size_t m, std::size_t n)
{
    // 2 / C(m + n, m), computed as a product to stay finite for large sizes.
    double combinations = 1;
    for (std::size_t i = 1; i <= std::min(m, n); ++i) {
        combinations = combinations * static_cast<double>(std::max(m, n) + i) / static_cast<double>(i);
        if (combinations > 1e300)
            return 0;
    }
    return std::min(1.0, 2.0 / combinations);
}

std::size_t mannWhitneyCriticalCount(std::size_t m, std::size_t n, double level)
{
    const double tail = (1.0 - level) / 2.0;
    if (m < 50 && n < 50) {
        const std::vector<double> cdf = exactCdf(m, n);
        std::size_t k = 0;
        while (k < cdf.size() && cdf[k] <= tail) // P(U <= k) <= tail: k + 1 still allowed
            ++k;
        return k;
    }
    const double dm = static_cast<double>(m);
    const double dn = static_cast<double>(n);
    // z for the tail, by bisection on the normal upper tail (no inverse erf in <cmath>).
    double low = 0;
    double high = 10;
    for (int i = 0; i < 100; ++i) {
        const double mid = (low + high) / 2;
        (normalUpperTail(mid) > tail ? low : high) = mid;
    }
    const double k = dm * dn / 2.0 - high * std::sqrt(dm * dn * (dm + dn + 1) / 12.0);
    return k < 1 ? 0 : static_cast<std::size_t>(std::floor(k));
}

} // namespace buildscope
