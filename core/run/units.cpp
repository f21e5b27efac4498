#include "run/units.h"

#include <cmath>
#include <cstdio>

namespace buildscope {

std::string formatBytes(double bytes)
{
    if (std::isnan(bytes))
        return "n/a";
    static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    double value = bytes;
    while (std::abs(value) >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    char text[32];
    if (unit == 0)
        std::snprintf(text, sizeof text, "%.0f B", value);
    else
        std::snprintf(text, sizeof text, std::abs(value) < 10 ? "%.2f %s" : "%.1f %s", value, units[unit]);
    return text;
}

std::string formatNumber(const char* pattern, double value)
{
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

std::string formatDuration(double seconds)
{
    if (std::isnan(seconds))
        return "n/a";
    char text[32];
    if (seconds < 1e-3)
        std::snprintf(text, sizeof text, "%.0f \u00b5s", seconds * 1e6);
    else if (seconds < 1.0)
        std::snprintf(text, sizeof text, "%.1f ms", seconds * 1e3);
    else if (seconds < 60.0)
        std::snprintf(text, sizeof text, "%.2f s", seconds);
    else if (seconds < 3600.0)
        std::snprintf(text, sizeof text, "%dm %02ds", static_cast<int>(seconds / 60), static_cast<int>(seconds) % 60);
    else
        std::snprintf(
            text, sizeof text, "%dh %02dm", static_cast<int>(seconds / 3600), static_cast<int>(seconds / 60) % 60);
    return text;
}

std::string padToColumns(std::string text, std::size_t width, bool alignRight)
{
    std::size_t columns = 0;
    for (char c : text)
        columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80; // count lead bytes only
    if (columns >= width)
        return text;
    const std::string padding(width - columns, ' ');
    return alignRight ? padding + text : text + padding;
}

} // namespace buildscope
