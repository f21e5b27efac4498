#include "bisect/bisectformat.h"
#include "run/units.h"

#include "compare/comparisonformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>
#include <cstdio>

namespace buildscope {

namespace {


std::string pad(std::string text, std::size_t width)
{
    if (text.size() < width)
        text.append(width - text.size(), ' ');
    return text;
}

std::string roleText(const TestedCommit& tested)
{
    return tested.role == "step" ? "step " + std::to_string(tested.step) : tested.role;
}

std::string runsText(const TestedCommit& tested)
{
    std::string text = std::to_string(tested.runs - tested.failedRuns);
    if (tested.failedRuns > 0)
        text += " (+" + std::to_string(tested.failedRuns) + " failed)";
    return text;
}

std::string valueText(double value, const std::string& unit)
{
    return std::isnan(value) ? "-" : formatMetricValue(value, unit);
}

QJsonValue number(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

QJsonObject commitJson(const GitCommit& commit)
{
    QJsonObject object;
    object["hash"] = QString::fromStdString(commit.hash);
    object["subject"] = QString::fromStdString(commit.subject);
    return object;
}

} // namespace

std::string bisectProgressLine(
    const GitCommit& commit, const std::string& role, int step, int steps, std::size_t left, int runs, bool more)
{
    const std::string runsText = std::to_string(runs) + (more ? " more" : "") + " run" + (runs == 1 ? "" : "s");
    if (more)
        return "measuring " + (role == "step" ? std::string() : role + " ") + commit.shortHash() + " again (" + runsText
            + ": too few to tell)";
    if (role != "step")
        return "measuring " + role + " " + commit.shortHash() + " (" + runsText + ")";
    return "step " + std::to_string(step) + "/" + std::to_string(steps) + ": testing " + commit.shortHash() + " ("
        + std::to_string(left) + " commit" + (left == 1 ? "" : "s") + " left, " + runsText + ")";
}

std::string formatBisectText(const BisectResult& result)
{
    std::string text;
    if (result.outcome == BisectOutcome::Found && !result.suspects.empty()) {
        const GitCommit& first = result.suspects.front();
        text += "first bad commit: " + first.hash + "\n    " + first.subject + "\n";
    } else if (result.outcome == BisectOutcome::Range) {
        text += "the first bad commit is one of:\n";
        for (const GitCommit& commit : result.suspects)
            text += "    " + commit.hash + " " + commit.subject + "\n";
    }
    if (result.outcome != BisectOutcome::Found)
        text += result.message + "\n"; // found: the lines above say it
    text += std::to_string(result.commits) + " commit" + (result.commits == 1 ? "" : "s") + " after good "
        + result.good.shortHash() + " up to bad " + result.bad.shortHash() + "; " + std::to_string(result.steps)
        + " bisection step" + (result.steps == 1 ? "" : "s") + "; metric " + result.metric
        + (result.key.empty() ? " of any step or process" : " of '" + result.key + "'")
        + "; runs labelled bisect=" + result.sessionId + "\n\n";

    const std::size_t subjectWidth = [&] {
        std::size_t width = 7;
        for (const TestedCommit& tested : result.tested)
            width = std::max(width, tested.subject.size());
        return std::min<std::size_t>(width, 40);
    }();
    text += pad("commit", 9) + pad("tested as", 10) + pad("verdict", 13) + pad("runs", 14)
        + pad("subject", subjectWidth + 2) + pad("good median", 13) + pad("median", 13) + pad("change", 10) + "p\n";
    for (const TestedCommit& tested : result.tested) {
        const bool compared = tested.role != "good" && !std::isnan(tested.median);
        std::string line = pad(tested.commit.shortHash(), 9) + pad(roleText(tested), 10)
            + pad(commitVerdictName(tested.verdict), 13) + pad(runsText(tested), 14)
            + pad(tested.subject.empty() ? "-" : tested.subject, subjectWidth + 2)
            + pad(valueText(tested.baseMedian, tested.unit), 13)
            + pad(compared ? valueText(tested.median, tested.unit) : "-", 13)
            + pad(compared && !std::isnan(tested.deltaPercent) ? formatNumber("%+.1f%%", tested.deltaPercent) : "-", 10)
            + (compared && !std::isnan(tested.pValue) ? formatNumber("%.3f", tested.pValue) : "-");
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        text += line + "\n";
        if (!tested.note.empty() && tested.verdict != CommitVerdict::Good && tested.verdict != CommitVerdict::Bad)
            text += "         " + tested.note + "\n";
    }
    return text;
}

std::string bisectJson(const BisectResult& result)
{
    QJsonObject root;
    root["session"] = QString::fromStdString(result.sessionId);
    root["outcome"] = bisectOutcomeName(result.outcome);
    root["message"] = QString::fromStdString(result.message);
    root["metric"] = QString::fromStdString(result.metric);
    root["key"] = result.key.empty() ? QJsonValue(QJsonValue::Null) : QJsonValue(QString::fromStdString(result.key));
    root["good"] = commitJson(result.good);
    root["bad"] = commitJson(result.bad);
    root["commits"] = static_cast<qint64>(result.commits);
    root["steps"] = result.steps;
    root["first_bad"] = result.outcome == BisectOutcome::Found && !result.suspects.empty()
        ? QJsonValue(commitJson(result.suspects.front()))
        : QJsonValue(QJsonValue::Null);
    QJsonArray suspects;
    for (const GitCommit& commit : result.suspects)
        suspects.append(commitJson(commit));
    root["suspects"] = suspects;
    QJsonArray tested;
    for (const TestedCommit& commit : result.tested) {
        QJsonObject object = commitJson(commit.commit);
        object["role"] = QString::fromStdString(commit.role);
        object["step"] = commit.step;
        object["verdict"] = commitVerdictName(commit.verdict);
        object["runs"] = static_cast<qint64>(commit.runs);
        object["failed_runs"] = static_cast<qint64>(commit.failedRuns);
        object["base_runs"] = static_cast<qint64>(commit.baseRuns);
        object["subject_measured"] = QString::fromStdString(commit.subject);
        object["unit"] = QString::fromStdString(commit.unit);
        object["base_median"] = number(commit.baseMedian);
        object["median"] = number(commit.median);
        object["delta_percent"] = number(commit.deltaPercent);
        object["p_value"] = number(commit.pValue);
        object["note"] = QString::fromStdString(commit.note);
        QJsonArray ids;
        for (const std::int64_t id : commit.runIds)
            ids.append(static_cast<qint64>(id));
        object["run_ids"] = ids;
        tested.append(object);
    }
    root["tested"] = tested;
    return QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
}

} // namespace buildscope
