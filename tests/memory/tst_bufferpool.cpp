#include "memory/bufferpool.h"
#include "memory/bufferpoolset.h"
#include "memory/enginepools.h"
#include "memory/heaptracker.h"

#include <QtTest>
#include <atomic>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

namespace buildscope {

namespace {
constexpr std::size_t k4K = 4096;

bool allZero(const BufferLease& lease)
{
    for (std::byte b : lease.span()) {
        if (b != std::byte {0})
            return false;
    }
    return true;
}

// misses == discards + retained items + leased items, at quiescence.
void verifyConservation(const PoolStatistics& s, std::uint64_t leased = 0)
{
    QCOMPARE(s.acquires, s.hits + s.misses);
    QCOMPARE(s.acquires - s.releases, leased);
    QCOMPARE(s.retainedBytes % s.classBytes, std::uint64_t {0});
    QCOMPARE(s.misses, s.discards + s.retainedBytes / s.classBytes + leased);
    QVERIFY(s.retainedBytes <= s.maxRetainedBytes);
    QVERIFY(s.retainedHighWaterBytes >= s.retainedBytes);
    QVERIFY(s.retainedHighWaterBytes <= s.maxRetainedBytes);
}
} // namespace

class TestBufferPool : public QObject
{
    Q_OBJECT

private slots:
    void hitRateIsNotAvailableBeforeAnyAcquire()
    {
        BufferPool pool("t.4KiB", k4K);
        const PoolStatistics s = pool.statistics();
        QCOMPARE(s.acquires, std::uint64_t {0});
        QVERIFY(!s.hitRate().has_value());
        QCOMPARE(formatHitRate(s), std::string("n/a"));
    }

    void firstAcquireMissesThenReuseHits()
    {
        BufferPool pool("t.4KiB", k4K);
        std::byte* first = nullptr;
        {
            BufferLease lease = pool.acquire();
            QVERIFY(lease);
            QCOMPARE(lease.size(), k4K);
            first = lease.data();
        }
        BufferLease again = pool.acquire(100);
        QCOMPARE(again.data(), first);
        QCOMPARE(again.size(), k4K);
        again.reset();

        const PoolStatistics s = pool.statistics();
        QCOMPARE(s.acquires, std::uint64_t {2});
        QCOMPARE(s.hits, std::uint64_t {1});
        QCOMPARE(s.misses, std::uint64_t {1});
        QCOMPARE(s.releases, std::uint64_t {2});
        QCOMPARE(s.hitRate().value(), 0.5);
        QCOMPARE(formatHitRate(s), std::string("50.0%"));
        QCOMPARE(s.retainedBytes, std::uint64_t {k4K});
        verifyConservation(s);
    }

    void acquireDoesNotZeroFill()
    {
        // The seed project zeroed 64 KiB on every Get. Ours hands the buffer back as the
        // last user left it (no memset), unless the pool scrubs on release.
        BufferPool pool("t.4KiB", k4K);
        {
            BufferLease lease = pool.acquire();
            std::memset(lease.data(), 0xAB, lease.size());
        }
        BufferLease lease = pool.acquire();
        QCOMPARE(lease.data()[k4K - 1], std::byte {0xAB});
    }

    void scrubOnReleaseZeroes()
    {
        BufferPool pool("secret.4KiB", k4K, {1 << 20, 4, true});
        {
            BufferLease lease = pool.acquire();
            std::memset(lease.data(), 0x5A, lease.size());
        }
        BufferLease lease = pool.acquire();
        QCOMPARE(pool.statistics().hits, std::uint64_t {1});
        QVERIFY(allZero(lease));
    }

    void threadCacheHitsDoNotAllocate()
    {
        BufferPool pool("t.4KiB", k4K);
        pool.acquire().reset(); // warm: creates the thread cache and one buffer
        const HeapCounters before = HeapTracker::currentThread();
        for (int i = 0; i < 1000; ++i) {
            BufferLease lease = pool.acquire();
            QVERIFY(lease);
        }
        const HeapCounters delta = HeapTracker::currentThread() - before;
        QCOMPARE(delta.allocations, std::uint64_t {0});
        QCOMPARE(pool.statistics().hits, std::uint64_t {1000});
    }

