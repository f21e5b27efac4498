#include "trends/trendformat.h"

#include "compare/comparisonformat.h"
#include "report/csvwriter.h"
#include "run/units.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace buildscope {

namespace {

std::string shortCommit(const std::string& commit)
{
    return commit.empty() ? "-" : commit.substr(0, 12);
}

std::string percent(double relative)
{
    return std::isnan(relative) ? "new" : formatNumber("%+.1f%%", relative * 100.0);
}

// A shift in the metric's unit with its sign: "+126.0 MiB".
std::string signedValue(double value, const std::string& unit)
{
    return (value < 0 ? "-" : "+") + formatMetricValue(std::abs(value), unit);
}

// Every change with the points either side of it.
struct ChangeRow
{
    const TrendSeries* series;
    const ChangePoint* change;
    const TrendPoint& before() const { return series->points[change->index - 1]; }
    const TrendPoint& after() const { return series->points[change->index]; }
};

std::vector<ChangeRow> rowsOf(const std::vector<TrendSeries>& trends)
{
    std::vector<ChangeRow> rows;
    for (const TrendSeries& series : trends) {
        for (const ChangePoint& change : series.changes)
            rows.push_back({&series, &change});
    }
    return rows;
}

void pad(std::string& line, const std::string& text, std::size_t width)
{
    line += text;
    if (text.size() < width)
        line.append(width - text.size(), ' ');
    line += "  ";
}

} // namespace

const std::vector<std::string>& changeColumns()
{
    static const std::vector<std::string> columns {"spec", "key", "metric", "unit", "before_commit", "after_commit",
        "before_run", "after_run", "before_median", "after_median", "relative_change_percent", "shift", "shift_low",
        "shift_high", "shift_confidence", "p", "runs_before", "runs_after", "positions", "adjusted_p"};
    return columns;
}

std::string formatChangesText(const std::vector<TrendSeries>& trends, const ChangePointOptions& options)
{
    const std::vector<ChangeRow> rows = rowsOf(trends);
    std::vector<std::vector<std::string>> table;
    table.push_back({"spec", "key", "metric", "change", "median before -> after", "shift [95% CI]", "p", "q",
        "last before", "first after"});
    for (const ChangeRow& row : rows) {
        const ChangePoint& change = *row.change;
        const std::string& unit = row.series->unit;
        std::string shift = signedValue(change.shift.shift, unit) + " [" + signedValue(change.shift.low, unit) + ", "
            + signedValue(change.shift.high, unit) + "]";
        if (change.shift.confidence < 0.949)
            shift += formatNumber(" %.0f%%", change.shift.confidence * 100.0);
        table.push_back({row.series->spec, row.series->key, row.series->metric, percent(change.relativeChange),
            formatMetricValue(change.beforeMedian, unit) + " -> " + formatMetricValue(change.afterMedian, unit), shift,
            change.p < 0.0001 ? "<0.0001" : formatNumber("%.4f", change.p),
            change.adjustedP < 0.0001 ? "<0.0001" : formatNumber("%.4f", change.adjustedP),
            shortCommit(row.before().commit) + " (run " + std::to_string(row.before().runId) + ")",
            shortCommit(row.after().commit) + " (run " + std::to_string(row.after().runId) + ")"});
    }
    std::ostringstream out;
    if (!rows.empty()) {
        std::vector<std::size_t> widths(table.front().size(), 0);
        for (const auto& line : table) {
            for (std::size_t i = 0; i < line.size(); ++i)
                widths[i] = std::max(widths[i], line[i].size());
        }
        for (const auto& line : table) {
            std::string text;
            for (std::size_t i = 0; i < line.size(); ++i)
                pad(text, line[i], i + 1 < line.size() ? widths[i] : 0);
            while (!text.empty() && text.back() == ' ')
                text.pop_back();
            out << text << '\n';
        }
    }
    std::size_t points = 0;
    for (const TrendSeries& series : trends)
        points += series.points.size();
    out << rows.size() << (rows.size() == 1 ? " change" : " changes") << " in " << trends.size()
        << (trends.size() == 1 ? " series" : " series") << " (" << points << " values; alpha "
        << formatNumber("%g", options.alpha)
        << " over every series and commit: q is Benjamini-Hochberg over the series of p times the commits searched"
        << "; threshold " << formatNumber("%g", options.thresholdPercent) << "% and the metric's floor, min segment "
        << options.minSegment << ")\n";
    return out.str();
}

