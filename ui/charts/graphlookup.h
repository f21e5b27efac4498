#pragma once

#include "charts/qcustomplotinclude.h"

namespace buildscope {

// The value of the point nearest to `key` (binary search, the container is sorted), or
// NaN when the container is empty, the nearest point is further than `tolerance` away
// (in key units), or its value is NaN (a gap). Used by the crosshair.
double graphValueAt(const QCPGraphDataContainer& data, double key, double tolerance);

} // namespace buildscope
