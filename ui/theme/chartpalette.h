#pragma once

#include "run/runresult.h"

#include <QColor>
#include <QPalette>
#include <array>
#include <cstddef>

namespace buildscope {

// Every color the charts draw with, derived from the widget palette so light and dark
// themes both read well. Series hues come from the Okabe-Ito set (distinguishable with
// the common color-vision deficiencies); only their lightness is adapted to the
// background, so a series keeps its identity across themes.
struct ChartPalette
{
    enum Hue : std::size_t
    {
        Blue,
        Vermillion,
        BluishGreen,
        ReddishPurple,
        Orange,
        SkyBlue,
        Yellow,
        HueCount
    };

    static ChartPalette fromPalette(const QPalette& palette);

    QColor series(std::size_t index) const { return seriesColors[index % seriesColors.size()]; }
    QColor status(StepStatus status) const;

    bool dark = false;
    QColor background; // plot and axis rect background
    QColor text; // titles, tick labels
    QColor axis; // axis base lines and ticks
    QColor grid;
    QColor subGrid;
    std::array<QColor, 2> bands; // alternating step spans (opaque: drawn under the grid)
    QColor failedBand; // span of a step that failed or timed out
    QColor runningBand; // span of the step running now
    QColor crosshair;
    QColor tooltipBackground;
    QColor tooltipBorder;
    std::array<QColor, HueCount> seriesColors;
};

} // namespace buildscope