    void retentionIsBoundedAndSurplusDiscarded()
    {
        // Room for four idle buffers; two of them are this thread's cache.
        BufferPool pool("t.4KiB", k4K, {4 * k4K, 2, false});
        std::vector<BufferLease> leases;
        for (int i = 0; i < 10; ++i)
            leases.push_back(pool.acquire());
        leases.clear();

        const PoolStatistics s = pool.statistics();
        QCOMPARE(s.misses, std::uint64_t {10});
        QCOMPARE(s.retainedBytes, std::uint64_t {4 * k4K});
        QCOMPARE(s.discards, std::uint64_t {6});
        QCOMPARE(s.retainedHighWaterBytes, std::uint64_t {4 * k4K});
        verifyConservation(s);
    }

    void oversizedRequestsAreServedAndDiscarded()
    {
        BufferPool pool("t.4KiB", k4K);
        {
            BufferLease big = pool.acquire(3 * k4K);
            QCOMPARE(big.size(), 3 * k4K);
            std::memset(big.data(), 1, big.size());
        }
        const PoolStatistics s = pool.statistics();
        QCOMPARE(s.acquires, std::uint64_t {1});
        QCOMPARE(s.misses, std::uint64_t {1});
        QCOMPARE(s.discards, std::uint64_t {1});
        QCOMPARE(s.retainedBytes, std::uint64_t {0});
        verifyConservation(s);
    }

    void leaseMovesAndResets()
    {
        BufferPool pool("t.4KiB", k4K);
        BufferLease a = pool.acquire();
        std::byte* data = a.data();
        BufferLease b = std::move(a);
        QVERIFY(!a); // NOLINT(bugprone-use-after-move): moved-from state is specified
        QCOMPARE(b.data(), data);
        BufferLease c;
        c = std::move(b);
        QCOMPARE(c.data(), data);
        QCOMPARE(pool.statistics().releases, std::uint64_t {0});
        c.reset();
        QVERIFY(!c);
        QCOMPARE(pool.statistics().releases, std::uint64_t {1});
        c.reset(); // idempotent
        QCOMPARE(pool.statistics().releases, std::uint64_t {1});
    }

    void exitingThreadHandsItsCacheBack()
    {
        BufferPool pool("t.4KiB", k4K);
        std::byte* fromThread = nullptr;
        std::thread worker([&] {
            BufferLease lease = pool.acquire();
            fromThread = lease.data();
        });
        worker.join();
        // The worker's cached buffer went to the shared list: this thread's first acquire hits.
        BufferLease lease = pool.acquire();
        QCOMPARE(lease.data(), fromThread);
        QCOMPARE(pool.statistics().hits, std::uint64_t {1});
    }

    void poolDestroyedWhileOtherThreadsHoldCaches()
    {
        std::atomic<int> phase {0};
        auto pool = std::make_unique<BufferPool>("t.4KiB", k4K);
        std::thread worker([&] {
            pool->acquire().reset(); // leaves a buffer in this thread's cache
            phase.store(1);
            while (phase.load() != 2)
                std::this_thread::yield();
            // The pool is gone; a new pool may take the same slot and must not see the
            // stale cache.
            BufferPool other("u.4KiB", k4K);
            other.acquire().reset();
            QCOMPARE(other.statistics().misses, std::uint64_t {1});
        });
        while (phase.load() != 1)
            std::this_thread::yield();
        pool.reset(); // frees every thread's cached buffers (ASan would report a leak otherwise)
        phase.store(2);
        worker.join();
    }

