#pragma once

#include <QVariant>

namespace buildscope {

// The horizontal header every BuildScope table shows: the column title, its description
// (with units) as tooltip, numeric columns right-aligned like their cells.
QVariant tableHeaderData(int role, const char* title, const char* description, bool numeric);

} // namespace buildscope
