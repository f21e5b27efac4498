#include "charts/graphlookup.h"

#include <cmath>
#include <limits>

namespace buildscope {

double graphValueAt(const QCPGraphDataContainer& data, double key, double tolerance)
{
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    if (data.isEmpty() || std::isnan(key))
        return kNaN;
    auto after = data.findBegin(key, false); // first point with key >= `key`
    auto nearest = after;
    if (after == data.constEnd() || (after != data.constBegin() && key - (after - 1)->key <= after->key - key))
        nearest = after - 1;
    if (std::abs(nearest->key - key) > tolerance)
        return kNaN;
    return nearest->value;
}

} // namespace buildscope
