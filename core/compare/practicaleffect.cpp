#include "compare/practicaleffect.h"

#include <cmath>

namespace buildscope {

double minimumEffect(const std::string& metric)
{
    if (metric == "wall_s" || metric == "cpu_s" || metric == "duration_s")
        return 0.1;
    if (metric == "peak_rss_bytes" || metric == "tree_peak_rss_bytes" || metric == "engine_peak_rss_bytes"
        || metric == "heap_peak_live_bytes")
        return 1024.0 * 1024.0;
    if (metric == "hit_rate")
        return 0.01;
    return 0;
}

bool isPracticalChange(const std::string& metric, double before, double after, double thresholdPercent)
{
    if (std::isnan(before) || std::isnan(after))
        return false;
    const double difference = std::abs(after - before);
    if (difference == 0 || difference < minimumEffect(metric))
        return false;
    if (before == 0)
        return true;
    return difference / std::abs(before) * 100.0 >= thresholdPercent;
}

} // namespace buildscope
