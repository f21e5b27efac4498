#include "trends/commitorder.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <numeric>
#include <string>
#include <tuple>

namespace buildscope {

namespace {

bool number(std::string_view text, std::size_t at, std::size_t digits, int& value)
{
    if (at + digits > text.size())
        return false;
    const char* begin = text.data() + at;
    const auto [end, error] = std::from_chars(begin, begin + digits, value);
    return error == std::errc() && end == begin + digits;
}

} // namespace

std::optional<std::chrono::system_clock::time_point> parseCommitTime(std::string_view text)
{
    // YYYY-MM-DDTHH:MM:SS then Z or +HH:MM / -HH:MM (git's %cI, for labels given by hand).
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
        || !number(text, 0, 4, year) || !number(text, 5, 2, month) || !number(text, 8, 2, day)
        || !number(text, 11, 2, hour) || !number(text, 14, 2, minute) || !number(text, 17, 2, second))
        return std::nullopt;
    int offsetMinutes = 0;
    const std::string_view zone = text.substr(19);
    if (zone != "Z") {
        int offsetHours = 0, offsetMins = 0;
        if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' || !number(zone, 1, 2, offsetHours)
            || !number(zone, 4, 2, offsetMins))
            return std::nullopt;
        offsetMinutes = (zone[0] == '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
    }
    const std::chrono::year_month_day date {std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
        std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok() || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    const auto time = std::chrono::sys_days(date) + std::chrono::hours(hour) + std::chrono::minutes(minute)
        + std::chrono::seconds(second) - std::chrono::minutes(offsetMinutes);
    return std::chrono::time_point_cast<std::chrono::system_clock::duration>(time);
}

std::vector<std::size_t> commitOrder(const std::vector<MetricRun>& runs)
{
    using Time = std::chrono::system_clock::time_point;
    // Where each commit goes: its committer time (from any of its runs; the earliest if
    // they disagree), else the first start among its runs.
    std::map<std::string, Time> committed;
    std::map<std::string, Time> firstStart;
    for (const MetricRun& run : runs) {
        if (run.commit.empty())
            continue;
        if (const std::optional<Time> time = parseCommitTime(run.commitTime)) {
            const auto [it, inserted] = committed.try_emplace(run.commit, *time);
            it->second = std::min(it->second, *time);
        }
        const auto [it, inserted] = firstStart.try_emplace(run.commit, run.startedAt);
        it->second = std::min(it->second, run.startedAt);
    }
    std::vector<Time> place(runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const MetricRun& run = runs[i];
        if (run.commit.empty())
            place[i] = run.startedAt;
        else if (const auto it = committed.find(run.commit); it != committed.end())
            place[i] = it->second;
        else
            place[i] = firstStart.at(run.commit);
    }
    std::vector<std::size_t> order(runs.size());
    std::iota(order.begin(), order.end(), std::size_t {0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const MetricRun& ra = runs[a];
        const MetricRun& rb = runs[b];
        return std::tie(place[a], ra.commit, ra.startedAt, ra.id) < std::tie(place[b], rb.commit, rb.startedAt, rb.id);
    });
    return order;
}

} // namespace buildscope
