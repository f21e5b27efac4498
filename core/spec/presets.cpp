#include "spec/presets.h"

#include <algorithm>
#include <stdexcept>

namespace buildscope {

namespace {

StepSpec checksumStep(std::string name)
{
    StepSpec step;
    step.name = std::move(name);
    step.kind = StepKind::Checksum;
    return step;
}

StepSpec tarStep(std::string name, std::filesystem::path output)
{
    StepSpec step;
    step.name = std::move(name);
    step.kind = StepKind::Tar;
    step.tarOutput = std::move(output); // relative here; applyPreset() resolves it against the context
    return step;
}

StepSpec runStep(std::string name, std::string command)
{
    StepSpec step;
    step.name = std::move(name);
    step.kind = StepKind::Run;
    step.command = std::move(command);
    return step;
}

StepSpec imageStep()
{
    StepSpec step;
    step.name = "image";
    step.kind = StepKind::Container;
    // Optional: a developer without docker or podman still gets the compile and test
    // figures, with a note that the image was skipped.
    step.optional = true;
    return step;
}

// Every preset starts the same way: fingerprint the context (the digest names the image)
// and package it, as the seed's service builds did before handing it to the builder.
std::vector<StepSpec> withCommonSteps(std::vector<StepSpec> middle)
{
    std::vector<StepSpec> steps;
    steps.reserve(middle.size() + 3);
    steps.push_back(checksumStep("fingerprint"));
    steps.push_back(tarStep("context", "build/context.tar"));
    for (StepSpec& step : middle)
        steps.push_back(std::move(step));
    steps.push_back(imageStep());
    return steps;
}

const ImageSpec kServiceImage {"", "services/{name}", "{digest:12}"};

std::vector<BuildPreset> makePresets()
{
    std::vector<BuildPreset> presets;
    presets.push_back({"go", kServiceImage, {{"GO_VERSION", "1.22"}, {"CGO_ENABLED", "0"}},
        withCommonSteps({runStep("test", "go test ./..."), runStep("build", "go build -o build/app ./...")})});
    // verify runs the tests and packages the jar in one Maven invocation.
    presets.push_back({"maven", kServiceImage, {{"JAVA_VERSION", "21"}, {"MAVEN_VERSION", "3.9"}},
        withCommonSteps({runStep("verify", "mvn -B -q verify")})});
    presets.push_back({"python", kServiceImage, {{"PYTHON_VERSION", "3.12"}},
        withCommonSteps({runStep("test", "python3 -m pytest -q"),
            runStep("wheel", "python3 -m pip wheel --no-deps --wheel-dir build/wheels .")})});
    return presets;
}

bool isLowerAlnum(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

} // namespace

const std::vector<BuildPreset>& buildPresets()
{
    static const std::vector<BuildPreset> presets = makePresets();
    return presets;
}

const BuildPreset* findPreset(std::string_view name)
{
    const auto& presets = buildPresets();
    const auto it = std::find_if(presets.begin(), presets.end(), [&](const BuildPreset& p) { return p.name == name; });
    return it == presets.end() ? nullptr : &*it;
}

std::string repositoryComponent(std::string_view name)
{
    // Docker's grammar for a path component: [a-z0-9]+ joined by '.', '_', '__' or '-'s.
    // Keeping single '.' and '_' between alphanumerics and turning every other run into one
    // '-' always yields a valid component.
    std::string component;
    component.reserve(name.size());
    std::size_t i = 0;
    while (i < name.size()) {
        char c = name[i];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if (isLowerAlnum(c)) {
            component.push_back(c);
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < name.size() && !isLowerAlnum(name[end]) && !(name[end] >= 'A' && name[end] <= 'Z'))
            ++end;
        if (!component.empty() && end < name.size())
            component.push_back(end == i + 1 && (c == '.' || c == '_') ? c : '-');
        i = end;
    }
    return component.empty() ? std::string("app") : component;
}

void applyPreset(BuildSpec& spec, const BuildPreset& preset)
{
    if (spec.preset.empty())
        spec.preset = preset.name;
    else if (spec.preset != preset.name)
        throw std::invalid_argument(
            "applyPreset: the spec names preset '" + spec.preset + "', not '" + std::string(preset.name) + "'");

    if (spec.image.registry.empty())
        spec.image.registry = preset.image.registry;
    if (spec.image.repository.empty()) {
        std::string repository = preset.image.repository;
        constexpr std::string_view kNameToken = "{name}";
        if (const std::size_t at = repository.find(kNameToken); at != std::string::npos)
            repository.replace(at, kNameToken.size(), repositoryComponent(spec.name));
        spec.image.repository = std::move(repository);
    }
    if (spec.image.tag.empty())
        spec.image.tag = preset.image.tag;

    // The spec's own build args keep their file order; the preset's defaults follow.
    for (const auto& arg : preset.buildArgs) {
        const bool set = std::any_of(
            spec.buildArgs.begin(), spec.buildArgs.end(), [&](const auto& own) { return own.first == arg.first; });
        if (!set)
            spec.buildArgs.push_back(arg);
    }

    // Steps are all or nothing: merging a preset's steps into a spec's own would leave
    // nobody sure which ran.
    if (spec.steps.empty()) {
        spec.steps = preset.steps;
        for (StepSpec& step : spec.steps) {
            step.location = SourceLocation {spec.file.string(), 0, 0};
            if (step.kind == StepKind::Tar && step.tarOutput.is_relative() && !spec.context.empty())
                step.tarOutput = (spec.context / step.tarOutput).lexically_normal();
        }
    }
}

} // namespace buildscope
