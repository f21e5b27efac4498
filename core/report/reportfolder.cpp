#include "report/reportfolder.h"

#include "report/reportwriter.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace buildscope {

namespace {

constexpr const char* kManifestHeading
    = "# BuildScope report folder: the files and round folders BuildScope wrote here, one a line.\n"
      "# It replaces and removes only these; anything else in this folder is left alone.\n";

// The names a report (or a round's folder) holds, log.txt included.
const std::vector<std::string>& reportFileNames()
{
    static const std::vector<std::string> names {
        kSamplesCsv, kStepsCsv, kProcessesCsv, kOperationsCsv, kPoolsCsv, kRunJson, kLogTxt};
    return names;
}

bool isListed(const std::vector<std::string>& listed, const std::string& name)
{
    return std::find(listed.begin(), listed.end(), name) != listed.end();
}

// Up to three names of what `folder` holds, for a message.
std::string someEntries(const std::filesystem::path& folder)
{
    std::vector<std::string> names;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(folder, error))
        names.push_back(entry.path().filename().string() + (entry.is_directory(error) ? "/" : ""));
    std::sort(names.begin(), names.end());
    std::string text;
    for (std::size_t i = 0; i < names.size() && i < 3; ++i)
        text += (i ? ", " : "") + names[i];
    if (names.size() > 3)
        text += ", ... (" + std::to_string(names.size()) + " entries)";
    return text;
}

// Only report files (names and regular files) and round folders: written by a BuildScope
// from before manifests, most likely; still not proof, so it is only said, not trusted.
bool looksLikeAnOldReport(const std::filesystem::path& folder)
{
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
        const std::string name = entry.path().filename().string();
        const bool reportFile = entry.is_regular_file(error) && isListed(reportFileNames(), name);
        const bool round = entry.is_directory(error) && name.starts_with("run-");
        if (!reportFile && !round)
            return false;
    }
    return !error;
}

void writeManifest(const std::filesystem::path& folder, const std::vector<std::string>& names, ReportSharing sharing)
{
    const std::filesystem::path file = folder / kReportManifest;
    const std::filesystem::path temporary = file.string() + ".tmp-" + std::to_string(::getpid());
    std::string text = kManifestHeading;
    for (const std::string& name : names)
        text += name + "\n";
    const int fd = openReportFile(temporary, sharing);
    if (fd < 0)
        throw ReportError(temporary.string() + ": " + describeWriteError(errno));
    const char* data = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, data, left);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0) {
            const int error = written < 0 ? errno : EIO;
            ::close(fd);
            ::unlink(temporary.c_str());
            throw ReportError(file.string() + ": " + describeWriteError(error));
        }
        data += written;
        left -= static_cast<std::size_t>(written);
    }
    if (::close(fd) != 0 || ::rename(temporary.c_str(), file.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        throw ReportError(file.string() + ": " + describeWriteError(error));
    }
}

} // namespace

std::vector<std::string> manifestEntries(const std::filesystem::path& folder)
{
    std::vector<std::string> names;
    std::ifstream in(folder / kReportManifest);
    std::string line;
    while (std::getline(in, line)) {
        // One bare name a line: nothing with a separator or '..' is ever BuildScope's.
        if (line.empty() || line.front() == '#' || line == "." || line == ".." || line.find('/') != std::string::npos)
            continue;
        names.push_back(line);
    }
    return names;
}

std::string reportFolderProblem(const std::filesystem::path& folder, const std::vector<std::string>& names)
{
    std::error_code error;
    const std::filesystem::file_status status = std::filesystem::symlink_status(folder, error);
    if (!std::filesystem::exists(status))
        return {};
    if (!std::filesystem::is_directory(std::filesystem::status(folder, error)))
        return "'" + folder.string() + "' is not a folder";
    if (std::filesystem::is_empty(folder, error) && !error)
        return {};
    if (!std::filesystem::exists(folder / kReportManifest, error)) {
        std::string problem = "'" + folder.string() + "' holds files BuildScope did not write (" + someEntries(folder)
            + "); a report is written into an empty or new folder, or one that holds a BuildScope report";
        if (looksLikeAnOldReport(folder))
            problem += " (this one looks like a report of a BuildScope older than report manifests: remove it, or "
                       "choose another folder)";
        return problem;
    }
    const std::vector<std::string> listed = manifestEntries(folder);
    for (const std::string& name : names) {
        if (std::filesystem::exists(std::filesystem::symlink_status(folder / name, error)) && !isListed(listed, name))
            return "'" + (folder / name).string()
                + "' was not written by BuildScope (its report manifest does not list it) and would be replaced";
    }
    return {};
}

