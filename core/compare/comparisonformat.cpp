#include "compare/comparisonformat.h"

#include "run/units.h"
#include "report/csvwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace buildscope {

namespace {


// Half-width of the confidence interval relative to the median: benchstat's "± 2%".
std::string spread(const SampleSummary& summary)
{
    if (summary.median == 0)
        return "";
    const double halfWidth = std::max(summary.median - summary.low, summary.high - summary.median);
    return "± " + formatNumber("%.0f%%", halfWidth / std::abs(summary.median) * 100.0);
}

std::string pValueText(const ComparisonRow& row)
{
    const std::string n = "n=" + std::to_string(row.base.n) + "+" + std::to_string(row.candidate.n);
    if (row.exact)
        return "(exact " + n + ")";
    return "(p=" + formatNumber("%.3f", row.pValue) + " " + n + ")";
}

// The shift's interval relative to the base median: "[+27%, +35%]" (Hodges-Lehmann).
std::string shiftText(const ComparisonRow& row)
{
    if (row.exact || !(row.base.median != 0) || row.shiftConfidence <= 0)
        return {};
    const double scale = 100.0 / std::abs(row.base.median);
    std::string text = "[" + formatNumber("%+.0f%%", row.shiftLow * scale) + ", " + formatNumber("%+.0f%%", row.shiftHigh * scale) + "]";
    if (row.shiftConfidence < 0.949)
        text += formatNumber(" %.0f%%", row.shiftConfidence * 100.0);
    return text;
}

std::string deltaText(const ComparisonRow& row, double alpha)
{
    // As benchstat: "~" when the difference is not significant; a significant change below
    // the threshold shows its size but is not flagged. "?" when there are too few runs.
    if (row.verdict == Verdict::Unknown)
        return "? " + pValueText(row);
    if (!(row.pValue < alpha))
        return "~ " + pValueText(row);
    if (std::isnan(row.deltaPercent))
        return "? " + pValueText(row);
    const std::string shift = shiftText(row);
    return formatNumber("%+.2f%%", row.deltaPercent) + (shift.empty() ? "" : " " + shift) + " " + pValueText(row);
}

} // namespace

std::string formatMetricValue(double value, const std::string& unit)
{
    if (std::isnan(value))
        return "n/a";
    if (unit == "bytes")
        return formatBytes(value);
    if (unit == "s")
        return formatDuration(value);
    if (unit == "ratio")
        return formatNumber("%.1f%%", value * 100.0);
    if (std::abs(value) >= 1e6)
        return formatNumber("%.2fM", value / 1e6);
    if (std::abs(value) >= 1e4)
        return formatNumber("%.1fk", value / 1e3);
    return formatNumber(value == std::floor(value) ? "%.0f" : "%.2f", value);
}

std::string formatComparisonText(const Comparison& comparison)
{
    std::ostringstream out;
    // Group rows by metric, keeping first-appearance order.
    std::vector<std::string> metrics;
    for (const ComparisonRow& row : comparison.rows) {
        if (std::find(metrics.begin(), metrics.end(), row.metric) == metrics.end())
            metrics.push_back(row.metric);
    }
    for (const std::string& metric : metrics) {
        std::vector<const ComparisonRow*> rows;
        std::size_t subjectWidth = std::max<std::size_t>(8, metric.size() + 1);
        for (const ComparisonRow& row : comparison.rows) {
            if (row.metric == metric) {
                rows.push_back(&row);
                subjectWidth = std::max(subjectWidth, row.subject.size() + 1);
            }
        }
        if (rows.empty())
            continue; // cannot happen (the metric came from a row); says so to the optimiser's null check
        const std::string unit = rows.front()->unit;
        out << padToColumns("", subjectWidth) << "│ " << padToColumns("base", 22) << "│ "
            << padToColumns("candidate", 22) << "│\n";
        out << padToColumns(metric, subjectWidth) << "│ " << padToColumns("median", 22) << "│ "
            << padToColumns("median", 22) << "│ vs base\n";
        for (const ComparisonRow* row : rows) {
            out << padToColumns(row->subject, subjectWidth) << "│ "
                << padToColumns(formatMetricValue(row->base.median, unit) + " " + spread(row->base), 22) << "│ "
                << padToColumns(formatMetricValue(row->candidate.median, unit) + " " + spread(row->candidate), 22)
                << "│ " << deltaText(*row, comparison.options.alpha);
            if (row->verdict == Verdict::Regression)
                out << "  REGRESSION";
            else if (row->verdict == Verdict::Improvement)
                out << "  improvement";
            else if (row->verdict == Verdict::Unknown)
                out << "  unknown";
            else if (row->spreadChanged)
                out << "  " << row->note;
            out << "\n";
        }
        const double geomean = comparison.geomeanRatio(metric);
        if (rows.size() > 1 && !std::isnan(geomean))
            out << padToColumns("geomean", subjectWidth) << "│ " << padToColumns("", 22) << "│ " << padToColumns("", 22)
                << "│ " << formatNumber("%+.2f%%", (geomean - 1.0) * 100.0) << "\n";
        out << "\n";
    }
    if (!comparison.onlyInBase.empty() || !comparison.onlyInCandidate.empty()) {
        for (const std::string& step : comparison.onlyInBase)
            out << "step only in base: " << step << "\n";
        for (const std::string& step : comparison.onlyInCandidate)
            out << "step only in candidate: " << step << "\n";
        out << "\n";
    }
    for (const std::string& warning : comparison.warnings)
        out << "warning: " << warning << "\n";
    out << comparison.regressions() << " regression" << (comparison.regressions() == 1 ? "" : "s") << ", "
        << comparison.improvements() << " improvement" << (comparison.improvements() == 1 ? "" : "s");
    if (comparison.unknowns() > 0)
        out << ", " << comparison.unknowns() << " unknown (too few runs)";
    out << " ("
        << comparison.baseRuns << " base run" << (comparison.baseRuns == 1 ? "" : "s") << ", "
        << comparison.candidateRuns << " candidate run" << (comparison.candidateRuns == 1 ? "" : "s") << "; alpha "
        << comparison.options.alpha << ", threshold " << comparison.options.thresholdPercent << "%)\n";
    return out.str();
}

