#pragma once

#include <string>

namespace buildscope {

// The smallest change of a metric that means anything on a real machine, in the metric's
// unit, whatever the statistics say: below it a "significant" change is the machine's.
//  - time (wall_s, cpu_s, duration_s): 0.1 s. CPU time is counted in clock ticks of 10 ms
//    and a 10 ms process's wall time moves by several ms with the scheduler; a change of
//    a tick on a short process ("cpu_s -100 %, 10.0 ms -> 0 us") is no change.
//  - resident memory (peak_rss_bytes, tree_peak_rss_bytes, engine_peak_rss_bytes,
//    heap_peak_live_bytes): 1 MiB. A process's peak moves by tens to hundreds of KiB with
//    address-space layout, environment size and allocator arenas.
//  - hit_rate: 1 percentage point.
//  - counts and bytes the engine counts exactly: 0 (the relative threshold alone).
double minimumEffect(const std::string& metric);

// Whether a move of a metric's median from `before` to `after` is large enough to report:
// at least minimumEffect(metric) in the metric's unit and at least thresholdPercent of
// |before| (any move when before is 0).
bool isPracticalChange(const std::string& metric, double before, double after, double thresholdPercent);

} // namespace buildscope