    void hammerKeepsStatisticsExact()
    {
        // 4 threads x 250k acquire/release (10^6 in all), mixed sizes within the class,
        // a quarter of the leases released by another thread.
        constexpr int kThreads = 4;
        constexpr int kOpsPerThread = 250'000;
        const HeapSnapshot heapStart = HeapTracker::snapshot();
        auto pool = std::make_unique<BufferPool>("t.4KiB", k4K, PoolLimits {64 * k4K, 4, false});
        {
            std::array<std::atomic<int>, kThreads> mailboxFlags {};
            std::vector<BufferLease> mailboxes(kThreads);
            std::vector<std::thread> threads;
            for (int t = 0; t < kThreads; ++t) {
                threads.emplace_back([&, t] {
                    std::minstd_rand random(static_cast<unsigned>(t + 1));
                    std::vector<BufferLease> held;
                    held.reserve(8);
                    for (int i = 0; i < kOpsPerThread; ++i) {
                        held.push_back(pool->acquire(1 + random() % k4K));
                        held.back().data()[0] = std::byte {1};
                        if (held.size() == 8 || random() % 3 == 0) {
                            // Give one lease to the next thread's mailbox if it is free.
                            auto& flag = mailboxFlags[static_cast<std::size_t>((t + 1) % kThreads)];
                            int expected = 0;
                            if (flag.compare_exchange_strong(expected, 1)) {
                                mailboxes[static_cast<std::size_t>((t + 1) % kThreads)] = std::move(held.back());
                                held.pop_back();
                                flag.store(2);
                            }
                            // Release whatever was handed to us.
                            auto& own = mailboxFlags[static_cast<std::size_t>(t)];
                            expected = 2;
                            if (own.compare_exchange_strong(expected, 3)) {
                                mailboxes[static_cast<std::size_t>(t)].reset();
                                own.store(0);
                            }
                            held.clear();
                        }
                    }
                });
            }
            for (std::thread& thread : threads)
                thread.join();
            mailboxes.clear();
        }
        const PoolStatistics s = pool->statistics();
        QCOMPARE(s.acquires, std::uint64_t {kThreads} * kOpsPerThread);
        QCOMPARE(s.releases, s.acquires);
        verifyConservation(s);
        QVERIFY(s.hits > s.misses); // reuse actually happened
        QVERIFY(HeapTracker::snapshot().liveBytes - heapStart.liveBytes >= static_cast<std::int64_t>(s.retainedBytes));
        // Destroying the pool frees everything it retained: live bytes return to the start.
        pool.reset();
        QCOMPARE(HeapTracker::snapshot().liveBytes, heapStart.liveBytes);
    }

    void poolSetPicksTheSmallestClassThatFits()
    {
        BufferPoolSet io("io", {{4096, {}}, {32768, {}}, {131072, {}}});
        QCOMPARE(io.pools().size(), std::size_t {3});
        QCOMPARE(io.pools()[0]->name(), std::string("io.4KiB"));
        QCOMPARE(io.pools()[2]->name(), std::string("io.128KiB"));
        QCOMPARE(io.acquire(1).size(), std::size_t {4096});
        QCOMPARE(io.acquire(4097).size(), std::size_t {32768});
        QCOMPARE(io.acquire(131072).size(), std::size_t {131072});
        QCOMPARE(io.acquire(200000).size(), std::size_t {200000}); // oversized, from the largest class
        QCOMPARE(io.pools()[2]->statistics().discards, std::uint64_t {1});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, BufferPoolSet("bad", {{8192, {}}, {4096, {}}}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, BufferPoolSet("empty", {}));
    }

    void enginePoolsListEveryClass()
    {
        const std::vector<PoolStatistics> all = EnginePools::instance().statistics();
        QStringList names;
        for (const PoolStatistics& s : all)
            names << QString::fromStdString(s.name);
        QCOMPARE(names,
            QStringList({"io.4KiB", "io.32KiB", "io.128KiB", "hash.64KiB", "tar.64KiB"}));
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestBufferPool)
#include "tst_bufferpool.moc"
