#pragma once

#include <QString>
#include <QVariant>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace buildscope::sqlvalues {

// C++ values to and from the store's SQL values, one convention everywhere:
// - unsigned 64-bit counters are stored as the signed integer with the same bits (SQLite
//   integers are signed 64-bit), so no value is lost;
// - NaN ("no value") is NULL, and NULL reads back as NaN (SQLite stores NaN as NULL anyway);
// - times are nanoseconds since the Unix epoch, exact for system_clock on every platform.

inline QVariant fromUnsigned(std::uint64_t value)
{
    return QVariant::fromValue(static_cast<qint64>(value));
}

inline QVariant fromSigned(std::int64_t value)
{
    return QVariant::fromValue(static_cast<qint64>(value));
}

inline QVariant fromDouble(double value)
{
    return std::isnan(value) ? QVariant() : QVariant(value);
}

inline QVariant fromText(const std::string& text)
{
    return QString::fromStdString(text);
}

inline QVariant fromOptional(const std::optional<int>& value)
{
    return value ? QVariant(*value) : QVariant();
}

inline QVariant fromTime(std::chrono::system_clock::time_point time)
{
    return QVariant::fromValue(
        static_cast<qint64>(std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count()));
}

inline std::uint64_t toUnsigned(const QVariant& value)
{
    return static_cast<std::uint64_t>(value.toLongLong());
}

inline std::int64_t toSigned(const QVariant& value)
{
    return static_cast<std::int64_t>(value.toLongLong());
}

inline double toDouble(const QVariant& value)
{
    return value.isNull() ? std::numeric_limits<double>::quiet_NaN() : value.toDouble();
}

inline std::string toText(const QVariant& value)
{
    return value.toString().toStdString();
}

inline std::optional<int> toOptional(const QVariant& value)
{
    if (value.isNull())
        return std::nullopt;
    return value.toInt();
}

inline std::chrono::system_clock::time_point toTime(const QVariant& value)
{
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::nanoseconds(value.toLongLong())));
}

} // namespace buildscope::sqlvalues
