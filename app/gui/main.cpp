// buildscope-gui: the dashboard. `buildscope-gui [SPEC | REPORT_DIR | --attach [PID] | -- CMD ARGS...]`.
#include "buildscopeapplication.h"
#include "charts/chartpanel.h"
#include "live/livedirectory.h"
#include "report/libraryversions.h"
#include "theme/appearance.h"
#include "window/mainwindow.h"
#include "window/preferencesdialog.h"

#include <QCommandLineParser>
#include <cmath>
#include <cstdio>
#include <optional>
#include <QDir>
#include <QTimer>
#include <utility>
#include <vector>

namespace {

// Emits `painted` once, after the first paint of the watched widget.
class FirstPaintWatcher : public QObject
{
    Q_OBJECT

public:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Paint && !m_done) {
            m_done = true;
            emit painted();
        }
        return QObject::eventFilter(watched, event);
    }

signals:
    void painted();

private:
    bool m_done = false;
};

} // namespace

int main(int argc, char** argv)
{
    using namespace buildscope;
    QApplication::setOrganizationName("BuildScope");
    QApplication::setOrganizationDomain("buildscope.dev");
    QApplication::setApplicationName("BuildScope");
    QApplication::setApplicationVersion(QString::fromStdString(buildscopeVersion()));
    BuildScopeApplication app(argc, argv);

    QCommandLineParser parser;
    parser.setApplicationDescription("BuildScope dashboard: watch a build's memory live, or open a report.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("path",
        "A buildscope.yaml spec, or a report folder written by `buildscope run --report`; with --attach, the "
        "engine's pid; after --, a command to run and watch.",
        "[SPEC | REPORT_DIR | PID | -- CMD ARGS...]");
    const QCommandLineOption attach("attach",
        "Watch a build started with `buildscope run` elsewhere: the one whose engine has pid PID, or the newest.");
    const QCommandLineOption run("run", "Start the build right away.");
    const QCommandLineOption repeat("repeat", "With --run: run N times.", "N", "1");
    const QCommandLineOption quitAfterRun(
        "quit-after-run", "Quit when the build(s) finished (exit status 0 if all succeeded).");
    const QCommandLineOption quitAfter("quit-after", "Quit after MS milliseconds (smoke tests).", "MS");
    const QCommandLineOption screenshot("screenshot", "Save the window as PNG to FILE before quitting.", "FILE");
    const QCommandLineOption snapshot(
        "snapshot", "Save the window as PNG at SECONDS after start (repeatable), e.g. 4=during.png.", "SECONDS=FILE");
    const QCommandLineOption quitAfterFirstPaint(
        "quit-after-first-paint", "Quit as soon as the window has been painted once (start-up time measurement).");
    const QCommandLineOption darkPaletteOption(
        "dark-palette", "Use the dark palette for this session, whatever Preferences say.");
    for (const auto& option :
        {run, repeat, attach, quitAfterRun, quitAfter, screenshot, snapshot, quitAfterFirstPaint, darkPaletteOption})
        parser.addOption(option);
    parser.process(app);

    // Numeric options bounded as the CLI's are: a message that states the range and exit
    // status 2, instead of toInt()'s silent 0.
    std::int64_t repeatCount = 1;
    std::int64_t quitAfterMs = 0;
    std::vector<std::pair<std::int64_t, QString>> snapshots; // ms after start, file
    constexpr double kDayMs = 24.0 * 3600 * 1000;
    auto bounded = [](const char* name, const QString& text, double min, double max, bool whole) -> std::optional<double> {
        bool ok = false;
        const double value = text.trimmed().toDouble(&ok);
        if (ok && std::isfinite(value) && value >= min && value <= max && (!whole || std::trunc(value) == value))
            return value;
        std::fprintf(stderr, "buildscope-gui: %s expects %s from %g to %g, got '%s'\n", name,
            whole ? "a whole number" : "a number", min, max, qPrintable(text));
        return std::nullopt;
    };
    if (const auto value = bounded("--repeat", parser.value(repeat), 1, 1000, true)) // the CLI's --repeat range
        repeatCount = static_cast<std::int64_t>(*value);
    else
        return 2;
    if (parser.isSet(quitAfter)) {
        const auto value = bounded("--quit-after", parser.value(quitAfter), 0, kDayMs, true);
        if (!value)
            return 2;
        quitAfterMs = static_cast<std::int64_t>(*value);
    }
    for (const QString& request : parser.values(snapshot)) {
        const auto seconds = bounded("--snapshot", request.section('=', 0, 0), 0, kDayMs / 1000, false);
        if (!seconds)
            return 2;
        snapshots.emplace_back(static_cast<std::int64_t>(*seconds * 1000), request.section('=', 1));
    }

    // Light or dark as chosen in Preferences (the system's by default); the flag wins for
    // this session without changing the choice.
    applyAppearance(parser.isSet(darkPaletteOption) ? Appearance::Dark : PreferencesDialog::appearance());
    MainWindow window;
    FirstPaintWatcher firstPaint;
    if (parser.isSet(quitAfterFirstPaint)) {
        window.installEventFilter(&firstPaint);
        QObject::connect(
            &firstPaint, &FirstPaintWatcher::painted, &app, [&app] { app.exit(0); }, Qt::QueuedConnection);
    }
    app.setMainWindow(&window);
    window.show();

    const bool commandGiven = QCoreApplication::arguments().contains(QStringLiteral("--"));
    const bool offscreen = QApplication::platformName() == "offscreen";
    if (parser.isSet(attach)) {
        QString socket;
        try {
            const std::filesystem::path directory = live::liveDirectory();
            if (!parser.positionalArguments().isEmpty()) {
                if (const auto found = live::findLiveRun(directory, parser.positionalArguments().front().toLongLong()))
                    socket = QString::fromStdString(found->socket.string());
            } else if (const auto runs = live::listLiveRuns(directory); !runs.empty()) {
                socket = QString::fromStdString(runs.front().socket.string());
            }
        } catch (const live::LiveError& error) {
            qCritical("%s", error.what());
        }
        QString error;
        if (socket.isEmpty()) {
            qCritical("no running build to attach to%s",
                parser.positionalArguments().isEmpty() ? "" : " with that pid");
            if (offscreen)
                return 2;
        } else if (!window.attachTo(socket, &error) && offscreen) {
            qCritical("%s", qPrintable(error));
            return 2;
        }
    } else if (commandGiven && !parser.positionalArguments().isEmpty()) {
        if (!window.runCommand(parser.positionalArguments(), QDir::currentPath()) && offscreen)
            return 2;
    } else if (!parser.positionalArguments().isEmpty()) {
        QString error;
        if (!window.openPath(parser.positionalArguments().front(), &error)
            && QApplication::platformName() == "offscreen") {
            qCritical("%s", qPrintable(error));
            return 2;
        }
    }

    int exitStatus = 0;
    auto finish = [&] {
        if (parser.isSet(screenshot)) {
            window.repaint();
            window.grab().save(parser.value(screenshot));
        }
        app.exit(exitStatus);
    };
    if (parser.isSet(quitAfterRun) && (parser.isSet(attach) || commandGiven)) {
        QObject::connect(&window.controller(), &RunController::runFinished, &app, [&](int, int, const RunResult& result) {
            if (result.status != RunStatus::Succeeded)
                exitStatus = 1;
        });
        QObject::connect(&window.controller(), &RunController::allRunsFinished, &app,
            [&] { QTimer::singleShot(200, &app, finish); });
    }
    if (parser.isSet(run) && window.controller().hasSpec()) {
        QObject::connect(
            &window.controller(), &RunController::runFinished, &app, [&](int, int, const RunResult& result) {
                if (result.status != RunStatus::Succeeded)
                    exitStatus = 1;
            });
        if (parser.isSet(quitAfterRun))
            QObject::connect(&window.controller(), &RunController::allRunsFinished, &app,
                [&] { QTimer::singleShot(200, &app, finish); });
        window.controller().start(static_cast<int>(repeatCount));
    }
    for (const auto& [ms, file] : snapshots) {
        QTimer::singleShot(static_cast<int>(ms), &window, [&window, file = file] {
            window.repaint();
            window.grab().save(file);
        });
    }
    if (parser.isSet(quitAfter))
        QTimer::singleShot(static_cast<int>(quitAfterMs), &app, finish);
    return app.exec();
}

#include "main.moc"
