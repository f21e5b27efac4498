#include "charts/bytesaxisticker.h"
#include "charts/countaxisticker.h"
#include "charts/elapsedtimeaxisticker.h"

#include <QtTest>

using namespace buildscope;

namespace {
constexpr double kKiB = 1024.0;
constexpr double kMiB = 1024.0 * kKiB;
constexpr double kGiB = 1024.0 * kMiB;

QStringList labelsFor(QCPAxisTicker& ticker, const QCPRange& range, QVector<double>* ticksOut = nullptr)
{
    QVector<double> ticks;
    QVector<QString> labels;
    ticker.generate(range, QLocale::c(), QLatin1Char('g'), 6, ticks, nullptr, &labels);
    if (ticksOut)
        *ticksOut = ticks;
    return QStringList(labels.begin(), labels.end());
}
} // namespace

class TestChartAxisTickers : public QObject
{
    Q_OBJECT
private slots:
    void bytesTicksArePowersOfTwo()
    {
        BytesAxisTicker ticker;
        QVector<double> ticks;
        const QStringList labels = labelsFor(ticker, QCPRange(0, 1.2 * kGiB), &ticks);
        QVERIFY2(labels.contains(QStringLiteral("512 MiB")), qPrintable(labels.join(QLatin1String(", "))));
        QVERIFY(labels.contains(QStringLiteral("1 GiB")));
        QVERIFY(labels.contains(QStringLiteral("0")));
        QVERIFY(ticks.size() >= 2);
        const double step = ticks[1] - ticks[0];
        QCOMPARE(std::exp2(std::round(std::log2(step))), step);
    }

    void bytesLabelsPickUnitsFromTheStep()
    {
        QCOMPARE(BytesAxisTicker::formatTick(1.5 * kGiB, 512 * kMiB), QStringLiteral("1.5 GiB"));
        QCOMPARE(BytesAxisTicker::formatTick(1.25 * kGiB, 256 * kMiB), QStringLiteral("1.25 GiB"));
        QCOMPARE(BytesAxisTicker::formatTick(768 * kMiB, 256 * kMiB), QStringLiteral("768 MiB"));
        QCOMPARE(BytesAxisTicker::formatTick(64 * kKiB, 16 * kKiB), QStringLiteral("64 KiB"));
        QCOMPARE(BytesAxisTicker::formatTick(512, 128), QStringLiteral("512 B"));
        // A fine step on a large value keeps the smaller unit rather than many decimals.
        QCOMPARE(BytesAxisTicker::formatTick(kGiB + 16 * kMiB, 16 * kMiB), QStringLiteral("1040 MiB"));
        QCOMPARE(BytesAxisTicker::formatTick(2 * kMiB, kMiB, QStringLiteral("/s")), QStringLiteral("2 MiB/s"));
    }

    void bytesRateAxisHasSuffix()
    {
        BytesAxisTicker ticker(QStringLiteral("/s"));
        const QStringList labels = labelsFor(ticker, QCPRange(0, 100 * kMiB));
        QVERIFY2(labels.contains(QStringLiteral("64 MiB/s")), qPrintable(labels.join(QLatin1String(", "))));
    }

    void countsUseSiPrefixes()
    {
        QCOMPARE(CountAxisTicker::formatCount(950), QStringLiteral("950"));
        QCOMPARE(CountAxisTicker::formatCount(1500), QStringLiteral("1.5k"));
        QCOMPARE(CountAxisTicker::formatCount(2500000), QStringLiteral("2.5M"));
        QCOMPARE(CountAxisTicker::formatCount(3e9), QStringLiteral("3G"));
        QCOMPARE(CountAxisTicker::formatCount(std::nan("")), QStringLiteral("n/a"));
        CountAxisTicker percent(QStringLiteral(" %"));
        const QStringList labels = labelsFor(percent, QCPRange(0, 104));
        QVERIFY2(labels.contains(QStringLiteral("100 %")), qPrintable(labels.join(QLatin1String(", "))));
        QVERIFY(labels.contains(QStringLiteral("0 %")));
    }

    void clockLabels()
    {
        QCOMPARE(ElapsedTimeAxisTicker::formatClock(0), QStringLiteral("0:00"));
        QCOMPARE(ElapsedTimeAxisTicker::formatClock(75), QStringLiteral("1:15"));
        QCOMPARE(ElapsedTimeAxisTicker::formatClock(3725), QStringLiteral("1:02:05"));
        QCOMPARE(ElapsedTimeAxisTicker::formatClock(59.96, 1), QStringLiteral("1:00.0"));
        QCOMPARE(ElapsedTimeAxisTicker::formatClock(12.25, 1), QStringLiteral("0:12.3"));
        QCOMPARE(ElapsedTimeAxisTicker::formatClock(30, 0, true), QStringLiteral("0:00:30"));

        ElapsedTimeAxisTicker ticker;
        QVector<double> ticks;
        const QStringList labels = labelsFor(ticker, QCPRange(0, 150), &ticks);
        QVERIFY2(labels.contains(QStringLiteral("0:30")), qPrintable(labels.join(QLatin1String(", "))));
        QVERIFY(labels.contains(QStringLiteral("1:00")));
        QCOMPARE(ticks[1] - ticks[0], 30.0);
        // A day-long run: whole hours, labelled with hours.
        const QStringList day = labelsFor(ticker, QCPRange(0, 86400));
        QVERIFY2(day.contains(QStringLiteral("12:00:00")), qPrintable(day.join(QLatin1String(", "))));
    }

    void durationLabels()
    {
        QCOMPARE(ElapsedTimeAxisTicker::formatDurationTick(45), QStringLiteral("45 s"));
        QCOMPARE(ElapsedTimeAxisTicker::formatDurationTick(0.5, 1), QStringLiteral("0.5 s"));
        QCOMPARE(ElapsedTimeAxisTicker::formatDurationTick(150), QStringLiteral("2m 30s"));
        QCOMPARE(ElapsedTimeAxisTicker::formatDurationTick(120), QStringLiteral("2m"));
        QCOMPARE(ElapsedTimeAxisTicker::formatDurationTick(3900), QStringLiteral("1h 05m"));
    }
};

QTEST_MAIN(TestChartAxisTickers)
#include "tst_chartaxistickers.moc"
