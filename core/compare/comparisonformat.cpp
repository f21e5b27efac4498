#include "compare/comparisonformat.h"

#include "report/csvwriter.h"
#include "run/units.h"

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
    const std::string q = std::isnan(row.adjustedP) ? "" : " q=" + formatNumber("%.3f", row.adjustedP);
    return "(p=" + formatNumber("%.3f", row.pValue) + q + " " + n + ")";
}

// The shift's interval relative to the base median: "[+27%, +35%]" (Hodges-Lehmann).
std::string shiftText(const ComparisonRow& row)
{
    if (row.exact || !(row.base.median != 0) || row.shiftConfidence <= 0)
        return {};
    const double scale = 100.0 / std::abs(row.base.median);
    std::string text = "[" + formatNumber("%+.0f%%", row.shiftLow * scale) + ", "
        + formatNumber("%+.0f%%", row.shiftHigh * scale) + "]";
    if (row.shiftConfidence < 0.949)
        text += formatNumber(" %.0f%%", row.shiftConfidence * 100.0);
    return text;
}

std::string deltaText(const ComparisonRow& row, double alpha)
{
    // As benchstat: "~" when the difference is not significant; a significant change below
    // the threshold shows its size but is not flagged. "?" when there are too few runs.
    (void)alpha;
    if (row.verdict == Verdict::Unknown)
        return "? " + pValueText(row);
    if (row.verdict == Verdict::NoChange)
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

namespace {

std::string plural(std::size_t count, const char* one, const char* many)
{
    return std::to_string(count) + " " + (count == 1 ? one : many);
}

std::string joined(const std::vector<std::string>& items)
{
    std::string text;
    for (const std::string& item : items)
        text += (text.empty() ? "" : ", ") + item;
    return text;
}

// One line of the verdict's summary: "  process/cc1plus heavy.cpp  peak_rss_bytes  61.5 MiB -> 80.0 MiB  +30.1%
// (p=0.008 q=0.008 n=5+5)"
std::string summaryLine(const ComparisonRow& row, double alpha)
{
    return "  " + row.subject + "  " + row.metric + "  " + formatMetricValue(row.base.median, row.unit) + " -> "
        + formatMetricValue(row.candidate.median, row.unit) + "  " + deltaText(row, alpha)
        + (row.verdict == Verdict::Regression         ? "  REGRESSION"
                : row.verdict == Verdict::Improvement ? "  improvement"
                                                      : "");
}

// The verdict and the rows that decided it, before any table.
void writeVerdict(const Comparison& comparison, std::ostringstream& out)
{
    const double alpha = comparison.options.alpha;
    const std::string covers = joined(comparison.gateMetrics) + " of " + joined(comparison.gateKeys);
    const std::size_t gateRows = comparison.gateRows();
    switch (comparison.gateVerdict()) {
    case GateVerdict::Fail:
        out << "verdict: FAIL, " << plural(comparison.gateRegressions(), "regression", "regressions") << " among the "
            << plural(gateRows, "row", "rows") << " the gate covers (" << covers << ")\n";
        break;
    case GateVerdict::Pass:
        out << "verdict: PASS, no regression among the " << plural(gateRows, "row", "rows") << " the gate covers ("
            << covers << ")\n";
        break;
    case GateVerdict::CannotTell:
        if (gateRows == 0)
            out << "verdict: CANNOT TELL, no row the gate covers (" << covers << ") was measured on both sides\n";
        else
            out << "verdict: CANNOT TELL, " << comparison.gateUnknowns() << " of the "
                << plural(gateRows, "row", "rows") << " the gate covers (" << covers << ") need more runs\n";
        break;
    }
    out << "(alpha " << formatNumber("%g", alpha) << " over the whole comparison: Benjamini-Hochberg q over the rows "
        << "whose median moved by at least " << formatNumber("%g", comparison.options.thresholdPercent)
        << "% and the metric's floor; " << plural(comparison.baseRuns, "base run", "base runs") << ", "
        << plural(comparison.candidateRuns, "candidate run", "candidate runs") << ")\n";

    std::vector<const ComparisonRow*> deciding;
    std::vector<const ComparisonRow*> explaining;
    std::vector<const ComparisonRow*> unknown;
    for (const ComparisonRow& row : comparison.rows) {
        const bool decided = row.verdict == Verdict::Regression || row.verdict == Verdict::Improvement;
        if (decided)
            (row.gates ? deciding : explaining).push_back(&row);
        else if (row.verdict == Verdict::Unknown)
            unknown.push_back(&row);
    }
    if (!deciding.empty()) {
        out << "\ndeciding rows (the gate covers them), largest first:\n";
        for (const ComparisonRow* row : deciding)
            out << summaryLine(*row, alpha) << "\n";
    }
    if (!explaining.empty()) {
        out << "\nalso changed (they explain, the gate does not cover them), largest first:\n";
        for (const ComparisonRow* row : explaining)
            out << summaryLine(*row, alpha) << "\n";
    }
    if (!unknown.empty()) {
        const std::size_t shown = std::min<std::size_t>(unknown.size(), 10);
        out << "\n"
            << plural(unknown.size(), "row needs", "rows need") << " at least "
            << std::max<std::size_t>(comparison.runsNeeded, 1) << " runs a side to decide (" << comparison.baseRuns
            << " + " << comparison.candidateRuns << " runs); the largest moves:\n";
        for (std::size_t i = 0; i < shown; ++i)
            out << summaryLine(*unknown[i], alpha) << "\n";
        if (unknown.size() > shown)
            out << "  ... " << unknown.size() - shown << " more (--format csv or json lists every row)\n";
    }
    out << "\n";
}

} // namespace

std::string formatComparisonText(const Comparison& comparison)
{
    std::ostringstream out;
    writeVerdict(comparison, out);
    // The tables: every row that could decide, grouped by metric in the order of their
    // first row (the rows come largest change first); unknown rows were listed above.
    std::vector<std::string> metrics;
    for (const ComparisonRow& row : comparison.rows) {
        if (row.verdict != Verdict::Unknown && std::find(metrics.begin(), metrics.end(), row.metric) == metrics.end())
            metrics.push_back(row.metric);
    }
    for (const std::string& metric : metrics) {
        std::vector<const ComparisonRow*> rows;
        std::size_t subjectWidth = std::max<std::size_t>(8, metric.size() + 1);
        for (const ComparisonRow& row : comparison.rows) {
            if (row.metric == metric && row.verdict != Verdict::Unknown) {
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
    out << comparison.regressions() << " regression" << (comparison.regressions() == 1 ? "" : "s") << " ("
        << comparison.gateRegressions() << " gating), " << comparison.improvements() << " improvement"
        << (comparison.improvements() == 1 ? "" : "s");
    if (comparison.unknowns() > 0)
        out << ", " << comparison.unknowns() << " unknown (too few runs)";
    out << " (" << comparison.baseRuns << " base run" << (comparison.baseRuns == 1 ? "" : "s") << ", "
        << comparison.candidateRuns << " candidate run" << (comparison.candidateRuns == 1 ? "" : "s") << "; alpha "
        << comparison.options.alpha << ", threshold " << comparison.options.thresholdPercent << "%)\n";
    return out.str();
}

void writeComparisonCsv(const Comparison& comparison, std::ostream& out)
{
    CsvWriter csv(out);
    for (const char* column : {"subject", "metric", "unit", "base_n", "base_median", "base_ci_low", "base_ci_high",
             "candidate_n", "candidate_median", "candidate_ci_low", "candidate_ci_high", "delta_percent", "p_value",
             "exact", "shift", "shift_ci_low", "shift_ci_high", "shift_confidence", "spread_p_value", "verdict", "note",
             "gates", "adjusted_p", "practical"})
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
        csv.field(row.shift)
            .field(row.shiftLow)
            .field(row.shiftHigh)
            .field(row.shiftConfidence)
            .field(row.spreadPValue);
        csv.field(row.verdict == Verdict::NoChange ? "no_change" : verdictName(row.verdict)).field(row.note);
        csv.field(row.gates ? "true" : "false").field(row.adjustedP).field(row.practical ? "true" : "false").endRow();
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
        object["gates"] = row.gates;
        object["adjusted_p"] = number(row.adjustedP); // Benjamini-Hochberg q; null when not tested
        object["practical"] = row.practical;
        rows.append(object);
    }
    QJsonObject root;
    root["verdict"] = comparison.gateVerdict() == GateVerdict::Pass ? "pass"
        : comparison.gateVerdict() == GateVerdict::Fail             ? "fail"
                                                                    : "cannot_tell";
    QJsonObject gate;
    gate["metrics"] = strings(comparison.gateMetrics);
    gate["keys"] = strings(comparison.gateKeys);
    gate["rows"] = static_cast<int>(comparison.gateRows());
    gate["regressions"] = static_cast<int>(comparison.gateRegressions());
    gate["unknowns"] = static_cast<int>(comparison.gateUnknowns());
    root["gate"] = gate;
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
