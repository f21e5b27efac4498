#pragma once

#include "charts/qcustomplotinclude.h"
#include "theme/chartpalette.h"

#include <QString>

namespace buildscope {

// Look shared by every chart of the panel, so they read as one dashboard.

// Adds a header row above the axis rect: the bold title on the left and the plot's legend
// (moved out of the data area) on the right, in one row while both fit. On a narrow plot
// the legend wraps onto more rows and, failing that, the title is elided: neither is ever
// cut off mid-word by the plot's edge. Returns the title.
QCPTextElement* addChartHeader(QCustomPlot& plot, const QString& title);

// Changes a header's title (use this rather than QCPTextElement::setText, which would take
// an elided title for the whole one).
void setChartTitle(QCPTextElement& title, const QString& text);

// Quiet axes: outward ticks only, no inward ticks that would sit on the data.
void styleAxisTicks(QCPAxis& axis);

// Background, axes, grid, title and legend colors from the palette.
void applyPaletteToPlot(QCustomPlot& plot, QCPTextElement* title, const ChartPalette& palette);

} // namespace buildscope
