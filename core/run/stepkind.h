#pragma once

#include <optional>
#include <string_view>

namespace buildscope {

// What a step does; the spec names it by its key (checksum:, tar:, run:, container:).
enum class StepKind
{
    Checksum,
    Tar,
    Run,
    Container
};

const char* stepKindName(StepKind kind); // "checksum", "tar", "run", "container"
std::optional<StepKind> parseStepKind(std::string_view text);

} // namespace buildscope
