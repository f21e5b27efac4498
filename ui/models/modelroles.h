#pragma once

#include <Qt>

namespace buildscope {

// The role every BuildScope table answers with the raw value of a cell (a double, NaN
// when unknown, or a string), so sort proxies never parse formatted text like "1.2 MiB".
inline constexpr int kSortRole = Qt::UserRole + 1;

} // namespace buildscope
