#pragma once

// A published benchmark for change-point detection: series of run figures with known
// change points, noise and slow runs (spikes), made by a deterministic generator (a fixed
// seed; mt19937_64 and a hand-written Box-Muller, as std's distributions differ between
// standard libraries). The generated series are committed as
// fixtures/changepoint-series.csv, which the accuracy test scores.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace buildscope::changepointseries {

struct Series
{
    std::string name;
    std::vector<double> values;
    std::vector<std::size_t> changes; // first index of each new level
};

inline constexpr std::uint64_t kSeed = 20261201;
inline constexpr std::size_t kSeriesCount = 48;
inline constexpr std::size_t kMinGap = 8; // runs between changes, and from either end

class Generator
{
public:
    explicit Generator(std::uint64_t seed)
        : m_random(seed)
    { }

    double uniform() { return static_cast<double>(m_random() >> 11) * 0x1.0p-53; }
    double uniform(double low, double high) { return low + (high - low) * uniform(); }
    std::size_t below(std::size_t bound) { return static_cast<std::size_t>(m_random() % bound); }
    double normal()
    {
        const double u1 = 1.0 - uniform(); // (0, 1]
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
    }

private:
    std::mt19937_64 m_random;
};

// Half the series are memory-like (peaks in bytes, 0.5-2 % noise, no spikes); the other
// half timing-like (seconds, 1.5-4 % noise, and one run in 25 slow by 20-80 %). Each has
// 0 to 3 changes of 8-35 % up or down, at least kMinGap runs apart.
inline std::vector<Series> generate()
{
    Generator random(kSeed);
    std::vector<Series> all;
    for (std::size_t s = 0; s < kSeriesCount; ++s) {
        Series series;
        const bool timing = s % 2 == 1;
        series.name = (timing ? "timing-" : "memory-") + std::to_string(s);
        const std::size_t length = 60 + random.below(141);
        const std::size_t changeCount = random.below(4);
        while (series.changes.size() < changeCount) {
            const std::size_t at = kMinGap + random.below(length - 2 * kMinGap + 1);
            bool apart = true;
            for (std::size_t other : series.changes)
                apart = apart && (at > other ? at - other : other - at) >= kMinGap;
            if (apart)
                series.changes.push_back(at);
        }
        std::sort(series.changes.begin(), series.changes.end());
        double level = timing ? random.uniform(5, 300) : random.uniform(5e7, 4e9);
        const double noise = timing ? random.uniform(0.015, 0.04) : random.uniform(0.005, 0.02);
        std::size_t next = 0;
        for (std::size_t i = 0; i < length; ++i) {
            if (next < series.changes.size() && series.changes[next] == i) {
                const double size = random.uniform(0.08, 0.35);
                level *= random.uniform() < 0.5 ? 1.0 - size / (1.0 + size) : 1.0 + size;
                ++next;
            }
            double value = level * (1.0 + noise * random.normal());
            if (timing && random.uniform() < 0.04)
                value *= random.uniform(1.2, 1.8);
            series.values.push_back(value);
        }
        all.push_back(std::move(series));
    }
    return all;
}

} // namespace buildscope::changepointseries