void writeComparisonCsv(const Comparison& comparison, std::ostream& out)
{
    CsvWriter csv(out);
    for (const char* column : {"subject", "metric", "unit", "base_n", "base_median", "base_ci_low", "base_ci_high",
             "candidate_n", "candidate_median", "candidate_ci_low", "candidate_ci_high", "delta_percent", "p_value",
             "exact", "shift", "shift_ci_low", "shift_ci_high", "shift_confidence", "spread_p_value", "verdict",
             "note"})
        csv.field(column);
    csv.endRow();
    for (const ComparisonRow& row : comparison.rows) {
        csv.field(row.subject).field(row.metric).field(row.unit);
        csv.field(static_cast<std::uint64_t>(row.base.n))
            .field(row.base.median)
            .field(row.base.low)
            .field(row.base.high);
        csv.field(static_cast<std::uint64_t>(row.candidate.n))
            .field(row.candidate.median)
            .field(row.candidate.low)
            .field(row.candidate.high);
        csv.field(row.deltaPercent).field(row.pValue).field(row.exact ? "true" : "false");
        csv.field(row.shift).field(row.shiftLow).field(row.shiftHigh).field(row.shiftConfidence).field(row.spreadPValue);
        csv.field(row.verdict == Verdict::NoChange ? "no_change" : verdictName(row.verdict)).field(row.note).endRow();
    }
}

std::string comparisonJson(const Comparison& comparison)
{
    auto number = [](double value) { return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null); };
    auto strings = [](const std::vector<std::string>& list) {
        QJsonArray array;
        for (const std::string& item : list)
            array.append(QString::fromStdString(item));
        return array;
    };
    auto side = [&](const SampleSummary& s) {
        QJsonObject object;
        object["n"] = static_cast<int>(s.n);
        object["median"] = number(s.median);
        object["ci_low"] = number(s.low);
        object["ci_high"] = number(s.high);
        object["ci_confidence"] = number(s.confidence);
        return object;
    };
    QJsonArray rows;
    for (const ComparisonRow& row : comparison.rows) {
        QJsonObject object;
        object["subject"] = QString::fromStdString(row.subject);
        object["metric"] = QString::fromStdString(row.metric);
        object["unit"] = QString::fromStdString(row.unit);
        object["base"] = side(row.base);
        object["candidate"] = side(row.candidate);
        object["delta_percent"] = number(row.deltaPercent);
        object["p_value"] = number(row.pValue);
        object["exact"] = row.exact;
        QJsonObject shift;
        shift["value"] = number(row.shift);
        shift["ci_low"] = number(row.shiftLow);
        shift["ci_high"] = number(row.shiftHigh);
        shift["ci_confidence"] = number(row.shiftConfidence);
        object["shift"] = shift; // Hodges-Lehmann, candidate - base, in the metric's unit
        object["spread_p_value"] = number(row.spreadPValue); // two-sample Kolmogorov-Smirnov
        object["higher_is_worse"] = row.higherIsWorse;
        object["verdict"] = row.verdict == Verdict::NoChange ? "no_change" : verdictName(row.verdict);
        object["note"] = QString::fromStdString(row.note);
        rows.append(object);
    }
    QJsonObject root;
    root["alpha"] = comparison.options.alpha;
    root["threshold_percent"] = comparison.options.thresholdPercent;
    root["base_runs"] = static_cast<int>(comparison.baseRuns);
    root["candidate_runs"] = static_cast<int>(comparison.candidateRuns);
    root["base_excluded"] = static_cast<int>(comparison.baseExcluded);
    root["candidate_excluded"] = static_cast<int>(comparison.candidateExcluded);
    root["runs_needed"] = static_cast<int>(comparison.runsNeeded);
    root["unknowns"] = static_cast<int>(comparison.unknowns());
    root["rows"] = rows;
    root["only_in_base"] = strings(comparison.onlyInBase);
    root["only_in_candidate"] = strings(comparison.onlyInCandidate);
    root["warnings"] = strings(comparison.warnings);
    root["regressions"] = static_cast<int>(comparison.regressions());
    root["improvements"] = static_cast<int>(comparison.improvements());
    return QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
}

} // namespace buildscope
