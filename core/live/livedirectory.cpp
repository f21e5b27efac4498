#include "live/livedirectory.h"

#include "report/runjson.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace buildscope::live {

namespace {

std::filesystem::path defaultDirectory()
{
    if (const char* override = std::getenv("BUILDSCOPE_LIVE_DIR"); override && *override)
        return override;
    if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime && *runtime)
        return std::filesystem::path(runtime) / "buildscope";
    const char* temporary = std::getenv("TMPDIR");
    const std::filesystem::path base = temporary && *temporary ? temporary : "/tmp";
    return base / ("buildscope-" + std::to_string(::getuid()));
}

bool engineAlive(std::int64_t pid)
{
    return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

std::optional<LiveRunInfo> readDescriptor(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::string text(64 * 1024, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    const QJsonObject object = QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
    // A descriptor is any file in a user-writable directory: a pid that is not a positive
    // pid_t is not one of ours.
    const double pid = object.value("pid").toDouble(-1);
    if (!(pid >= 1 && pid <= 2147483647.0) || std::trunc(pid) != pid || !object.value("socket").isString())
        return std::nullopt;
    LiveRunInfo info;
    info.pid = static_cast<std::int64_t>(pid);
    info.socket = object.value("socket").toString().toStdString();
    info.specName = object.value("spec_name").toString().toStdString();
    info.specFile = object.value("spec_file").toString().toStdString();
    info.command = object.value("command").toString().toStdString();
    info.workingDirectory = object.value("cwd").toString().toStdString();
    info.startedAt = parseIsoTime(object.value("started_at").toString()).value_or(std::chrono::system_clock::time_point());
    return info;
}

} // namespace

std::filesystem::path liveDirectory()
{
    const std::filesystem::path directory = defaultDirectory();
    if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST)
        throw LiveError(directory.string() + ": cannot create the live-run directory: " + std::strerror(errno));
    struct stat info
    { };
    if (::lstat(directory.c_str(), &info) != 0)
        throw LiveError(directory.string() + ": " + std::strerror(errno));
    if (!S_ISDIR(info.st_mode))
        throw LiveError(directory.string() + ": not a directory (a symbolic link or file is in the way)");
    if (info.st_uid != ::getuid())
        throw LiveError(directory.string() + ": owned by another user; live runs are not published there");
    if ((info.st_mode & 077) != 0)
        throw LiveError(directory.string() + ": readable by other users (mode "
            + std::to_string(info.st_mode & 0777) + " octal " + [&] {
                  char text[8];
                  std::snprintf(text, sizeof text, "%03o", info.st_mode & 0777);
                  return std::string(text);
              }() + "); make it 0700");
    return directory;
}

std::filesystem::path socketPath(const std::filesystem::path& directory, std::int64_t pid)
{
    return directory / (std::to_string(pid) + ".sock");
}

std::filesystem::path descriptorPath(const std::filesystem::path& directory, std::int64_t pid)
{
    return directory / (std::to_string(pid) + ".json");
}

void writeDescriptor(const std::filesystem::path& directory, const LiveRunInfo& info)
{
    QJsonObject object;
    object["pid"] = static_cast<double>(info.pid);
    object["socket"] = QString::fromStdString(info.socket.string());
    object["spec_name"] = QString::fromStdString(info.specName);
    object["spec_file"] = QString::fromStdString(info.specFile.string());
    object["command"] = QString::fromStdString(info.command);
    object["cwd"] = QString::fromStdString(info.workingDirectory.string());
    const auto ms
        = std::chrono::duration_cast<std::chrono::milliseconds>(info.startedAt.time_since_epoch()).count();
    object["started_at"] = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
    const QByteArray json = QJsonDocument(object).toJson(QJsonDocument::Compact);

    const std::filesystem::path target = descriptorPath(directory, info.pid);
    const std::filesystem::path temporary = target.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(json.constData(), json.size());
        if (!out)
            throw LiveError(temporary.string() + ": cannot write: " + std::strerror(errno));
    }
    std::error_code error;
    std::filesystem::rename(temporary, target, error);
    if (error)
        throw LiveError(target.string() + ": " + error.message());
}

std::vector<LiveRunInfo> listLiveRuns(const std::filesystem::path& directory)
{
    std::vector<LiveRunInfo> runs;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
        if (entry.path().extension() != ".json")
            continue;
        const std::optional<LiveRunInfo> info = readDescriptor(entry.path());
        if (!info)
            continue;
        if (!engineAlive(info->pid)) {
            // The engine was killed before it could clean up: its entry is stale.
            std::filesystem::remove(entry.path(), error);
            std::filesystem::remove(info->socket, error);
            continue;
        }
        runs.push_back(*info);
    }
    std::sort(runs.begin(), runs.end(), [](const LiveRunInfo& a, const LiveRunInfo& b) { return a.startedAt > b.startedAt; });
    return runs;
}

std::optional<LiveRunInfo> findLiveRun(const std::filesystem::path& directory, std::int64_t pid)
{
    for (const LiveRunInfo& run : listLiveRuns(directory)) {
        if (run.pid == pid)
            return run;
    }
    return std::nullopt;
}

} // namespace buildscope::live
