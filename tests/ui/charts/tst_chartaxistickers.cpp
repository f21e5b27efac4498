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

    void subSecondTicksAreExact_data()
    {
        QTest::addColumn<double>("span");
        // The issue: ticks every 0.25 s labelled "0.3 s, 0.5 s, 0.8 s".
        for (const double span : {1.25, 1.2, 0.9, 0.5, 0.3, 0.12, 0.05, 0.02})
            QTest::newRow(qPrintable(QString::number(span))) << span;
    }

    void subSecondTicksAreExact()
    {
        QFETCH(double, span);
        ElapsedTimeAxisTicker ticker;
        QVector<double> ticks;
        const QStringList labels = labelsFor(ticker, QCPRange(0, span), &ticks);
        QVERIFY(ticks.size() >= 2);
        const double step = ticks[1] - ticks[0];
        // 1, 2 or 5 of a power of ten: steps one adds up at a glance.
        const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
        QVERIFY2(std::abs(mantissa - 1) < 1e-6 || std::abs(mantissa - 2) < 1e-6 || std::abs(mantissa - 5) < 1e-6,
            qPrintable(QString::number(step)));
        // Every label says its tick exactly: no decimal rounded away.
        for (int i = 0; i < ticks.size(); ++i) {
            const QString seconds = labels[i].section(QLatin1Char(':'), -1);
            const double minutes = labels[i].section(QLatin1Char(':'), 0, 0).toDouble();
            QVERIFY2(std::abs(minutes * 60 + seconds.toDouble() - ticks[i]) < 1e-9,
                qPrintable(labels[i] + QStringLiteral(" for ") + QString::number(ticks[i])));
        }
    }
};

QTEST_MAIN(TestChartAxisTickers)
#include "tst_chartaxistickers.moc"
