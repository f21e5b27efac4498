#include "bisect/commitverdict.h"

#include <cmath>

namespace buildscope {

namespace {

bool isStepOrProcess(const std::string& subject)
{
    return subject != "run" && !subject.starts_with("operation/") && !subject.starts_with("pool/");
}

bool matches(const std::string& subject, const std::string& key)
{
    if (key.empty())
        return isStepOrProcess(subject);
    return subject == key || subject == "process/" + key;
}

double size(const ComparisonRow& row)
{
    return std::isnan(row.deltaPercent) ? 0.0 : row.deltaPercent;
}

} // namespace

const char* commitVerdictName(CommitVerdict verdict)
{
    switch (verdict) {
    case CommitVerdict::Good:
        return "good";
    case CommitVerdict::Bad:
        return "bad";
    case CommitVerdict::CannotTell:
        return "cannot tell";
    case CommitVerdict::Untestable:
        return "untestable";
    }
    return "untestable";
}

CommitJudgement judgeCommit(const Comparison& comparison, const std::string& metric, const std::string& key,
    const std::string& preferredSubject)
{
    CommitJudgement judgement;
    if (comparison.candidateRuns == 0) {
        judgement.note = "no successful run: the build fails at this commit";
        return judgement;
    }
    if (comparison.baseRuns == 0) {
        judgement.note = "no successful run of the good commit to compare with";
        return judgement;
    }
    const ComparisonRow* largest = nullptr;
    const ComparisonRow* largestRegression = nullptr;
    const ComparisonRow* preferred = nullptr;
    bool unknown = false;
    for (const ComparisonRow& row : comparison.rows) {
        if (row.metric != metric || !matches(row.subject, key))
            continue;
        if (!largest || size(row) > size(*largest))
            largest = &row;
        if (row.verdict == Verdict::Regression && (!largestRegression || size(row) > size(*largestRegression)))
            largestRegression = &row;
        unknown = unknown || row.verdict == Verdict::Unknown;
        if (!preferredSubject.empty() && row.subject == preferredSubject)
            preferred = &row;
    }
    if (!largest) {
        judgement.note = key.empty() ? "no step or process measured " + metric
                                     : "no step or process '" + key + "' measured " + metric + " on both sides";
        return judgement;
    }
    if (largestRegression) {
        judgement.verdict = CommitVerdict::Bad;
        const bool preferredRegressed = preferred && preferred->verdict == Verdict::Regression;
        judgement.evidence = preferredRegressed ? *preferred : *largestRegression;
    } else if (unknown) {
        // Any regression outweighs 'unknown' elsewhere; without one, an unknown row could be it.
        judgement.verdict = CommitVerdict::CannotTell;
        judgement.evidence = preferred ? *preferred : *largest;
        judgement.note = "too few runs for a p-value below alpha (" + std::to_string(comparison.baseRuns) + " + "
            + std::to_string(comparison.candidateRuns) + ")";
    } else {
        judgement.verdict = CommitVerdict::Good;
        judgement.evidence = preferred ? *preferred : *largest;
    }
    return judgement;
}

} // namespace buildscope
