#include "memory/loghistogram.h"

#include "memory/relaxedcounter.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace buildscope {

namespace {
constexpr auto relaxed = std::memory_order_relaxed;

void lowerTo(std::atomic<std::uint64_t>& target, std::uint64_t candidate) noexcept
{
    std::uint64_t current = target.load(relaxed);
    while (candidate < current && !target.compare_exchange_weak(current, candidate, relaxed)) { }
}
} // namespace

LogHistogram::LogHistogram(const LogHistogram& other) noexcept
{
    *this = other;
}

LogHistogram& LogHistogram::operator=(const LogHistogram& other) noexcept
{
    if (this != &other) {
        for (std::size_t i = 0; i < kBucketCount; ++i)
            m_buckets[i].store(other.m_buckets[i].load(relaxed), relaxed);
        m_count.store(other.m_count.load(relaxed), relaxed);
        m_min.store(other.m_min.load(relaxed), relaxed);
        m_max.store(other.m_max.load(relaxed), relaxed);
    }
    return *this;
}

std::size_t LogHistogram::bucketIndex(std::uint64_t value) noexcept
{
    if (value < kLinearBuckets)
        return static_cast<std::size_t>(value);
    // value has bit_width >= 7; keep its top kSubBucketBits + 1 bits.
    const unsigned shift = static_cast<unsigned>(std::bit_width(value)) - kSubBucketBits - 1; // >= 1
    const std::uint64_t subBucket = (value >> shift) - kSubBuckets; // 0..31
    return kLinearBuckets + (shift - 1) * kSubBuckets + static_cast<std::size_t>(subBucket);
}

std::uint64_t LogHistogram::bucketLowerBound(std::size_t index) noexcept
{
    if (index < kLinearBuckets)
        return index;
    const std::size_t offset = index - kLinearBuckets;
    const unsigned shift = static_cast<unsigned>(offset / kSubBuckets) + 1;
    return (kSubBuckets + offset % kSubBuckets) << shift;
}

std::uint64_t LogHistogram::bucketWidth(std::size_t index) noexcept
{
    if (index < kLinearBuckets)
        return 1;
    return std::uint64_t {1} << ((index - kLinearBuckets) / kSubBuckets + 1);
}

void LogHistogram::record(std::uint64_t value) noexcept
{
    m_buckets[bucketIndex(value)].fetch_add(1, relaxed);
    m_count.fetch_add(1, relaxed);
    lowerTo(m_min, value);
    raiseTo(m_max, value);
}

void LogHistogram::merge(const LogHistogram& other) noexcept
{
    for (std::size_t i = 0; i < kBucketCount; ++i) {
        if (const std::uint64_t n = other.m_buckets[i].load(relaxed))
            m_buckets[i].fetch_add(n, relaxed);
    }
    m_count.fetch_add(other.m_count.load(relaxed), relaxed);
    lowerTo(m_min, other.m_min.load(relaxed));
    raiseTo(m_max, other.m_max.load(relaxed));
}

void LogHistogram::reset() noexcept
{
    for (auto& bucket : m_buckets)
        bucket.store(0, relaxed);
    m_count.store(0, relaxed);
    m_min.store(UINT64_MAX, relaxed);
    m_max.store(0, relaxed);
}

std::uint64_t LogHistogram::count() const noexcept
{
    return m_count.load(relaxed);
}

std::uint64_t LogHistogram::min() const noexcept
{
    return count() == 0 ? 0 : m_min.load(relaxed);
}

std::uint64_t LogHistogram::max() const noexcept
{
    return m_max.load(relaxed);
}

std::uint64_t LogHistogram::bucketCount(std::size_t index) const noexcept
{
    return index < kBucketCount ? m_buckets[index].load(relaxed) : 0;
}

std::uint64_t LogHistogram::quantile(double q) const noexcept
{
    const std::uint64_t total = count();
    if (total == 0)
        return 0;
    q = std::clamp(q, 0.0, 1.0);
    // The rank (1-based) of the sample at quantile q, nearest-rank definition.
    const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total))));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBucketCount; ++i) {
        seen += m_buckets[i].load(relaxed);
        if (seen >= rank) {
            const std::uint64_t midpoint = bucketLowerBound(i) + (bucketWidth(i) - 1) / 2;
            return std::clamp(midpoint, min(), max());
        }
    }
    return max();
}

} // namespace buildscope
