#pragma once

#include <atomic>
#include <thread>

namespace buildscope {

// A minimal lock for registries that are touched rarely (thread start/exit, pool
// creation, 20 Hz snapshots). Unlike std::mutex it is constexpr-constructible and
// trivially destructible on every platform, so it is safe to use from the
// allocation hooks before main() and after static destructors have run.
class SpinLock
{
public:
    constexpr SpinLock() = default;
    SpinLock(const SpinLock&) = delete;
    SpinLock& operator=(const SpinLock&) = delete;

    void lock() noexcept
    {
        while (m_flag.test_and_set(std::memory_order_acquire)) {
            while (m_flag.test(std::memory_order_relaxed))
                std::this_thread::yield();
        }
    }
    void unlock() noexcept { m_flag.clear(std::memory_order_release); }

private:
    std::atomic_flag m_flag;
};

} // namespace buildscope
