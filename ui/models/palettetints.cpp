#include "models/palettetints.h"

#include <QGuiApplication>
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

QColor mix(const QColor& from, const QColor& to, double amount)
{
    const QColor a = from.toRgb();
    const QColor b = to.toRgb();
    const auto channel = [amount](float x, float y) { return static_cast<float>(x + (y - x) * amount); };
    return QColor::fromRgbF(
        channel(a.redF(), b.redF()), channel(a.greenF(), b.greenF()), channel(a.blueF(), b.blueF()));
}

// Mid-saturation accents: blended with either a dark or a light Text they keep their hue.
QColor accent(PaletteTints::Tint tint)
{
    switch (tint) {
    case PaletteTints::Tint::Error:
        return QColor(0xe5, 0x39, 0x35);
    case PaletteTints::Tint::Success:
        return QColor(0x2e, 0xa0, 0x43);
    case PaletteTints::Tint::Warning:
        return QColor(0xf0, 0xa0, 0x00);
    case PaletteTints::Tint::Muted:
        break;
    }
    return {};
}

} // namespace

double PaletteTints::contrastRatio(const QColor& a, const QColor& b)
{
    const double la = relativeLuminance(a);
    const double lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor PaletteTints::tint(const QPalette& palette, Tint tint)
{
    const QColor text = palette.color(QPalette::Active, QPalette::Text);
    const QColor base = palette.color(QPalette::Active, QPalette::Base);
    // Muted starts halfway between Text and Base (dimmer than text, on either theme);
    // accents start as a quarter Text. Both then move toward Text until readable.
    const QColor start = tint == Tint::Muted ? mix(text, base, 0.5) : mix(accent(tint), text, 0.25);
    for (int step = 0; step <= 10; ++step) {
        const QColor candidate = mix(start, text, step / 10.0);
        if (contrastRatio(candidate, base) >= kMinimumContrast)
            return candidate;
    }
    return text;
}

QColor PaletteTints::color(Tint which)
{
    const QPalette palette = QGuiApplication::palette();
    if (!m_valid || palette.color(QPalette::Active, QPalette::Text) != m_text
        || palette.color(QPalette::Active, QPalette::Base) != m_base)
        refresh(palette);
    return m_colors[static_cast<int>(which)];
}

void PaletteTints::refresh(const QPalette& palette)
{
    m_text = palette.color(QPalette::Active, QPalette::Text);
    m_base = palette.color(QPalette::Active, QPalette::Base);
    for (const Tint which : {Tint::Error, Tint::Success, Tint::Warning, Tint::Muted})
        m_colors[static_cast<int>(which)] = tint(palette, which);
    m_valid = true;
}

} // namespace buildscope
