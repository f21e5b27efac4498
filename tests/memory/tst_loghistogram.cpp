#include "memory/loghistogram.h"

#include <QtTest>
#include <algorithm>
#include <cmath>
#include <random>
#include <thread>
#include <vector>

namespace buildscope {

class TestLogHistogram : public QObject
{
    Q_OBJECT

private slots:
    void bucketsTileTheWholeRange()
    {
        // Every bucket's first and last value map back to it, and buckets are contiguous.
        std::uint64_t expectedLower = 0;
        for (std::size_t i = 0; i < LogHistogram::kBucketCount; ++i) {
            const std::uint64_t lower = LogHistogram::bucketLowerBound(i);
            const std::uint64_t width = LogHistogram::bucketWidth(i);
            QCOMPARE(lower, expectedLower);
            QCOMPARE(LogHistogram::bucketIndex(lower), i);
            QCOMPARE(LogHistogram::bucketIndex(lower + (width - 1)), i);
            expectedLower = lower + width; // wraps to 0 after the last bucket
        }
        QCOMPARE(expectedLower, std::uint64_t {0});
        QCOMPARE(LogHistogram::bucketIndex(UINT64_MAX), LogHistogram::kBucketCount - 1);
    }

    void bucketWidthIsAtMostOneThirtySecondOfItsValues()
    {
        for (std::size_t i = LogHistogram::kLinearBuckets; i < LogHistogram::kBucketCount; ++i)
            QVERIFY(LogHistogram::bucketWidth(i) * 32 <= LogHistogram::bucketLowerBound(i));
    }

    void smallValuesAreExact()
    {
        LogHistogram histogram;
        for (std::uint64_t v = 0; v < 64; ++v)
            histogram.record(v);
        QCOMPARE(histogram.count(), std::uint64_t {64});
        QCOMPARE(histogram.min(), std::uint64_t {0});
        QCOMPARE(histogram.max(), std::uint64_t {63});
        QCOMPARE(histogram.quantile(0.5), std::uint64_t {31});
        QCOMPARE(histogram.quantile(1.0), std::uint64_t {63});
        QCOMPARE(histogram.quantile(0.0), std::uint64_t {0});
    }

    void emptyHistogramReportsZeros()
    {
        LogHistogram histogram;
        QCOMPARE(histogram.count(), std::uint64_t {0});
        QCOMPARE(histogram.min(), std::uint64_t {0});
        QCOMPARE(histogram.max(), std::uint64_t {0});
        QCOMPARE(histogram.quantile(0.99), std::uint64_t {0});
    }

    void quantilesStayWithinTheDocumentedError_data()
    {
        QTest::addColumn<double>("sigma");
        QTest::newRow("narrow latencies") << 0.2;
        QTest::newRow("wide latencies") << 2.0;
    }
    void quantilesStayWithinTheDocumentedError()
    {
        // Log-normal values around 50 us; each reported quantile must be within 1/64 of
        // the exact nearest-rank quantile of the same data.
        QFETCH(double, sigma);
        std::mt19937_64 random(42);
        std::lognormal_distribution<double> distribution(std::log(50'000.0), sigma);
        std::vector<std::uint64_t> values(100'000);
        LogHistogram histogram;
        for (std::uint64_t& v : values) {
            v = static_cast<std::uint64_t>(distribution(random)) + 1;
            histogram.record(v);
        }
        std::sort(values.begin(), values.end());
        for (double q : {0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999}) {
            const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
            const double exact = static_cast<double>(values[rank - 1]);
            const double reported = static_cast<double>(histogram.quantile(q));
            QVERIFY2(std::abs(reported - exact) <= exact / 64.0,
                qPrintable(QStringLiteral("q=%1 exact=%2 reported=%3").arg(q).arg(exact).arg(reported)));
        }
        QCOMPARE(histogram.min(), values.front());
        QCOMPARE(histogram.max(), values.back());
    }

    void mergeEqualsRecordingEverything()
    {
        LogHistogram a, b, all;
        for (std::uint64_t v = 1; v < 200'000; v += 7) {
            (v % 2 ? a : b).record(v * 13);
            all.record(v * 13);
        }
        a.merge(b);
        QCOMPARE(a.count(), all.count());
        QCOMPARE(a.min(), all.min());
        QCOMPARE(a.max(), all.max());
        for (std::size_t i = 0; i < LogHistogram::kBucketCount; ++i)
            QCOMPARE(a.bucketCount(i), all.bucketCount(i));
        QCOMPARE(a.quantile(0.95), all.quantile(0.95));
    }

    void copyAndResetWork()
    {
        LogHistogram a;
        a.record(1000);
        a.record(5);
        LogHistogram copy = a;
        QCOMPARE(copy.count(), std::uint64_t {2});
        QCOMPARE(copy.max(), std::uint64_t {1000});
        a.reset();
        QCOMPARE(a.count(), std::uint64_t {0});
        QCOMPARE(a.max(), std::uint64_t {0});
        QCOMPARE(copy.min(), std::uint64_t {5});
    }

    void concurrentRecordsAreAllCounted()
    {
        constexpr int kThreads = 4;
        constexpr std::uint64_t kPerThread = 300'000;
        LogHistogram histogram;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&histogram, t] {
                for (std::uint64_t i = 0; i < kPerThread; ++i)
                    histogram.record(i * 31 + static_cast<std::uint64_t>(t));
            });
        }
        for (std::thread& thread : threads)
            thread.join();
        QCOMPARE(histogram.count(), kThreads * kPerThread);
        std::uint64_t inBuckets = 0;
        for (std::size_t i = 0; i < LogHistogram::kBucketCount; ++i)
            inBuckets += histogram.bucketCount(i);
        QCOMPARE(inBuckets, kThreads * kPerThread);
        QCOMPARE(histogram.min(), std::uint64_t {0});
        QCOMPARE(histogram.max(), (kPerThread - 1) * 31 + (kThreads - 1));
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestLogHistogram)
#include "tst_loghistogram.moc"
