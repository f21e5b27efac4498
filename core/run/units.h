#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace buildscope {

// "512 B", "4.0 KiB", "312.4 MiB", "1.25 GiB" (binary units, as RSS is usually read).
std::string formatBytes(double bytes);
// "850 µs", "12.3 ms", "4.56 s", "3m 05s", "2h 03m".
std::string formatDuration(double seconds);

// One number through a printf pattern ("%.1f", "%+.2f %%"): the report formats' figures.
std::string formatNumber(const char* pattern, double value);

// `text` padded with spaces to `width` terminal columns (UTF-8 aware: "µs" is 2 bytes,
// 2 columns), on the right (left-aligned text) or on the left (right-aligned).
std::string padToColumns(std::string text, std::size_t width, bool alignRight = false);

} // namespace buildscope
