#include "charts/elapsedtimeaxisticker.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace buildscope {

namespace {
// Steps a reader can add up in their head on a clock face.
constexpr std::array<double, 21> kClockSteps {
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 14400, 21600, 43200, 86400, 172800};
} // namespace

QString ElapsedTimeAxisTicker::formatClock(double seconds, int decimals, bool withHours)
{
    if (std::isnan(seconds))
        return QStringLiteral("n/a");
    const bool negative = seconds < 0;
    const double scale = std::pow(10.0, decimals);
    // Round once, in units of the last printed digit, so 59.96 s prints "1:00.0" not "0:60.0".
    const auto units = static_cast<long long>(std::llround(std::abs(seconds) * scale));
    const auto perSecond = static_cast<long long>(std::llround(scale));
    const long long whole = units / perSecond;
    const long long fraction = units % perSecond;
    const long long hours = whole / 3600;
    const long long minutes = (whole / 60) % 60;
    const long long secs = whole % 60;
    QString text = negative ? QStringLiteral("-") : QString();
    if (hours > 0 || withHours)
        text += QStringLiteral("%1:%2:%3")
                    .arg(hours)
                    .arg(minutes, 2, 10, QLatin1Char('0'))
                    .arg(secs, 2, 10, QLatin1Char('0'));
    else
        text += QStringLiteral("%1:%2").arg(minutes).arg(secs, 2, 10, QLatin1Char('0'));
    if (decimals > 0)
        text += QStringLiteral(".%1").arg(fraction, decimals, 10, QLatin1Char('0'));
    return text;
}

double ElapsedTimeAxisTicker::getTickStep(const QCPRange& range)
{
    m_withHours = std::max(std::abs(range.lower), std::abs(range.upper)) >= 3600;
    const double ideal = range.size() / std::max(1, tickCount());
    if (ideal < 0.75) {
        // Below a second: 1, 2 or 5 of a power of ten, never 2.5 (whose last digit one
        // decimal fewer would round away), down to milliseconds.
        const double magnitude = std::pow(10.0, std::floor(std::log10(std::max(ideal, 1e-3))));
        const double mantissa = ideal / magnitude;
        const double step = magnitude * (mantissa < 1.5 ? 1 : mantissa < 3.5 ? 2 : mantissa < 7.5 ? 5 : 10);
        m_decimals = std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 1, 3);
        return step;
    }
    m_decimals = 0;
    if (ideal > kClockSteps.back())
        return std::ceil(ideal / 86400) * 86400; // whole days
    return pickClosest(ideal, QVector<double>(kClockSteps.begin(), kClockSteps.end()));
}

int ElapsedTimeAxisTicker::getSubTickCount(double tickStep)
{
    // Sub-ticks on whole sub-units: 1 min -> 15 s, 5 min -> 1 min, 1 h -> 15 min.
    const double minutes = tickStep / 60;
    if (tickStep < 1)
        return QCPAxisTicker::getSubTickCount(tickStep);
    if (tickStep == 15 || tickStep == 30 || tickStep == 900 || tickStep == 1800)
        return 2;
    if (tickStep == 60 || tickStep == 3600 || tickStep == 120 || tickStep == 7200)
        return 3;
    if (tickStep == 10 || tickStep == 600 || tickStep == 2)
        return 1;
    if (tickStep == 5 || tickStep == 300 || tickStep == 1)
        return 4;
    return minutes >= 60 ? 2 : 1;
}

QString ElapsedTimeAxisTicker::getTickLabel(double tick, const QLocale&, QChar, int)
{
    if (std::abs(tick) < 1e-9)
        tick = 0;
    return formatClock(tick, m_decimals, m_withHours);
}

} // namespace buildscope
