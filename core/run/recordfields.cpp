#include "run/recordfields.h"

#include "run/commandline.h"

#include <limits>

namespace buildscope {

namespace {

// Exit statuses are 0..255; signal numbers 1..64 (SIGRTMAX on Linux).
constexpr std::int64_t kMaxExitCode = 255;
constexpr std::int64_t kMaxSignal = 64;
// Hosts with more than a million CPUs do not run builds yet.
constexpr std::int64_t kMaxCpus = 1 << 20;

FieldValue peakScope(const StepResult& step)
{
    return std::string(step.peakIsProcessTree ? "process_tree" : "engine");
}

std::string setPeakScope(StepResult& step, const FieldValue& value)
{
    std::string text;
    if (std::string error = fields::toText(value, text); !error.empty())
        return error;
    if (text != "process_tree" && text != "engine")
        return "must be \"process_tree\" or \"engine\", got " + fields::describe(value);
    step.peakIsProcessTree = text == "process_tree";
    return {};
}

// A running step has a start, and an end and measurements only once something filled
// them in (the history's recorder stores a running step with its figures so far; the
// engine's own running step has end 0 until it ends).
bool runningWithFigures(const StepResult& step)
{
    return step.status == StepStatus::Running && step.endSeconds > step.startSeconds;
}

bool hasStart(const StepResult& step)
{
    return stepStarted(step.status);
}

bool hasEnd(const StepResult& step)
{
    return stepStarted(step.status) && (step.status != StepStatus::Running || runningWithFigures(step));
}

bool hasMeasurements(const StepResult& step)
{
    return stepRan(step.status) && (step.status != StepStatus::Running || runningWithFigures(step));
}

// Times exist for a step that started (skipped steps included); measurements only for
// one that ran. Otherwise the field is null, so a report never shows a skipped step's
// "0 B" as if it had been measured.
using StepPredicate = bool (*)(const StepResult&);

template<auto Member, StepPredicate Has>
FieldValue measured(const StepResult& step)
{
    return Has(step) ? fields::wrap(step.*Member) : FieldValue();
}

template<auto Member, StepPredicate Has, std::int64_t Min, std::int64_t Max>
std::string setMeasured(StepResult& step, const FieldValue& value)
{
    if (std::holds_alternative<std::monostate>(value)) {
        // A step that has the measurement but no value for it keeps "no value" (NaN), as
        // the CSV's empty cell and the store's NULL say.
        if constexpr (std::is_floating_point_v<fields::TypeOf<Member>>) {
            if (Has(step))
                step.*Member = std::numeric_limits<double>::quiet_NaN();
        }
        return {};
    }
    return fields::unwrap(value, static_cast<double>(Min), static_cast<double>(Max), step.*Member);
}

template<auto Member, StepPredicate Has = hasMeasurements, std::int64_t Min = 0, std::int64_t Max = kMaxExactCountBound>
constexpr Field<StepResult> measuredField(const char* name, const char* unit)
{
    return {name, fields::typeOf<fields::TypeOf<Member>>(), unit, &measured<Member, Has>,
        &setMeasured<Member, Has, Min, Max>, true};
}

FieldValue measuredWall(const StepResult& step)
{
    return hasEnd(step) ? FieldValue(step.wallSeconds()) : FieldValue();
}

FieldValue measuredCpu(const StepResult& step)
{
    return hasMeasurements(step) ? FieldValue(step.cpuSeconds()) : FieldValue();
}

const Field<StepResult> kStepFields[] = {
    memberField<&StepResult::name>("name"),
    enumField<&StepResult::kind, stepKindName, parseStepKind>("type"),
    enumField<&StepResult::status, stepStatusName, parseStepStatus>("status"),
    measuredField<&StepResult::startSeconds, hasStart, 0, kMaxSecondsBound>("start_s", "s"),
    measuredField<&StepResult::endSeconds, hasEnd, 0, kMaxSecondsBound>("end_s", "s"),
    {"wall_s", FieldType::Real, "s", &measuredWall, nullptr, true},
    measuredField<&StepResult::userCpuSeconds, hasMeasurements, 0, kMaxSecondsBound>("cpu_user_s", "s"),
    measuredField<&StepResult::systemCpuSeconds, hasMeasurements, 0, kMaxSecondsBound>("cpu_sys_s", "s"),
    {"cpu_s", FieldType::Real, "s", &measuredCpu, nullptr, true},
    measuredField<&StepResult::peakRssBytes>("peak_rss_bytes", "bytes"),
    {"peak_rss_scope", FieldType::Text, "", &peakScope, &setPeakScope},
    measuredField<&StepResult::peakExact>("peak_exact", ""),
    measuredField<&StepResult::treePeakRssBytes>("tree_peak_rss_bytes", "bytes"),
    measuredField<&StepResult::engineAllocations>("engine_allocations", "count"),
    measuredField<&StepResult::engineAllocatedBytes>("engine_allocated_bytes", "bytes"),
    memberField<&StepResult::exitCode, 0, kMaxExitCode>("exit_code"),
    memberField<&StepResult::signal, 1, kMaxSignal>("signal"),
    memberField<&StepResult::note>("note"),
};

const Field<OperationStatistics> kOperationFields[] = {
    memberField<&OperationStatistics::name>("name"),
    memberField<&OperationStatistics::count>("count", "count"),
    memberField<&OperationStatistics::wallTotalNs>("wall_total_ns", "ns"),
    memberField<&OperationStatistics::wallMinNs>("wall_min_ns", "ns"),
    memberField<&OperationStatistics::wallMaxNs>("wall_max_ns", "ns"),
    memberField<&OperationStatistics::wallP50Ns>("wall_p50_ns", "ns"),
    memberField<&OperationStatistics::wallP95Ns>("wall_p95_ns", "ns"),
    memberField<&OperationStatistics::wallP99Ns>("wall_p99_ns", "ns"),
    memberField<&OperationStatistics::cpuTimedCount>("cpu_timed_count", "count"),
    memberField<&OperationStatistics::cpuTotalNs>("cpu_total_ns", "ns"),
    memberField<&OperationStatistics::allocations>("allocations", "count"),
    memberField<&OperationStatistics::allocatedBytes>("allocated_bytes", "bytes"),
    {"allocations_per_op", FieldType::Real, "count",
        [](const OperationStatistics& op) { return FieldValue(op.allocationsPerOp()); }, nullptr},
    {"bytes_per_op", FieldType::Real, "bytes",
        [](const OperationStatistics& op) { return FieldValue(op.bytesPerOp()); }, nullptr},
};

const Field<PoolStatistics> kPoolFields[] = {
    memberField<&PoolStatistics::name>("pool"),
    memberField<&PoolStatistics::classBytes>("class_bytes", "bytes"),
    memberField<&PoolStatistics::acquires>("acquires", "count"),
    memberField<&PoolStatistics::hits>("hits", "count"),
    memberField<&PoolStatistics::misses>("misses", "count"),
    memberField<&PoolStatistics::releases>("releases", "count"),
    memberField<&PoolStatistics::discards>("discards", "count"),
    {"hit_rate", FieldType::Real, "",
        [](const PoolStatistics& pool) {
            const std::optional<double> rate = pool.hitRate();
            return rate ? FieldValue(*rate) : FieldValue(); // n/a without acquires: never 0 or 100 %
        },
        nullptr, true},
    memberField<&PoolStatistics::retainedBytes>("retained_bytes", "bytes"),
    memberField<&PoolStatistics::retainedHighWaterBytes>("retained_high_water_bytes", "bytes"),
    memberField<&PoolStatistics::maxRetainedBytes>("max_retained_bytes", "bytes"),
};

FieldValue processArgv(const ProcessRecord& process)
{
    return joinArguments(process.argv);
}

std::string setProcessArgv(ProcessRecord& process, const FieldValue& value)
{
    std::string text;
    if (std::string error = fields::toText(value, text); !error.empty())
        return error;
    std::optional<std::vector<std::string>> argv = splitArguments(text);
    if (!argv)
        return "is not a quoted command line (an unclosed quote)";
    process.argv = std::move(*argv);
    return {};
}

// pid_t is 32-bit signed; pids are positive and below 2^22 on Linux, 99999 on macOS.
constexpr std::int64_t kMaxPid = 2147483647;

const Field<ProcessRecord> kProcessFields[] = {
    memberField<&ProcessRecord::step>("step"),
    memberField<&ProcessRecord::key>("key"),
    memberField<&ProcessRecord::pid, 0, kMaxPid>("pid"),
    memberField<&ProcessRecord::parentPid, 0, kMaxPid>("parent_pid"),
    memberField<&ProcessRecord::executable>("executable"),
    {"argv", FieldType::Text, "", &processArgv, &setProcessArgv},
    memberField<&ProcessRecord::argvTruncated>("argv_truncated"),
    memberField<&ProcessRecord::argvBytes>("argv_bytes", "bytes"),
    memberField<&ProcessRecord::workingDirectory>("cwd"),
    memberField<&ProcessRecord::startSeconds, 0, kMaxSecondsBound>("start_s", "s"),
    memberField<&ProcessRecord::endSeconds, 0, kMaxSecondsBound>("end_s", "s"),
    {"wall_s", FieldType::Real, "s", [](const ProcessRecord& p) { return FieldValue(p.wallSeconds()); }, nullptr},
    memberField<&ProcessRecord::userCpuSeconds, 0, kMaxSecondsBound>("cpu_user_s", "s"),
    memberField<&ProcessRecord::systemCpuSeconds, 0, kMaxSecondsBound>("cpu_sys_s", "s"),
    {"cpu_s", FieldType::Real, "s", [](const ProcessRecord& p) { return FieldValue(p.cpuSeconds()); }, nullptr},
    memberField<&ProcessRecord::exitCode, 0, kMaxExitCode>("exit_code"),
    memberField<&ProcessRecord::signal, 1, kMaxSignal>("signal"),
    memberField<&ProcessRecord::peakRssBytes>("peak_rss_bytes", "bytes"),
    memberField<&ProcessRecord::peakExact>("peak_exact"),
    memberField<&ProcessRecord::execCount, 0, 1000000000>("exec_count", "count"),
    memberField<&ProcessRecord::note>("note"),
};

const Field<HostInfo> kHostFields[] = {
    memberField<&HostInfo::hostname>("hostname"),
    memberField<&HostInfo::os>("os"),
    memberField<&HostInfo::cpus, 0, kMaxCpus>("cpus", "count"),
    memberField<&HostInfo::memoryBytes>("memory_bytes", "bytes"),
};

} // namespace

FieldList<StepResult> stepFields()
{
    return kStepFields;
}

FieldList<OperationStatistics> operationFields()
{
    return kOperationFields;
}

FieldList<PoolStatistics> poolFields()
{
    return kPoolFields;
}

FieldList<HostInfo> hostFields()
{
    return kHostFields;
}

FieldList<ProcessRecord> processFields()
{
    return kProcessFields;
}

} // namespace buildscope
