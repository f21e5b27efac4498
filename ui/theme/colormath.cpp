#include "theme/colormath.h"

#include <algorithm>
#include <cmath>

namespace buildscope {

namespace {

double linearChannel(double value)
{
    return value <= 0.04045 ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4);
}

double relativeLuminance(const QColor& color)
{
    const QColor rgb = color.toRgb();
    return 0.2126 * linearChannel(rgb.redF()) + 0.7152 * linearChannel(rgb.greenF())
        + 0.0722 * linearChannel(rgb.blueF());
}

} // namespace

QColor blendColors(const QColor& from, const QColor& to, double amount)
{
    const QColor a = from.toRgb();
    const QColor b = to.toRgb();
    const auto channel = [amount](float x, float y) { return static_cast<float>(x + (y - x) * amount); };
    return QColor::fromRgbF(
        channel(a.redF(), b.redF()), channel(a.greenF(), b.greenF()), channel(a.blueF(), b.blueF()));
}

double contrastRatio(const QColor& a, const QColor& b)
{
    const double la = relativeLuminance(a);
    const double lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor readableColor(const QColor& start, const QColor& toward, const QColor& background, double minimumContrast)
{
    for (int step = 0; step <= 10; ++step) {
        const QColor candidate = blendColors(start, toward, step / 10.0);
        if (contrastRatio(candidate, background) >= minimumContrast)
            return candidate;
    }
    return toward;
}

} // namespace buildscope
