// Sample-to-screen latency of a live run (not a Google Benchmark: it runs the engine as
// a process and watches it as the dashboard does).
//
//   ./live_latency ENGINE [SECONDS]
//
// Starts `ENGINE run --no-store --progress none -- sleep SECONDS` (default 10), attaches
// the dashboard's RunController to it, and at every refresh the window would draw
// (RunController::refreshed, 30 Hz) records how old the newest sample is: from the
// moment the engine's sampler took it (its steady clock, shared by processes on one
// machine) to the moment the window receives it. The replot that follows adds the chart
// harness's replot time (docs/PERFORMANCE.md). Prints median, p95 and max.

#include "live/livedirectory.h"
#include "runview/runcontroller.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <vector>

using namespace buildscope;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: live_latency ENGINE [SECONDS]\n");
        return 2;
    }
    const QString seconds = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QStringLiteral("10");
    QProcess engine;
    engine.start(QString::fromLocal8Bit(argv[1]),
        {"run", "--no-store", "--progress", "none", "--", "sleep", seconds});
    if (!engine.waitForStarted())
        return 2;
    const std::filesystem::path socket = live::socketPath(live::liveDirectory(), engine.processId());

    RunController controller;
    std::vector<double> ages;
    QObject::connect(&controller, &RunController::refreshed, [&](const RunUpdate& update) {
        if (!std::isnan(update.newestSampleAgeSeconds))
            ages.push_back(update.newestSampleAgeSeconds * 1000.0);
    });
    QObject::connect(&controller, &RunController::allRunsFinished, &app, &QCoreApplication::quit);
    QTimer attach;
    QObject::connect(&attach, &QTimer::timeout, [&] {
        QString error;
        if (std::filesystem::exists(socket) && controller.attach(QString::fromStdString(socket.string()), &error))
            attach.stop();
    });
    attach.start(10);
    app.exec();
    engine.waitForFinished();

    if (ages.empty()) {
        std::fprintf(stderr, "no live samples were received\n");
        return 1;
    }
    std::sort(ages.begin(), ages.end());
    auto at = [&](double q) { return ages[static_cast<std::size_t>(q * static_cast<double>(ages.size() - 1))]; };
    std::printf("sample taken -> window update: %zu updates, median %.1f ms, p95 %.1f ms, max %.1f ms\n",
        ages.size(), at(0.5), at(0.95), ages.back());
    return 0;
}