std::string runReportTargetProblem(const std::filesystem::path& folder, int repeat)
{
    if (repeat <= 1)
        return reportFolderProblem(folder, reportFileNames());
    std::vector<std::string> rounds;
    for (int index = 1; index <= repeat; ++index)
        rounds.push_back("run-" + std::to_string(index));
    // An existing round folder is judged by its own manifest below (an empty one is fine).
    if (std::string problem = reportFolderProblem(folder, {}); !problem.empty())
        return problem;
    for (const std::string& round : rounds) {
        if (std::string problem = reportFolderProblem(folder / round, reportFileNames()); !problem.empty())
            return problem;
    }
    return {};
}

void createReportFolder(const std::filesystem::path& folder, ReportSharing sharing)
{
    std::filesystem::path path;
    for (const std::filesystem::path& part : folder) {
        path /= part;
        if (path == path.root_path() || part.empty())
            continue;
        if (::mkdir(path.c_str(), sharing == ReportSharing::Private ? 0700 : 0777) == 0) {
            // Exactly 0700 whatever the umask (which may also take the owner's bits).
            if (sharing == ReportSharing::Private)
                ::chmod(path.c_str(), 0700);
            continue;
        }
        const int error = errno;
        std::error_code ignored;
        if (error == EEXIST && std::filesystem::is_directory(path, ignored))
            continue;
        throw ReportError(path.string() + ": cannot create the report folder: "
            + (error == EEXIST ? std::string("not a folder") : describeWriteError(error)));
    }
}

void claimInReportFolder(const std::filesystem::path& folder, const std::string& name, ReportSharing sharing)
{
    std::vector<std::string> names = manifestEntries(folder);
    std::error_code error;
    if (isListed(names, name) && std::filesystem::exists(folder / kReportManifest, error))
        return;
    names.push_back(name);
    writeManifest(folder, names, sharing);
}

bool removeFromReportFolder(const std::filesystem::path& folder, const std::string& name)
{
    std::vector<std::string> names = manifestEntries(folder);
    if (!isListed(names, name))
        return false;
    const std::filesystem::path path = folder / name;
    std::error_code error;
    const std::filesystem::file_status status = std::filesystem::symlink_status(path, error);
    bool gone = !std::filesystem::exists(status);
    bool ours = true;
    if (std::filesystem::is_directory(status)) {
        for (const std::string& inner : manifestEntries(path))
            removeFromReportFolder(path, inner);
        // What is left is someone's: the folder keeps it and is no longer BuildScope's (its
        // manifest goes, and so does its line in this one).
        std::filesystem::remove(path / kReportManifest, error);
        gone = std::filesystem::remove(path, error); // only when nothing else is left in it
        ours = gone;
    } else if (!gone) {
        gone = std::filesystem::remove(path, error);
    }
    if (gone || !ours) {
        std::erase(names, name);
        writeManifest(folder, names, ReportSharing::Private);
    }
    return gone;
}

int openReportFile(const std::filesystem::path& file, ReportSharing sharing)
{
    const bool isPrivate = sharing == ReportSharing::Private;
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, isPrivate ? 0600 : 0666);
    if (fd >= 0 && isPrivate && ::fchmod(fd, 0600) != 0) {
        const int error = errno;
        ::close(fd);
        errno = error;
        return -1;
    }
    return fd;
}

std::string describeWriteError(int error)
{
    if (error == ENOSPC)
        return std::string("the disk is full (") + std::strerror(error) + ")";
    if (error == EROFS)
        return std::string("the file system is read-only (") + std::strerror(error) + ")";
    if (error == EDQUOT)
        return std::string("the disk quota is used up (") + std::strerror(error) + ")";
    return std::strerror(error);
}

} // namespace buildscope
