#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace buildscope {

struct ContainerRuntime
{
    std::string name; // "docker" or "podman"
    std::string executable; // full path
};

// Finds a usable container runtime: `requested` is "docker", "podman" or "auto" (docker,
// then podman). Usable means installed and answering `<runtime> info` (a docker client
// without a reachable daemon is not usable). On failure returns nullopt and says why in
// `whyNot`, e.g. "docker is installed but not usable: Cannot connect to the Docker daemon".
std::optional<ContainerRuntime> findContainerRuntime(std::string_view requested, std::string& whyNot);

} // namespace buildscope
