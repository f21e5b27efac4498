#include "runview/enginelauncher.h"

#include "live/livedirectory.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

namespace buildscope {

QString EngineLauncher::enginePath()
{
    const QString configured = qEnvironmentVariable("BUILDSCOPE_ENGINE");
    if (!configured.isEmpty())
        return QFileInfo(configured).isExecutable() ? configured : QString();
    const QDir here(QCoreApplication::applicationDirPath());
    // Installed side by side (bin/, BuildScope.app/Contents/MacOS), then the build tree.
    for (const QString& candidate : {here.filePath(QStringLiteral("buildscope")),
             here.filePath(QStringLiteral("../cli/buildscope"))}) {
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    }
    return QStandardPaths::findExecutable(QStringLiteral("buildscope"));
}

std::optional<EngineLauncher::Started> EngineLauncher::start(
    const QStringList& runArguments, const QString& workingDirectory, QString* error)
{
    const QString program = enginePath();
    if (program.isEmpty()) {
        if (error)
            *error = QObject::tr("The engine program 'buildscope' was not found beside the dashboard or on PATH.");
        return std::nullopt;
    }
    QString directory;
    try {
        directory = QString::fromStdString(live::liveDirectory().string());
    } catch (const live::LiveError& liveError) {
        if (error)
            *error = QString::fromStdString(liveError.what());
        return std::nullopt;
    }
    static int launches = 0;
    Started started;
    started.errorFile = QDir(directory).filePath(
        QStringLiteral("dashboard-%1-%2.stderr").arg(QCoreApplication::applicationPid()).arg(++launches));

    QProcess process;
    process.setProgram(program);
    process.setArguments(QStringList {QStringLiteral("run")} + runArguments);
    process.setWorkingDirectory(workingDirectory);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(QProcess::nullDevice());
    process.setStandardErrorFile(started.errorFile);
    if (!process.startDetached(&started.pid)) {
        if (error)
            *error = QObject::tr("Cannot start %1: %2").arg(program, process.errorString());
        return std::nullopt;
    }
    return started;
}

} // namespace buildscope
