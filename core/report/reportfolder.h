#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace buildscope {

// A report folder is BuildScope's only when it says so: its manifest lists, one name a
// line, every file and round folder (run-N) BuildScope wrote into it. A folder holding
// anything else is the user's; BuildScope writes only into an empty or new folder or one
// with a manifest, never replaces a file its manifest does not list, and removes only
// what its manifest lists (issue 18.1).
inline constexpr const char* kReportManifest = ".buildscope-report";

// Who may read what BuildScope writes. Private (the default): folders it creates are 0700,
// files 0600, whatever the umask: build output, command lines and paths stay the user's.
// Shared (`run --shared-report`): the umask decides, as for any program (0755/0644 with
// the usual 022).
enum class ReportSharing
{
    Private,
    Shared
};

// Why BuildScope may not write the files `names` into `folder` (empty when it may): the
// folder holds files and has no manifest, or one of `names` exists but the manifest does
// not list it. A folder that does not exist, or is empty, may be written.
std::string reportFolderProblem(const std::filesystem::path& folder, const std::vector<std::string>& names);

// The same for `run --report DIR --repeat N`: DIR itself (round folders run-1..run-N,
// or with N = 1 the report files and log.txt), and each round folder that exists.
std::string runReportTargetProblem(const std::filesystem::path& folder, int repeat);

// The names a folder's manifest lists (none when it has no manifest).
std::vector<std::string> manifestEntries(const std::filesystem::path& folder);

// Creates `folder` and any missing parent, each new one 0700 when private; throws
// ReportError naming the folder when it cannot.
void createReportFolder(const std::filesystem::path& folder, ReportSharing sharing);

// Adds `name` to the folder's manifest (creating it) before the file is written, so a
// file BuildScope starts to write is always one it may later replace or remove.
void claimInReportFolder(const std::filesystem::path& folder, const std::string& name, ReportSharing sharing);

// Removes `name` from `folder` if the manifest lists it: a file, or a round folder whose
// own manifest lists everything it holds (what else it holds stays, and so does the
// folder). Returns whether it is gone.
bool removeFromReportFolder(const std::filesystem::path& folder, const std::string& name);

// Opens `file` for writing (created or truncated), 0600 when private, also when it
// existed with wider permissions. Returns the descriptor, or -1 with errno set.
int openReportFile(const std::filesystem::path& file, ReportSharing sharing);

// "the disk is full (No space left on device)" for ENOSPC, "the file system is read-only
// (...)" for EROFS, else strerror: what a user can act on when a write fails.
std::string describeWriteError(int error);

} // namespace buildscope
