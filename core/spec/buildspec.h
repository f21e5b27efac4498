#pragma once

#include "run/stepkind.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace buildscope {

// Where something was written in a spec file (1-based line and column; 0 when unknown).
struct SourceLocation
{
    std::string file;
    int line = 0;
    int column = 0;
};

struct ImageSpec
{
    std::string registry; // "localhost:5000"; may be empty (then ImageURI has no registry part)
    std::string repository; // "demo/app"
    std::string tag; // may hold "{digest}" or "{digest:N}", replaced by the context digest (N hex chars)
};

struct StepSpec
{
    std::string name;
    StepKind kind = StepKind::Run;
    SourceLocation location; // of the step's mapping in the file

    std::string command; // run: the shell command, ${VAR} references not yet substituted
    // run, from `buildscope run -- CMD ARGS...`: the command itself, run without a shell
    // and without substitution (what the user typed is what runs). Empty for spec steps.
    std::vector<std::string> argv;
    std::filesystem::path tarOutput; // tar: output file, absolute (resolved against the context)
    std::string containerRuntime = "auto"; // container: auto | docker | podman
    std::filesystem::path dockerfile = "Dockerfile"; // container: relative to the context

    std::optional<std::chrono::milliseconds> timeout; // none: no limit
    bool optional = false; // container: skip with a note when no runtime is installed
    bool continueOnError = false; // a failure does not stop the build
};

// A parsed and validated buildscope.yaml. Paths are absolute.
struct BuildSpec
{
    std::filesystem::path file; // the spec file itself
    int version = 1;
    std::string name;
    std::string preset; // "", "go", "maven" or "python"
    std::filesystem::path context; // directory to fingerprint and package
    std::optional<std::filesystem::path> ignoreFile; // .dockerignore-syntax file; none: nothing ignored
    ImageSpec image;
    std::vector<std::pair<std::string, std::string>> buildArgs; // in file order
    std::vector<std::pair<std::string, std::string>> env; // in file order; values may use ${VAR}
    double sampleHz = 20.0;
    std::vector<StepSpec> steps;
};

// The one-step spec of `buildscope run -- CMD ARGS...`: the spec is named by the command
// line (`sh -c 'make -j8'`, shell-quoted; cut at 120 characters with a hash of the rest),
// the step after the program ("make", "sh"), the context is `directory`, and the spec
// has no file.
BuildSpec commandSpec(const std::vector<std::string>& argv, const std::filesystem::path& directory);

} // namespace buildscope
