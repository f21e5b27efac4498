#include "compare/verdictcolors.h"

#include "theme/colormath.h"
#include "theme/palettetints.h"

namespace buildscope {

VerdictColors VerdictColors::forVerdict(const QPalette& palette, Verdict verdict)
{
    VerdictColors colors;
    if (verdict == Verdict::NoChange) {
        colors.text = PaletteTints::tint(palette, PaletteTints::Tint::Muted);
        return colors;
    }
    const PaletteTints::Tint tint = verdict == Verdict::Regression ? PaletteTints::Tint::Error
        : verdict == Verdict::Unknown                               ? PaletteTints::Tint::Warning
                                                                    : PaletteTints::Tint::Success;
    // The tints' saturated accents: a little of them is a clear wash of red or green, where
    // the text tints (already blended toward Text) would only grey the row.
    const QColor base = palette.color(QPalette::Active, QPalette::Base);
    const bool dark = base.lightnessF() < 0.5f;
    colors.background = blendColors(base, PaletteTints::accent(tint), dark ? 0.22 : 0.12); // a dark base needs more
    QPalette onTint = palette;
    onTint.setColor(QPalette::Active, QPalette::Base, colors.background);
    colors.text = PaletteTints::tint(onTint, tint);
    return colors;
}

} // namespace buildscope
