#include "charts/seriespoints.h"

#include <algorithm>
#include <cmath>

namespace buildscope {

SeriesPoints SeriesPoints::fromTable(const SampleTable& table, std::string_view series)
{
    SeriesPoints points;
    const auto spec = std::find_if(
        table.series.begin(), table.series.end(), [series](const SeriesSpec& s) { return s.name == series; });
    if (spec == table.series.end())
        return points;
    const auto column = static_cast<std::size_t>(spec - table.series.begin());
    const auto maxColumn = std::find(table.maxColumns.begin(), table.maxColumns.end(), series);
    const auto maxIndex = static_cast<std::size_t>(maxColumn - table.maxColumns.begin());
    const bool hasMax = maxColumn != table.maxColumns.end();
    points.times.reserve(table.rows.size());
    points.values.reserve(table.rows.size());
    for (const SampleTable::Row& row : table.rows) {
        double value = column < row.values.size() ? row.values[column] : std::nan("");
        if (hasMax && maxIndex < row.maxima.size() && !std::isnan(row.maxima[maxIndex]))
            value = row.maxima[maxIndex];
        points.times.push_back(row.seconds);
        points.values.push_back(value);
    }
    return points;
}

} // namespace buildscope
