// buildscope-gui: the dashboard. `buildscope-gui [SPEC | REPORT_DIR]`.
#include "../cli/arguments.h"
#include "buildscopeapplication.h"
#include "charts/chartpanel.h"
#include "engine/processrunner.h"
#include "models/darkpalette.h"
#include "report/libraryversions.h"
#include "window/mainwindow.h"

#include <QCommandLineParser>
#include <QDir>
#include <QTimer>
#include <cstdio>
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
    parser.addPositionalArgument(
        "path", "A buildscope.yaml spec, or a report folder written by `buildscope run --report`.");
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
    const QCommandLineOption darkPaletteOption("dark-palette", "Use a dark palette (screenshots of the dark look).");
    for (const auto& option :
        {run, repeat, quitAfterRun, quitAfter, screenshot, snapshot, quitAfterFirstPaint, darkPaletteOption})
        parser.addOption(option);
    parser.process(app);

    // Numeric options through the CLI's bounded parser: a message that states the range and
    // exit status 2, as the CLI does, instead of toInt()'s silent 0.
    std::int64_t repeatCount = 1;
    std::int64_t quitAfterMs = 0;
    std::vector<std::pair<std::int64_t, QString>> snapshots; // ms after start, file
    try {
        using buildscope::cli::parseInteger;
        using buildscope::cli::parseNumber;
        repeatCount = parseInteger("--repeat", parser.value(repeat).toStdString(), 1, buildscope::cli::kMaxRepeat);
        constexpr std::int64_t kDayMs = 24 * 3600 * 1000;
        if (parser.isSet(quitAfter))
            quitAfterMs = parseInteger("--quit-after", parser.value(quitAfter).toStdString(), 0, kDayMs);
        for (const QString& request : parser.values(snapshot)) {
            const double seconds
                = parseNumber("--snapshot", request.section('=', 0, 0).toStdString(), 0, kDayMs / 1000.0);
            snapshots.emplace_back(static_cast<std::int64_t>(seconds * 1000), request.section('=', 1));
        }
    } catch (const buildscope::cli::UsageError& error) {
        std::fprintf(stderr, "buildscope-gui: %s\n", error.what());
        return 2;
    }

    ProcessRunner::becomeSubreaper();
    if (parser.isSet(darkPaletteOption))
        QApplication::setPalette(darkPalette());
    MainWindow window;
    FirstPaintWatcher firstPaint;
    if (parser.isSet(quitAfterFirstPaint)) {
        window.installEventFilter(&firstPaint);
        QObject::connect(
            &firstPaint, &FirstPaintWatcher::painted, &app, [&app] { app.exit(0); }, Qt::QueuedConnection);
    }
    app.setMainWindow(&window);
    window.show();

    if (!parser.positionalArguments().isEmpty()) {
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
