#include "models/numberformat.h"

#include "run/units.h"

#include <QLocale>
#include <cmath>

namespace buildscope {

QString formatCount(double value)
{
    if (std::isnan(value))
        return QStringLiteral("n/a");
    const bool whole = std::floor(value) == value;
    const int decimals = whole || std::abs(value) >= 100 ? 0 : 1;
    return QLocale().toString(value, 'f', decimals);
}

QString bytesText(double bytes)
{
    return QString::fromStdString(formatBytes(bytes));
}

QString durationText(double seconds)
{
    return QString::fromStdString(formatDuration(seconds));
}

} // namespace buildscope
