#pragma once

#include <QColor>

namespace buildscope {

// The colour arithmetic every palette-derived colour of the dashboard is made with: one
// blend, one contrast measure, one "move toward a colour until it reads" rule.

// Mixes `from` toward `to` in sRGB; amount 0 gives `from`, 1 gives `to`. Opaque result.
QColor blendColors(const QColor& from, const QColor& to, double amount);

// WCAG 2 contrast ratio, 1 (none) to 21 (black on white).
double contrastRatio(const QColor& a, const QColor& b);

// `start`, or the first of ten steps from it toward `toward` that reaches `minimumContrast`
// against `background`; `toward` itself when none does.
QColor readableColor(const QColor& start, const QColor& toward, const QColor& background, double minimumContrast);

} // namespace buildscope
