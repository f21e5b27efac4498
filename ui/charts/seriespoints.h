#pragma once

#include "run/sampletable.h"

#include <string_view>
#include <vector>

namespace buildscope {

// One series of a sample table as (time, value) pairs, read as SampleTable::toStore() does
// for the charts: a bucket row gives its maximum where samples.csv has a max column, so
// peaks stay visible at any resolution, else its mean. NaN values (no process) are kept:
// they are the gaps of the line.
struct SeriesPoints
{
    std::vector<double> times;
    std::vector<double> values;

    // Empty when the table lacks the series.
    static SeriesPoints fromTable(const SampleTable& table, std::string_view series);

    bool empty() const noexcept { return times.empty(); }
};

} // namespace buildscope
