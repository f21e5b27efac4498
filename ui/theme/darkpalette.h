#pragma once

#include <QPalette>

namespace buildscope {

// The dashboard's dark palette (`buildscope-gui --dark-palette`, the dark screenshots).
// The widget tests check that tints, verdict colours and charts stay readable on this
// same palette, so what they prove holds for what users see.
QPalette darkPalette();

} // namespace buildscope
