#include "theme/palettetints.h"

#include "theme/colormath.h"

#include <QGuiApplication>

namespace buildscope {

QColor PaletteTints::accent(Tint tint)
{
    // Mid-saturation accents: blended with either a dark or a light Text they keep their hue.
    switch (tint) {
    case Tint::Error:
        return QColor(0xe5, 0x39, 0x35);
    case Tint::Success:
        return QColor(0x2e, 0xa0, 0x43);
    case Tint::Warning:
        return QColor(0xf0, 0xa0, 0x00);
    case Tint::Muted:
        break;
    }
    return {};
}

QColor PaletteTints::tint(const QPalette& palette, Tint tint)
{
    const QColor text = palette.color(QPalette::Active, QPalette::Text);
    const QColor base = palette.color(QPalette::Active, QPalette::Base);
    // Muted starts halfway between Text and Base (dimmer than text, on either theme);
    // accents start as a quarter Text. Both then move toward Text until readable.
    const QColor start = tint == Tint::Muted ? blendColors(text, base, 0.5) : blendColors(accent(tint), text, 0.25);
    return readableColor(start, text, base, kMinimumContrast);
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
