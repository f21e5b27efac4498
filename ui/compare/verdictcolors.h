#pragma once

#include "compare/runcomparison.h"

#include <QColor>
#include <QPalette>

namespace buildscope {

// How a comparison row is coloured: a regression's row is tinted toward red, an
// improvement's toward green, and its verdict is written in that hue, blended toward the
// palette's Text until it reads (WCAG AA) on the tinted row, so both light and dark themes
// work. Rows without a significant change keep the view's colours, the verdict muted.
struct VerdictColors
{
    QColor background; // invalid: the view's own (NoChange)
    QColor text; // the verdict (and delta) cell

    static VerdictColors forVerdict(const QPalette& palette, Verdict verdict);
};

} // namespace buildscope
