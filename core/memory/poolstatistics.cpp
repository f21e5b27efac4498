#include "memory/poolstatistics.h"

#include <cstdio>

namespace buildscope {

std::string formatHitRate(const PoolStatistics& statistics)
{
    const std::optional<double> rate = statistics.hitRate();
    if (!rate)
        return "n/a";
    char text[16];
    std::snprintf(text, sizeof text, "%.1f%%", *rate * 100.0);
    return text;
}

} // namespace buildscope
