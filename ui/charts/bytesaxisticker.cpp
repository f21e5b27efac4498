#include "charts/bytesaxisticker.h"

#include <array>
#include <cmath>

namespace buildscope {

namespace {
constexpr std::array<const char*, 5> kUnits {"B", "KiB", "MiB", "GiB", "TiB"};

// Fewest decimals (at most `maxDecimals`) that print `value` exactly.
QString trimmedNumber(double value, int maxDecimals)
{
    int decimals = 0;
    double scale = 1;
    while (decimals < maxDecimals && std::abs(std::round(value * scale) - value * scale) > 1e-6) {
        ++decimals;
        scale *= 10;
    }
    return QString::number(value, 'f', decimals);
}
} // namespace

BytesAxisTicker::BytesAxisTicker(QString suffix)
    : m_suffix(std::move(suffix))
{ }

QString BytesAxisTicker::formatTick(double bytes, double step, const QString& suffix)
{
    if (bytes == 0)
        return QStringLiteral("0");
    const double magnitude = std::abs(bytes);
    std::size_t unit = 0;
    double unitBytes = 1;
    while (unit + 1 < kUnits.size() && magnitude >= unitBytes * 1024 && step >= unitBytes * 1024 / 8) {
        unitBytes *= 1024;
        ++unit;
    }
    return trimmedNumber(bytes / unitBytes, unit == 0 ? 0 : 3) + QLatin1Char(' ') + QLatin1String(kUnits[unit])
        + suffix;
}

double BytesAxisTicker::getTickStep(const QCPRange& range)
{
    const double ideal = range.size() / std::max(1, tickCount());
    m_step = ideal >= 1 ? std::exp2(std::round(std::log2(ideal))) : 1.0;
    return m_step;
}

int BytesAxisTicker::getSubTickCount(double tickStep)
{
    return tickStep >= 4 ? 3 : 0; // quarters of a power of two are still whole sizes
}

QString BytesAxisTicker::getTickLabel(double tick, const QLocale&, QChar, int)
{
    return formatTick(tick, m_step, m_suffix);
}

} // namespace buildscope
