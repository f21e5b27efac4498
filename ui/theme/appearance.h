#pragma once

#include <QString>

namespace buildscope {

// Light or dark: the system's choice, or one the user picked in Preferences (or with
// --dark-palette for one session). Every colour of the dashboard derives from the
// application palette set here; widgets and models recompute theirs on
// QEvent::PaletteChange.
enum class Appearance
{
    System,
    Light,
    Dark
};

// Sets the application palette: the platform's for System, the style's standard
// (light) palette for Light, darkPalette() for Dark.
void applyAppearance(Appearance appearance);

// "system", "light", "dark": the words QSettings stores.
QString appearanceName(Appearance appearance);
// System for anything else.
Appearance appearanceFromName(const QString& name);

} // namespace buildscope
