#pragma once

#include <cstdint>
#include <string>

namespace buildscope {

// "512 B", "4.0 KiB", "312.4 MiB", "1.25 GiB" (binary units, as RSS is usually read).
std::string formatBytes(double bytes);
// "850 µs", "12.3 ms", "4.56 s", "3m 05s", "2h 03m".
std::string formatDuration(double seconds);

} // namespace buildscope
