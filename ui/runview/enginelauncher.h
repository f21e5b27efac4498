#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace buildscope {

// Starts the engine (`buildscope run ...`) as a process of its own, detached from the
// dashboard: a dashboard that crashes or quits never takes a build with it, and the
// engine's heap, pool and RSS figures are its own, not the dashboard's.
class EngineLauncher
{
public:
    struct Started
    {
        qint64 pid = 0;
        QString errorFile; // the engine's stderr: why it stopped, if it stops before publishing
    };

    // The `buildscope` program: $BUILDSCOPE_ENGINE, else beside this program (inside
    // BuildScope.app on macOS), else the build tree's app/cli, else PATH. Empty if none.
    static QString enginePath();

    // Starts `buildscope run ARGS`; on failure returns nothing and sets `error`.
    static std::optional<Started> start(const QStringList& runArguments, const QString& workingDirectory,
        QString* error);
};

} // namespace buildscope
