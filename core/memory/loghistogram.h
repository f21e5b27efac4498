#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace buildscope {

// Fixed-size log-bucket histogram of unsigned 64-bit values (HDR-style).
//
// Values below 64 have a bucket each (exact). Above, each power of two is split into
// 32 equal sub-buckets, so a bucket's width is at most 1/32 of its lower bound and a
// quantile, reported as the bucket midpoint, is within 1/64 (1.6 %) of a value that
// was recorded. 1920 buckets cover the whole uint64 range; record() is O(1), lock-free
// and safe from any number of threads; histograms merge by adding buckets.
class LogHistogram
{
public:
    static constexpr unsigned kSubBucketBits = 5;
    static constexpr std::uint64_t kSubBuckets = std::uint64_t {1} << kSubBucketBits; // 32
    static constexpr std::size_t kLinearBuckets = 2 * kSubBuckets; // values 0..63
    static constexpr std::size_t kBucketCount = kLinearBuckets + (64 - kSubBucketBits - 1) * kSubBuckets; // 1920

    LogHistogram() = default;
    LogHistogram(const LogHistogram& other) noexcept;
    LogHistogram& operator=(const LogHistogram& other) noexcept;

    void record(std::uint64_t value) noexcept;
    void merge(const LogHistogram& other) noexcept;
    void reset() noexcept;

    std::uint64_t count() const noexcept;
    std::uint64_t min() const noexcept; // exact; 0 when empty
    std::uint64_t max() const noexcept; // exact; 0 when empty
    // Value at quantile q in [0, 1] (bucket midpoint, clamped to [min, max]); 0 when empty.
    std::uint64_t quantile(double q) const noexcept;
    std::uint64_t bucketCount(std::size_t index) const noexcept;

    static std::size_t bucketIndex(std::uint64_t value) noexcept;
    static std::uint64_t bucketLowerBound(std::size_t index) noexcept;
    static std::uint64_t bucketWidth(std::size_t index) noexcept;

private:
    std::array<std::atomic<std::uint64_t>, kBucketCount> m_buckets {};
    std::atomic<std::uint64_t> m_count {0};
    std::atomic<std::uint64_t> m_min {UINT64_MAX};
    std::atomic<std::uint64_t> m_max {0};
};

} // namespace buildscope
