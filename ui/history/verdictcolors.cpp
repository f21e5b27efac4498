#include "history/verdictcolors.h"

#include "models/palettetints.h"

namespace buildscope {

namespace {

QColor blend(const QColor& from, const QColor& to, double amount)
{
    const QColor a = from.toRgb();
    const QColor b = to.toRgb();
    const auto channel = [amount](float x, float y) { return static_cast<float>(x + (y - x) * amount); };
    return QColor::fromRgbF(
        channel(a.redF(), b.redF()), channel(a.greenF(), b.greenF()), channel(a.blueF(), b.blueF()));
}

} // namespace

VerdictColors VerdictColors::forVerdict(const QPalette& palette, Verdict verdict)
{
    VerdictColors colors;
    if (verdict == Verdict::NoChange) {
        colors.text = PaletteTints::tint(palette, PaletteTints::Tint::Muted);
        return colors;
    }
    const PaletteTints::Tint tint
        = verdict == Verdict::Regression ? PaletteTints::Tint::Error : PaletteTints::Tint::Success;
    // PaletteTints' accents at full saturation: a little of them is a clear wash of red or
    // green, where the text tints (already blended toward Text) would only grey the row.
    const QColor accent = verdict == Verdict::Regression ? QColor(0xe5, 0x39, 0x35) : QColor(0x2e, 0xa0, 0x43);
    const QColor base = palette.color(QPalette::Active, QPalette::Base);
    const bool dark = base.lightnessF() < 0.5f;
    colors.background = blend(base, accent, dark ? 0.22 : 0.12); // a dark base needs more to show at all
    QPalette onTint = palette;
    onTint.setColor(QPalette::Active, QPalette::Base, colors.background);
    colors.text = PaletteTints::tint(onTint, tint);
    return colors;
}

} // namespace buildscope
