#include "runview/runcontroller.h"

#include "history/runhistory.h"
#include "live/livedirectory.h"
#include "report/reportreader.h"
#include "report/reportwriter.h"
#include "runview/enginelauncher.h"
#include "spec/specloader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <limits>

namespace buildscope {

namespace {

// The engine publishes within a second of starting (it opens the store and asks git for
// labels first); give a slow machine ten.
constexpr int kConnectAttempts = 300; // at 30 Hz

bool processAlive(qint64 pid)
{
    return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

double steadyNowSeconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

} // namespace

RunController::RunController(QObject* parent)
    : QObject(parent)
{
    setRefreshHz(30);
    connect(&m_refresh, &QTimer::timeout, this, &RunController::tick);
}

RunController::~RunController() = default; // watching stops; runs go on (the window asked first)

void RunController::setRefreshHz(double hz)
{
    m_refresh.setInterval(static_cast<int>(1000.0 / std::clamp(hz, 1.0, 120.0)));
}

bool RunController::openSpec(const QString& path, QString* error)
{
    if (isRunning()) {
        if (error)
            *error = tr("A build is running; stop it before opening another spec.");
        return false;
    }
    try {
        m_spec = loadSpec(path.toStdString());
    } catch (const SpecError& specError) {
        if (error)
            *error = QString::fromStdString(specError.what());
        return false;
    }
    m_command.clear();
    m_specPath = path;
    m_sourcePath = path;
    m_displayName = QString::fromStdString(m_spec->name);
    m_loadedStore.reset();
    m_liveStore.reset();
    m_finished.clear();
    RunUpdate update;
    for (const StepSpec& step : m_spec->steps) {
        StepResult result;
        result.name = step.name;
        result.kind = step.kind;
        update.steps.push_back(result);
    }
    update.logRestarted = true;
    emit refreshed(update);
    return true;
}

void RunController::setCommand(const QStringList& command, const QString& workingDirectory)
{
    m_spec.reset();
    m_specPath.clear();
    m_command = command;
    m_commandDirectory = workingDirectory;
    m_sourcePath = workingDirectory;
    m_displayName = command.isEmpty() ? QString() : QFileInfo(command.front()).fileName();
}

bool RunController::openReport(const QString& directory, QString* error)
{
    if (isRunning()) {
        if (error)
            *error = tr("A build is running; stop it before opening a report.");
        return false;
    }
    try {
        const QString absolute = QDir(directory).absolutePath();
        LoadedReport report = readRunReport(absolute.toStdString());
        const QString name = tr("%1 (report %2)")
                                 .arg(QString::fromStdString(report.result.specName), QDir(absolute).dirName());
        return showLoaded(std::move(report), directory, name);
    } catch (const ReportError& reportError) {
        if (error)
            *error = QString::fromStdString(reportError.what());
        return false;
    }
}

bool RunController::showStoredRun(LoadedReport report, std::int64_t id, QString* error)
{
    if (isRunning()) {
        if (error)
            *error = tr("A build is running; stop it before opening another run.");
        return false;
    }
    const QString name = tr("%1 (run %2)").arg(QString::fromStdString(report.result.specName)).arg(id);
    return showLoaded(std::move(report), tr("run %1 from the history").arg(id), name);
}

bool RunController::showLoaded(LoadedReport report, const QString& source, const QString& name)
{
    // The spec stays: what was loaded is shown, and Run runs the spec again.
    m_loadedStore = report.samples.toStore();
    m_liveStore.reset();
    m_finished = {std::move(report.result)};
    m_sourcePath = source;
    m_displayName = name;

    const RunResult& result = m_finished.front();
    RunUpdate update;
    update.samples = m_loadedStore->snapshot();
    update.steps = result.steps;
    update.nowSeconds = update.samples->lastSeconds();
    update.pools = result.pools;
    update.operations = result.operations;
    update.processes = std::make_shared<const std::vector<ProcessRecord>>(result.processes);
    update.progress.status = result.status;
    update.progress.elapsedSeconds = result.durationSeconds();
    update.logRestarted = true;
    emit refreshed(update);
    return true;
}

const TimeSeriesStore* RunController::store() const noexcept
{
    if (m_liveStore)
        return m_liveStore.get();
    return m_loadedStore.get();
}

std::map<std::string, std::vector<double>> RunController::stepSpread() const
{
    std::map<std::string, std::vector<double>> spread;
    for (const RunResult& run : m_finished) {
        for (const StepResult& step : run.steps) {
            if (step.status == StepStatus::Succeeded || step.status == StepStatus::Failed
                || step.status == StepStatus::TimedOut)
                spread[step.name].push_back(step.wallSeconds());
        }
    }
    return spread;
}

bool RunController::isRunning() const noexcept
{
    return (m_enginePid > 0 && !m_client && m_connectAttempts > 0)
        || (m_client && m_client->state() == live::LiveClient::State::Live);
}

bool RunController::start(int repeat, QString* error)
{
    if (!canRun() || isRunning())
        return false;
    QStringList arguments;
    QString directory = m_commandDirectory;
    if (m_spec) {
        arguments << QString::fromStdString(m_spec->file.string());
        directory = QString::fromStdString(m_spec->file.parent_path().string());
    }
    arguments << QStringLiteral("--repeat") << QString::number(std::max(1, repeat)) << QStringLiteral("--progress")
              << QStringLiteral("none") << QStringLiteral("--label") << QStringLiteral("source=dashboard");
    if (m_history)
        arguments << QStringLiteral("--store") << QString::fromStdString(m_history->file().string());
    else
        arguments << QStringLiteral("--no-store");
    if (m_sampleHz)
        arguments << QStringLiteral("--sample-hz") << QString::number(*m_sampleHz);
    if (!m_command.isEmpty())
        arguments << QStringLiteral("--") << m_command;

    QString why;
    const std::optional<EngineLauncher::Started> started = EngineLauncher::start(arguments, directory, &why);
    if (!started) {
        if (error)
            *error = why;
        emit engineFailed(why);
        return false;
    }
    detach();
    m_finished.clear();
    m_loadedStore.reset();
    m_enginePid = started->pid;
    m_engineErrorFile = started->errorFile;
    m_connectAttempts = kConnectAttempts;
    m_stopRequested = false;
    m_runIndex = 0;
    m_runCount = std::max(1, repeat);
    m_refresh.start();
    return true;
}

bool RunController::attach(const QString& socket, QString* error)
{
    if (isRunning()) {
        if (error)
            *error = tr("A build is being watched; stop watching it first.");
        return false;
    }
    try {
        auto client = std::make_unique<live::LiveClient>(socket.toStdString());
        detach();
        m_client = std::move(client);
        m_heardMessages = 0;
        m_lastHeard = {};
    } catch (const live::LiveError& liveError) {
        if (error)
            *error = QString::fromStdString(liveError.what());
        return false;
    }
    m_finished.clear();
    m_loadedStore.reset();
    m_attached = true;
    m_enginePid = 0;
    m_generation = 0;
    m_runIndex = 0;
    m_runCount = 0;
    m_refresh.start();
    tick();
    return true;
}

void RunController::detach()
{
    m_refresh.stop();
    if (m_client)
        m_client->disconnect();
    m_client.reset();
    m_attached = false;
    m_enginePid = 0;
    m_connectAttempts = 0;
    m_generation = 0;
}

void RunController::stop()
{
    m_stopRequested = true;
    qint64 pid = m_enginePid;
    if (pid <= 0 && m_client) {
        const live::LiveMirror::View view = m_client->mirror().view();
        pid = view.hello ? view.hello->enginePid : 0;
    }
    // The engine treats SIGINT as Ctrl-C: it stops the build's processes, keeps what it
    // measured, writes its report and records the run as cancelled.
    if (pid > 0)
        ::kill(static_cast<pid_t>(pid), SIGINT);
}

void RunController::connectToEngine()
{
    std::filesystem::path socket;
    try {
        socket = live::socketPath(live::liveDirectory(), m_enginePid);
    } catch (const live::LiveError& error) {
        finishWatching(QString::fromStdString(error.what()));
        return;
    }
    if (std::filesystem::exists(socket)) {
        try {
            m_client = std::make_unique<live::LiveClient>(socket);
            m_heardMessages = 0;
            m_lastHeard = {};
            m_connectAttempts = 0;
            return;
        } catch (const live::LiveError&) {
            // Not listening yet: try again at the next tick.
        }
    }
    if (!processAlive(m_enginePid) || --m_connectAttempts <= 0) {
        QFile errors(m_engineErrorFile);
        QString message = errors.open(QIODevice::ReadOnly) ? QString::fromUtf8(errors.readAll()).trimmed() : QString();
        if (message.isEmpty())
            message = processAlive(m_enginePid) ? tr("The engine did not publish its run within 10 seconds.")
                                                : tr("The engine stopped before the run began.");
        finishWatching(message);
    }
}

void RunController::finishWatching(const QString& failure)
{
    m_refresh.stop();
    m_connectAttempts = 0;
    if (!failure.isEmpty())
        emit engineFailed(failure);
    if (!m_engineErrorFile.isEmpty()) {
        QFile::remove(m_engineErrorFile);
        m_engineErrorFile.clear();
    }
    emit allRunsFinished();
}

RunUpdate RunController::collect(const live::LiveMirror::View& view)
{
    RunUpdate update;
    update.samples = view.store->snapshot();
    if (view.log)
        m_nextLog = view.log->copySince(m_nextLog, update.newLogEntries, 5000);
    update.steps = view.run.steps;
    const double newest = update.samples->lastSeconds();
    update.nowSeconds = std::max(view.progress.elapsedSeconds, std::isnan(newest) ? 0.0 : newest);
    update.running = !view.runEnded;
    update.progress.status = view.runEnded ? view.run.status : RunStatus::Running;
    update.progress.elapsedSeconds = update.nowSeconds;
    update.progress.currentStep = -1;
    for (std::size_t i = 0; i < update.steps.size(); ++i) {
        StepResult& step = update.steps[i];
        update.progress.steps.push_back(step.status);
        if (step.status == StepStatus::Running && update.running) {
            update.progress.currentStep = static_cast<int>(i);
            update.progress.stepStartSeconds = step.startSeconds;
            step.endSeconds = update.nowSeconds; // the running step grows until now
        }
    }
    update.pools = view.run.pools;
    update.operations = view.run.operations;
    // Copying the list is O(processes): at most twice a second, and at once when the run ends.
    const std::size_t shown = m_processes ? m_processes->size() : 0;
    if (view.processCount != shown && (view.runEnded || !m_processesAge.isValid() || m_processesAge.elapsed() >= 500)) {
        // Live records arrive in the order they ended; the final result may list them in
        // another order, so at the end the whole list is taken, not just its tail.
        const std::size_t from = view.runEnded ? 0 : shown;
        auto processes = std::make_shared<std::vector<ProcessRecord>>();
        processes->reserve(view.processCount);
        if (m_processes && from > 0)
            processes->assign(m_processes->begin(), m_processes->end());
        std::vector<ProcessRecord> added = m_client->mirror().processesSince(view.generation, from);
        std::move(added.begin(), added.end(), std::back_inserter(*processes));
        m_processes = std::move(processes);
        m_processesAge.start();
        update.processes = m_processes;
    }
    if (update.running)
        update.runningProcesses = view.running;
    if (update.running && view.clockOriginNs > 0 && !std::isnan(newest))
        update.newestSampleAgeSeconds = steadyNowSeconds() - (static_cast<double>(view.clockOriginNs) / 1e9 + newest);
    return update;
}

RunUpdate RunController::interruptedUpdate(const live::LiveMirror::View& view)
{
    RunUpdate update = collect(view);
    update.running = false;
    update.runningProcesses.clear(); // nothing of the build runs without its engine
    update.progress.status = RunStatus::Failed;
    update.progress.currentStep = -1;
    update.progress.steps.clear();
    for (StepResult& step : update.steps) {
        if (step.status == StepStatus::Running) {
            step.status = StepStatus::Failed;
            step.note = "interrupted: the engine stopped without finishing the run";
        }
        update.progress.steps.push_back(step.status);
    }
    update.newestSampleAgeSeconds = std::numeric_limits<double>::quiet_NaN();
    return update;
}

void RunController::tick()
{
    if (!m_client) {
        if (m_enginePid > 0)
            connectToEngine();
        return;
    }
    const live::LiveMirror::View view = m_client->mirror().view();
    if (const std::uint64_t applied = m_client->messagesApplied();
        applied != m_heardMessages || !m_lastHeard.isValid()) {
        m_heardMessages = applied;
        m_lastHeard = QDateTime::currentDateTime();
    }
    if (view.generation != m_generation && view.store) {
        m_generation = view.generation;
        m_nextLog = 0;
        m_processes.reset();
        m_processesAge.invalidate();
        m_liveStore = view.store;
        m_runIndex = view.runIndex;
        m_runCount = view.runCount;
        emit runStarted(m_runIndex, m_runCount);
        RunUpdate update = collect(view);
        update.logRestarted = true;
        emit refreshed(update);
    } else if (view.store) {
        emit refreshed(collect(view));
    }
    // Every round that ended, in order, even when two ended between ticks.
    const std::size_t ended = view.finished ? view.finished->size() : 0;
    while (m_finished.size() < ended) {
        m_finished.push_back((*view.finished)[m_finished.size()]);
        emit runFinished(static_cast<int>(m_finished.size()), std::max(m_runCount, 1), m_finished.back());
    }

    switch (m_client->state()) {
    case live::LiveClient::State::Live:
        return;
    case live::LiveClient::State::Ended:
        finishWatching();
        return;
    case live::LiveClient::State::Lost:
        if (!m_stopRequested && view.store && !view.runEnded) {
            // The engine vanished mid-run (kill -9, a crash): the run is interrupted, shown so
            // everywhere at once, as the history will show it (18.6). Not a failure to run.
            emit refreshed(interruptedUpdate(view));
            emit engineLost(tr("Interrupted: the engine stopped without finishing the run (last heard from at %1)")
                                .arg(QLocale().toString(m_lastHeard.time(), QLocale::LongFormat)));
            finishWatching();
            return;
        }
        finishWatching(m_stopRequested ? QString() : tr("The connection to the engine was lost: the engine was stopped, or it dropped this viewer."));
        return;
    case live::LiveClient::State::Failed:
        finishWatching(tr("The engine's stream could not be read: %1").arg(QString::fromStdString(m_client->error())));
        return;
    }
}

} // namespace buildscope
