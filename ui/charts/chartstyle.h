#pragma once

#include "charts/chartpalette.h"
#include "charts/qcustomplotinclude.h"

#include <QString>

namespace buildscope {

// Look shared by every chart of the panel, so they read as one dashboard.

// Adds a header row above the axis rect: the bold title on the left and the plot's legend
// (moved out of the data area, laid out in one row) on the right. Returns the title.
QCPTextElement* addChartHeader(QCustomPlot& plot, const QString& title);

// Quiet axes: outward ticks only, no inward ticks that would sit on the data.
void styleAxisTicks(QCPAxis& axis);

// Background, axes, grid, title and legend colors from the palette.
void applyPaletteToPlot(QCustomPlot& plot, QCPTextElement* title, const ChartPalette& palette);

} // namespace buildscope
