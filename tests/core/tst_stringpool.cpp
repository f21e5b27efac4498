#include "memory/heaptracker.h"
#include "memory/stringpool.h"

#include <QtTest>
#include <thread>
#include <vector>

namespace buildscope {

class TestStringPool : public QObject
{
    Q_OBJECT

private slots:
    void classesArePickedBySize_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<int>("classIndex");
        QTest::newRow("tiny") << 1 << 0;
        QTest::newRow("small edge") << 256 << 0;
        QTest::newRow("just over small") << 257 << 1;
        QTest::newRow("1 KiB goes large") << 1024 << 1;
        QTest::newRow("large edge") << 4096 << 1;
    }
    void classesArePickedBySize()
    {
        QFETCH(int, length);
        QFETCH(int, classIndex);
        StringPool pool;
        PooledString string = pool.acquire(static_cast<std::size_t>(length));
        QVERIFY(string->empty());
        QVERIFY(string->capacity() >= static_cast<std::size_t>(length));
        QCOMPARE(pool.pools()[static_cast<std::size_t>(classIndex)]->statistics().acquires, std::uint64_t {1});
    }

    void capacitySurvivesReuse()
    {
        // The seed's Go pool lost the builder's capacity on every Reset; ours keeps it.
        StringPool pool;
        const char* data = nullptr;
        std::size_t capacity = 0;
        {
            PooledString string = pool.acquire(200);
            string->append(200, 'x');
            data = string->data();
            capacity = string->capacity();
        }
        const HeapCounters before = HeapTracker::currentThread();
        PooledString again = pool.acquire(150);
        again->append(150, 'y');
        QCOMPARE((HeapTracker::currentThread() - before).allocations, std::uint64_t {0});
        QCOMPARE(again->data(), data);
        QCOMPARE(again->capacity(), capacity);
        QCOMPARE(again->size(), std::size_t {150});
        QCOMPARE(pool.pools()[0]->statistics().hits, std::uint64_t {1});
    }

    void releasedStringsComeBackEmpty()
    {
        StringPool pool;
        pool.acquire(10)->assign("left over");
        PooledString again = pool.acquire(10);
        QVERIFY(again->empty());
    }

    void outgrownStringsAreDiscarded()
    {
        StringPool pool;
        {
            PooledString string = pool.acquire(100);
            string->append(5000, 'z'); // grows past the 256 B class
        }
        const PoolStatistics s = pool.pools()[0]->statistics();
        QCOMPARE(s.releases, std::uint64_t {1});
        QCOMPARE(s.discards, std::uint64_t {1});
        QCOMPARE(s.retainedBytes, std::uint64_t {0});
    }

    void oversizedRequestsAreNotRetained()
    {
        StringPool pool;
        {
            PooledString string = pool.acquire(10000);
            QVERIFY(string->capacity() >= 10000);
        }
        const PoolStatistics s = pool.pools()[1]->statistics();
        QCOMPARE(s.misses, std::uint64_t {1});
        QCOMPARE(s.discards, std::uint64_t {1});
        QCOMPARE(s.acquires, s.hits + s.misses);
    }

    void scrubZeroesContentsBeforeReuse()
    {
        StringPool pool("secret", {64 * 1024, 4, true});
        const char* data = nullptr;
        {
            PooledString string = pool.acquire(32);
            string->assign("hunter2hunter2hunter2");
            data = string->data();
        }
        PooledString again = pool.acquire(32);
        QCOMPARE(again->data(), data);
        // Past the (now empty) contents the old bytes must be gone.
        for (std::size_t i = 1; i < 21; ++i)
            QCOMPARE(data[i], '\0');
    }

    void movedLeaseReleasesOnce()
    {
        StringPool pool;
        PooledString a = pool.acquire(64);
        PooledString b = std::move(a);
        b->assign("kept");
        PooledString c;
        c = std::move(b);
        QCOMPARE(c.str(), std::string("kept"));
        c.reset();
        c.reset();
        QCOMPARE(pool.pools()[0]->statistics().releases, std::uint64_t {1});
    }

    void hammerFromTwoThreads()
    {
        constexpr int kThreads = 2;
        constexpr int kOps = 500'000;
        StringPool pool;
        {
            std::vector<std::thread> threads;
            for (int t = 0; t < kThreads; ++t) {
                threads.emplace_back([&pool, t] {
                    for (int i = 0; i < kOps; ++i) {
                        const std::size_t length = static_cast<std::size_t>((i * 37 + t) % 3000);
                        PooledString string = pool.acquire(length);
                        string->append(length, 'a');
                    }
                });
            }
            for (std::thread& thread : threads)
                thread.join();
        }
        std::uint64_t acquires = 0;
        for (const auto& classPool : pool.pools()) {
            const PoolStatistics s = classPool->statistics();
            QCOMPARE(s.acquires, s.hits + s.misses);
            QCOMPARE(s.releases, s.acquires);
            QVERIFY(s.retainedBytes <= s.maxRetainedBytes);
            QCOMPARE(s.discards, std::uint64_t {0}); // nothing outgrew its class
            acquires += s.acquires;
        }
        QCOMPARE(acquires, std::uint64_t {kThreads} * kOps);
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestStringPool)
#include "tst_stringpool.moc"
