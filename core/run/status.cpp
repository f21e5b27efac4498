#include "run/status.h"
#include "run/stepkind.h"

namespace buildscope {

namespace {
constexpr StepStatus kStepStatuses[] = {StepStatus::Pending, StepStatus::Running, StepStatus::Succeeded,
    StepStatus::Failed, StepStatus::TimedOut, StepStatus::Cancelled, StepStatus::Skipped, StepStatus::NotRun};
constexpr RunStatus kRunStatuses[] = {RunStatus::Running, RunStatus::Succeeded, RunStatus::Failed, RunStatus::Cancelled};
constexpr StepKind kStepKinds[] = {StepKind::Checksum, StepKind::Tar, StepKind::Run, StepKind::Container};

template<class Enum, std::size_t N>
std::optional<Enum> parseName(std::string_view text, const Enum (&values)[N], const char* (*name)(Enum))
{
    for (Enum value : values) {
        if (text == name(value))
            return value;
    }
    return std::nullopt;
}
} // namespace

const char* stepStatusName(StepStatus status)
{
    switch (status) {
    case StepStatus::Pending:
        return "pending";
    case StepStatus::Running:
        return "running";
    case StepStatus::Succeeded:
        return "succeeded";
    case StepStatus::Failed:
        return "failed";
    case StepStatus::TimedOut:
        return "timed-out";
    case StepStatus::Cancelled:
        return "cancelled";
    case StepStatus::Skipped:
        return "skipped";
    case StepStatus::NotRun:
        return "not-run";
    }
    return "pending";
}

const char* runStatusName(RunStatus status)
{
    switch (status) {
    case RunStatus::Running:
        return "running";
    case RunStatus::Succeeded:
        return "succeeded";
    case RunStatus::Failed:
        return "failed";
    case RunStatus::Cancelled:
        return "cancelled";
    }
    return "running";
}

const char* stepKindName(StepKind kind)
{
    switch (kind) {
    case StepKind::Checksum:
        return "checksum";
    case StepKind::Tar:
        return "tar";
    case StepKind::Run:
        return "run";
    case StepKind::Container:
        return "container";
    }
    return "run";
}

std::optional<StepStatus> parseStepStatus(std::string_view text)
{
    return parseName(text, kStepStatuses, stepStatusName);
}

std::optional<RunStatus> parseRunStatus(std::string_view text)
{
    return parseName(text, kRunStatuses, runStatusName);
}

std::optional<StepKind> parseStepKind(std::string_view text)
{
    return parseName(text, kStepKinds, stepKindName);
}

bool stepStarted(StepStatus status)
{
    return status != StepStatus::Pending && status != StepStatus::NotRun;
}

bool stepRan(StepStatus status)
{
    return status != StepStatus::Pending && status != StepStatus::NotRun && status != StepStatus::Skipped;
}

} // namespace buildscope
