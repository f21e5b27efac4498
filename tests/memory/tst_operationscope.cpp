#include "memory/operationscope.h"

#include <QtTest>
#include <ctime>
#include <thread>
#include <vector>

namespace buildscope {

namespace {
template<class T>
void escape(T* pointer)
{
    asm volatile("" : : "g"(pointer) : "memory");
}
} // namespace

class TestOperationScope : public QObject
{
    Q_OBJECT

private slots:
    void internReturnsStableIds()
    {
        OperationRegistry registry;
        const auto a = registry.intern("checksum");
        const auto b = registry.intern("tar");
        QVERIFY(a != b);
        QCOMPARE(registry.intern("checksum"), a);
        QVERIFY(registry.statistics().empty()); // nothing recorded yet
    }

    void scopeRecordsWallTimeAndCount()
    {
        OperationRegistry registry;
        const auto id = registry.intern("sleep");
        for (int i = 0; i < 3; ++i) {
            OperationScope scope(id, OperationScope::CpuTime::Skip, registry);
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            QVERIFY(scope.elapsed() >= std::chrono::milliseconds(2));
        }
        const OperationStatistics s = registry.statistics(id);
        QCOMPARE(s.name, std::string("sleep"));
        QCOMPARE(s.count, std::uint64_t {3});
        QVERIFY(s.wallMinNs >= 2'000'000);
        QVERIFY(s.wallMaxNs >= s.wallMinNs);
        QVERIFY(s.wallTotalNs >= 3 * s.wallMinNs);
        QVERIFY(s.wallP50Ns >= s.wallMinNs && s.wallP50Ns <= s.wallMaxNs);
        QVERIFY(s.wallP99Ns >= s.wallP50Ns);
        QCOMPARE(s.cpuTimedCount, std::uint64_t {0});
    }

    void scopeCountsTheThreadsAllocationsExactly()
    {
        OperationRegistry registry;
        const auto id = registry.intern("alloc3");
        {
            OperationScope scope(id, OperationScope::CpuTime::Skip, registry);
            for (int i = 0; i < 3; ++i) {
                char* block = new char[100];
                escape(block);
                delete[] block;
            }
        }
        const OperationStatistics s = registry.statistics(id);
        QCOMPARE(s.allocations, std::uint64_t {3});
        QVERIFY(s.allocatedBytes >= 300);
        QCOMPARE(s.allocationsPerOp(), 3.0);
    }

    void allocationsOfOtherThreadsAreNotAttributed()
    {
        OperationRegistry registry;
        const auto id = registry.intern("quiet");
        std::atomic<bool> go {false};
        std::atomic<bool> done {false};
        // Created before the scope: starting a thread allocates on the creating thread.
        std::thread worker([&] {
            while (!go)
                std::this_thread::yield();
            for (int i = 0; i < 100; ++i) {
                char* block = new char[64];
                escape(block);
                delete[] block;
            }
            done = true;
        });
        {
            OperationScope scope(id, OperationScope::CpuTime::Skip, registry);
            go = true;
            while (!done)
                std::this_thread::yield();
        }
        worker.join();
        QCOMPARE(registry.statistics(id).count, std::uint64_t {1});
        QCOMPARE(registry.statistics(id).allocations, std::uint64_t {0});
    }

    void nestedScopesAreInclusive()
    {
        OperationRegistry registry;
        const auto outer = registry.intern("outer");
        const auto inner = registry.intern("inner");
        {
            OperationScope outerScope(outer, OperationScope::CpuTime::Skip, registry);
            char* a = new char[10];
            escape(a);
            {
                OperationScope innerScope(inner, OperationScope::CpuTime::Skip, registry);
                char* b = new char[10];
                escape(b);
                delete[] b;
            }
            delete[] a;
        }
        QCOMPARE(registry.statistics(outer).allocations, std::uint64_t {2});
        QCOMPARE(registry.statistics(inner).allocations, std::uint64_t {1});
        QVERIFY(registry.statistics(outer).wallTotalNs >= registry.statistics(inner).wallTotalNs);
    }

    void cpuTimeIsMeasuredWhenAskedFor()
    {
        OperationRegistry registry;
        const auto id = registry.intern("spin");
        // Busy until this thread has used 10 ms of CPU, however loaded the machine is (a
        // wall-clock spin gets little CPU on a busy runner).
        auto threadCpuNs = [] {
            timespec now {};
            ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
            return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(now.tv_nsec);
        };
        {
            OperationScope scope(id, OperationScope::CpuTime::Measure, registry);
            const std::uint64_t until = threadCpuNs() + 10'000'000;
            volatile std::uint64_t sink = 0;
            while (threadCpuNs() < until)
                sink = sink + 1;
        }
        const OperationStatistics s = registry.statistics(id);
        QCOMPARE(s.cpuTimedCount, std::uint64_t {1});
        QVERIFY2(s.cpuTotalNs >= 10'000'000, qPrintable(QString::number(s.cpuTotalNs)));
        QVERIFY(s.cpuTotalNs <= s.wallTotalNs + 1'000'000);
    }

    void concurrentScopesAreAllRecorded()
    {
        OperationRegistry registry;
        const auto id = registry.intern("parallel");
        constexpr int kThreads = 4;
        constexpr int kScopes = 50'000;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&] {
                for (int i = 0; i < kScopes; ++i)
                    OperationScope scope(id, OperationScope::CpuTime::Skip, registry);
            });
        }
        for (std::thread& thread : threads)
            thread.join();
        QCOMPARE(registry.statistics(id).count, std::uint64_t {kThreads * kScopes});
    }

    void concurrentInterningYieldsOneIdPerName()
    {
        OperationRegistry registry;
        std::vector<OperationRegistry::Id> ids(8);
        std::vector<std::thread> threads;
        for (std::size_t t = 0; t < ids.size(); ++t)
            threads.emplace_back([&, t] { ids[t] = registry.intern("shared"); });
        for (std::thread& thread : threads)
            thread.join();
        for (OperationRegistry::Id id : ids)
            QCOMPARE(id, ids.front());
    }

    void resetStartsANewPeriod()
    {
        OperationRegistry registry;
        const auto id = registry.intern("op");
        {
            OperationScope scope(id, OperationScope::CpuTime::Skip, registry);
        }
        registry.reset();
        QCOMPARE(registry.statistics(id).count, std::uint64_t {0});
        QVERIFY(registry.statistics().empty());
        {
            OperationScope scope(id, OperationScope::CpuTime::Skip, registry);
        }
        QCOMPARE(registry.statistics().size(), std::size_t {1});
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestOperationScope)
#include "tst_operationscope.moc"
