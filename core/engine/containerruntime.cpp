#include "engine/containerruntime.h"

#include "engine/processrunner.h"

#include <atomic>
#include <vector>

namespace buildscope {

namespace {
// Runs `<runtime> info` briefly; returns an empty string when it works, else the reason.
std::string probe(const ContainerRuntime& runtime)
{
    ProcessSpec spec;
    spec.argv = {runtime.executable, "info"};
    spec.environment = currentEnvironment();
    spec.timeout = std::chrono::seconds(20);
    spec.killGrace = std::chrono::milliseconds(500);
    spec.traceProcesses = false; // a probe, not a step: nothing to record
    std::string firstError;
    const std::atomic<bool> never {false};
    const ProcessOutcome outcome = ProcessRunner::run(
        spec,
        [&](LogStream stream, std::string_view line) {
            if (stream == LogStream::Stderr && firstError.empty() && !line.empty())
                firstError = std::string(line.substr(0, 200));
        },
        never);
    if (outcome.end == ProcessOutcome::End::Exited && outcome.exitCode == 0)
        return {};
    if (outcome.end == ProcessOutcome::End::TimedOut)
        return "'" + runtime.name + " info' did not answer within 20 s";
    if (!outcome.error.empty())
        return outcome.error;
    return firstError.empty() ? "'" + runtime.name + " info' failed" : firstError;
}
} // namespace

std::optional<ContainerRuntime> findContainerRuntime(std::string_view requested, std::string& whyNot)
{
    std::vector<std::string_view> candidates;
    if (requested == "auto")
        candidates = {"docker", "podman"};
    else
        candidates = {requested};

    std::vector<std::string> reasons;
    for (std::string_view name : candidates) {
        const std::string executable = ProcessRunner::findInPath(name);
        if (executable.empty()) {
            reasons.push_back(std::string(name) + " is not installed");
            continue;
        }
        ContainerRuntime runtime {std::string(name), executable};
        const std::string problem = probe(runtime);
        if (problem.empty())
            return runtime;
        reasons.push_back(std::string(name) + " is installed but not usable: " + problem);
    }
    whyNot.clear();
    for (const std::string& reason : reasons)
        whyNot += (whyNot.empty() ? "" : "; ") + reason;
    return std::nullopt;
}

} // namespace buildscope
