#include "charts/countaxisticker.h"

#include <cmath>

namespace buildscope {

CountAxisTicker::CountAxisTicker(QString suffix)
    : m_suffix(std::move(suffix))
{ }

QString CountAxisTicker::formatCount(double value, int maxDecimals)
{
    if (std::isnan(value))
        return QStringLiteral("n/a");
    const double magnitude = std::abs(value);
    const char* prefix = "";
    double scale = 1;
    if (magnitude >= 1e9) {
        prefix = "G";
        scale = 1e9;
    } else if (magnitude >= 1e6) {
        prefix = "M";
        scale = 1e6;
    } else if (magnitude >= 1e3) {
        prefix = "k";
        scale = 1e3;
    }
    QString number = QString::number(value / scale, 'f', maxDecimals);
    if (number.contains(QLatin1Char('.'))) {
        while (number.endsWith(QLatin1Char('0')))
            number.chop(1);
        if (number.endsWith(QLatin1Char('.')))
            number.chop(1);
    }
    if (number == QLatin1String("-0"))
        number = QStringLiteral("0");
    return number + QLatin1String(prefix);
}

QString CountAxisTicker::getTickLabel(double tick, const QLocale&, QChar, int)
{
    // Ticks are multiples of a decimal step; floating error can leave -1e-17 for zero.
    if (std::abs(tick) < 1e-9)
        tick = 0;
    return formatCount(tick, 2) + m_suffix;
}

} // namespace buildscope
