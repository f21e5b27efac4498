#pragma once

#include <atomic>
#include <cstdint>

namespace buildscope {

// Adds to an atomic that only its owning thread writes. A relaxed load and store
// compile to plain moves (no locked instruction), yet other threads may read the
// value at any time without a data race.
template<class T>
inline void addOwned(std::atomic<T>& counter, T delta) noexcept
{
    counter.store(counter.load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
}

// Raises `target` to at least `candidate` (a lock-free running maximum).
template<class T>
inline void raiseTo(std::atomic<T>& target, T candidate) noexcept
{
    T current = target.load(std::memory_order_relaxed);
    while (candidate > current && !target.compare_exchange_weak(current, candidate, std::memory_order_relaxed)) { }
}

} // namespace buildscope
