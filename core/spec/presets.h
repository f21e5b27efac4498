#pragma once

#include "spec/buildspec.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace buildscope {

// The seed's "specialized builds": defaults for Go, Maven and Python services. A spec
// naming a preset gets the preset's image repository/tag, build args and steps wherever
// the spec leaves them out.
struct BuildPreset
{
    std::string_view name; // "go", "maven", "python"
    ImageSpec image; // "{name}" in the repository stands for the spec's name, made a valid repository name
    std::vector<std::pair<std::string, std::string>> buildArgs;
    std::vector<StepSpec> steps; // without locations
};

const std::vector<BuildPreset>& buildPresets();
const BuildPreset* findPreset(std::string_view name); // nullptr when unknown

// Fills what `spec` leaves out from its preset (spec.preset must name one).
void applyPreset(BuildSpec& spec, const BuildPreset& preset);

// The spec name as an image repository path component: lower case, runs of anything but
// [a-z0-9._-] replaced by '-', separators trimmed ("My App" -> "my-app"; "" -> "app").
std::string repositoryComponent(std::string_view name);

} // namespace buildscope
