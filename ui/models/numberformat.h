#pragma once

#include <QString>

namespace buildscope {

// Counts and per-operation averages for table cells: grouped digits ("12,345"), one
// decimal for small fractional values ("2.5"), "n/a" for NaN.
QString formatCount(double value);

} // namespace buildscope
