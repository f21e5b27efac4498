#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace buildscope::live {

// The live endpoint's directory or socket cannot be used; what() says why.
class LiveError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// Where engines on this machine publish their runs: $XDG_RUNTIME_DIR/buildscope, else
// $TMPDIR/buildscope-<uid> (macOS) or /tmp/buildscope-<uid>. Created with mode 0700;
// refused when it is not a directory of this user with that mode (another user could
// otherwise read or plant endpoints). $BUILDSCOPE_LIVE_DIR overrides it (tests).
std::filesystem::path liveDirectory();

// What a viewer needs to list a live run before connecting to it. Written beside the
// socket as <pid>.json by the engine, removed when it exits.
struct LiveRunInfo
{
    std::int64_t pid = 0;
    std::filesystem::path socket;
    std::string specName;
    std::filesystem::path specFile; // empty for `buildscope run -- CMD`
    std::string command; // the engine's command line, for the list
    std::filesystem::path workingDirectory;
    std::chrono::system_clock::time_point startedAt;
};

std::filesystem::path socketPath(const std::filesystem::path& directory, std::int64_t pid);
std::filesystem::path descriptorPath(const std::filesystem::path& directory, std::int64_t pid);

void writeDescriptor(const std::filesystem::path& directory, const LiveRunInfo& info);
// Live runs of this user, newest first. Entries whose engine is gone are removed.
std::vector<LiveRunInfo> listLiveRuns(const std::filesystem::path& directory);
std::optional<LiveRunInfo> findLiveRun(const std::filesystem::path& directory, std::int64_t pid);

} // namespace buildscope::live
