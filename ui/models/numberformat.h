#pragma once

#include <QString>

namespace buildscope {

// Numbers as every table, chart label and status line of the dashboard writes them.

// Counts and per-operation averages: grouped digits ("12,345"), one decimal for small
// fractional values ("2.5"), "n/a" for NaN.
QString formatCount(double value);
// formatBytes() ("312.4 MiB", binary units) and formatDuration() ("4.56 s", "3m 05s") as
// QString; "n/a" for NaN.
QString bytesText(double bytes);
QString durationText(double seconds);

} // namespace buildscope