void writeChangesCsv(const std::vector<TrendSeries>& trends, std::ostream& out)
{
    CsvWriter csv(out);
    for (const std::string& column : changeColumns())
        csv.field(column);
    csv.endRow();
    for (const ChangeRow& row : rowsOf(trends)) {
        const ChangePoint& change = *row.change;
        csv.field(row.series->spec).field(row.series->key).field(row.series->metric).field(row.series->unit);
        csv.field(row.before().commit).field(row.after().commit);
        csv.field(row.before().runId).field(row.after().runId);
        csv.field(change.beforeMedian).field(change.afterMedian).field(change.relativeChange * 100.0);
        csv.field(change.shift.shift).field(change.shift.low).field(change.shift.high).field(change.shift.confidence);
        csv.field(change.p).field(static_cast<std::uint64_t>(change.segmentBefore));
        csv.field(static_cast<std::uint64_t>(change.segmentAfter)).field(static_cast<std::uint64_t>(change.positions));
        csv.field(change.adjustedP).endRow();
    }
}

std::string changesJson(const std::vector<TrendSeries>& trends, const ChangePointOptions& options)
{
    auto number = [](double value) { return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null); };
    QJsonArray changes;
    for (const ChangeRow& row : rowsOf(trends)) {
        const ChangePoint& change = *row.change;
        QJsonObject object;
        object[QStringLiteral("spec")] = QString::fromStdString(row.series->spec);
        object[QStringLiteral("key")] = QString::fromStdString(row.series->key);
        object[QStringLiteral("metric")] = QString::fromStdString(row.series->metric);
        object[QStringLiteral("unit")] = QString::fromStdString(row.series->unit);
        object[QStringLiteral("before_commit")] = QString::fromStdString(row.before().commit);
        object[QStringLiteral("after_commit")] = QString::fromStdString(row.after().commit);
        object[QStringLiteral("before_run")] = static_cast<qint64>(row.before().runId);
        object[QStringLiteral("after_run")] = static_cast<qint64>(row.after().runId);
        object[QStringLiteral("before_median")] = number(change.beforeMedian);
        object[QStringLiteral("after_median")] = number(change.afterMedian);
        object[QStringLiteral("relative_change_percent")] = number(change.relativeChange * 100.0);
        object[QStringLiteral("shift")] = number(change.shift.shift);
        object[QStringLiteral("shift_low")] = number(change.shift.low);
        object[QStringLiteral("shift_high")] = number(change.shift.high);
        object[QStringLiteral("shift_confidence")] = number(change.shift.confidence);
        object[QStringLiteral("p")] = number(change.p);
        object[QStringLiteral("runs_before")] = static_cast<qint64>(change.segmentBefore);
        object[QStringLiteral("runs_after")] = static_cast<qint64>(change.segmentAfter);
        object[QStringLiteral("positions")] = static_cast<qint64>(change.positions);
        object[QStringLiteral("adjusted_p")] = number(change.adjustedP);
        changes.append(object);
    }
    QJsonObject root;
    root[QStringLiteral("alpha")] = options.alpha;
    root[QStringLiteral("threshold_percent")] = options.thresholdPercent;
    root[QStringLiteral("min_segment")] = static_cast<qint64>(options.minSegment);
    root[QStringLiteral("series")] = static_cast<qint64>(trends.size());
    root[QStringLiteral("changes")] = changes;
    return QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
}

} // namespace buildscope
