#include "theme/chartpalette.h"

#include "theme/colormath.h"

#include <algorithm>

namespace buildscope {

namespace {
// Okabe & Ito, "Color Universal Design" (2002).
constexpr std::array<QRgb, ChartPalette::HueCount> kOkabeIto {
    qRgb(0, 114, 178), // blue
    qRgb(213, 94, 0), // vermillion
    qRgb(0, 158, 115), // bluish green
    qRgb(204, 121, 167), // reddish purple
    qRgb(230, 159, 0), // orange
    qRgb(86, 180, 233), // sky blue
    qRgb(240, 228, 66), // yellow
};

// Keeps the hue and saturation, moves lightness into a band that contrasts with the
// background: thin 1 px lines need more contrast than the fills the hues were designed for.
QColor adaptToBackground(QColor color, bool darkBackground)
{
    float hue = 0;
    float saturation = 0;
    float lightness = 0;
    color.getHslF(&hue, &saturation, &lightness);
    if (darkBackground) {
        // Lighter for contrast, a little less saturated so large fills (bars) do not glare.
        lightness = std::clamp(lightness + 0.18f, 0.55f, 0.70f);
        saturation *= 0.85f;
    } else {
        lightness = std::clamp(lightness, 0.28f, 0.44f);
    }
    return QColor::fromHslF(hue, saturation, lightness);
}
} // namespace

ChartPalette ChartPalette::fromPalette(const QPalette& palette)
{
    ChartPalette result;
    result.background = palette.color(QPalette::Active, QPalette::Base);
    result.text = palette.color(QPalette::Active, QPalette::Text);
    result.dark = result.background.lightnessF() < 0.5f;
    result.axis = blendColors(result.background, result.text, 0.55);
    result.grid = blendColors(result.background, result.text, result.dark ? 0.16 : 0.12);
    result.subGrid = blendColors(result.background, result.text, result.dark ? 0.08 : 0.06);
    result.bands = {blendColors(result.background, result.text, result.dark ? 0.07 : 0.045),
        blendColors(result.background, result.text, result.dark ? 0.12 : 0.085)};
    result.crosshair = blendColors(result.background, result.text, 0.6);
    result.tooltipBackground = palette.color(QPalette::Active, QPalette::ToolTipBase);
    // Some styles leave ToolTipBase light under a dark scheme; the label must match the plot.
    if ((result.tooltipBackground.lightnessF() < 0.5f) != result.dark)
        result.tooltipBackground = blendColors(result.background, result.text, 0.06);
    result.tooltipBackground.setAlpha(235); // a small item: the blend is cheap and keeps context
    result.tooltipBorder = blendColors(result.background, result.text, 0.35);
    for (std::size_t i = 0; i < kOkabeIto.size(); ++i)
        result.seriesColors[i] = adaptToBackground(QColor(kOkabeIto[i]), result.dark);
    result.failedBand = blendColors(result.background, result.seriesColors[Vermillion], result.dark ? 0.13 : 0.10);
    result.runningBand = blendColors(result.background, result.seriesColors[SkyBlue], result.dark ? 0.12 : 0.10);
    return result;
}

QColor ChartPalette::status(StepStatus stepStatus) const
{
    // Status colors fill bars: on a dark background the line hues are too bright for areas.
    auto fill = [this](Hue hue) { return dark ? blendColors(seriesColors[hue], background, 0.25) : seriesColors[hue]; };
    switch (stepStatus) {
    case StepStatus::Succeeded:
        return fill(BluishGreen);
    case StepStatus::Failed:
        return fill(Vermillion);
    case StepStatus::TimedOut:
        return fill(Orange);
    case StepStatus::Running:
        return fill(SkyBlue);
    case StepStatus::Cancelled:
        return blendColors(background, text, 0.45);
    case StepStatus::Skipped:
    case StepStatus::Pending:
    case StepStatus::NotRun:
        return blendColors(background, text, 0.28);
    }
    return text;
}

} // namespace buildscope
