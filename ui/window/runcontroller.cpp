#include "window/runcontroller.h"

#include "history/runhistory.h"
#include "engine/runrecorder.h"
#include "report/reportreader.h"
#include "report/reportwriter.h"
#include "spec/specloader.h"

#include <QDir>

namespace buildscope {

RunController::RunController(QObject* parent)
    : QObject(parent)
{
    setRefreshHz(30);
    connect(&m_refresh, &QTimer::timeout, this, &RunController::tick);
}

RunController::~RunController()
{
    if (m_engine)
        m_engine->cancel(); // the engine's destructor then waits for its thread
}

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
    m_sourcePath = path;
    m_contextLabels = detectContextLabels(m_spec->context);
    m_engine.reset();
    m_loadedStore.reset();
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

bool RunController::openReport(const QString& directory, QString* error)
{
    if (isRunning()) {
        if (error)
            *error = tr("A build is running; stop it before opening a report.");
        return false;
    }
    try {
        return showLoaded(readRunReport(QDir(directory).absolutePath().toStdString()), directory);
    } catch (const ReportError& reportError) {
        if (error)
            *error = QString::fromStdString(reportError.what());
        return false;
    }
}

bool RunController::openStoredRun(std::int64_t id, QString* error)
{
    if (isRunning() || !m_history) {
        if (error)
            *error = isRunning() ? tr("A build is running; stop it before opening another run.")
                                 : tr("The run history is not available.");
        return false;
    }
    try {
        return showLoaded(m_history->load(id), tr("run %1 from the history").arg(id));
    } catch (const HistoryError& historyError) {
        if (error)
            *error = QString::fromStdString(historyError.what());
        return false;
    }
}

bool RunController::showLoaded(LoadedReport report, const QString& source)
{
    m_loadedStore = report.samples.toStore();
    m_finished = {std::move(report.result)};
    m_spec.reset();
    m_engine.reset();
    m_sourcePath = source;

    const RunResult& result = m_finished.front();
    RunUpdate update;
    update.samples = m_loadedStore->snapshot();
    update.steps = result.steps;
    update.nowSeconds = update.samples->lastSeconds();
    update.pools = result.pools;
    update.operations = result.operations;
    update.progress.status = result.status;
    update.progress.elapsedSeconds = result.durationSeconds();
    update.logRestarted = true;
    emit refreshed(update);
    return true;
}

const TimeSeriesStore* RunController::store() const noexcept
{
    if (m_engine)
        return &m_engine->store();
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

void RunController::start(int repeat)
{
    if (!m_spec || isRunning())
        return;
    m_finished.clear();
    m_loadedStore.reset();
    m_runCount = std::max(1, repeat);
    m_runIndex = 0;
    m_stopRequested = false;
    startNextRun();
}

void RunController::startNextRun()
{
    EngineOptions options;
    options.sampleHz = m_sampleHz;
    options.labels = m_contextLabels;
    options.labels.emplace_back("source", "dashboard");
    m_engine = std::make_unique<BuildEngine>(*m_spec, options);
    m_recorder = std::make_unique<RunRecorder>(m_history, *m_spec, options,
        [this](const std::string& message) { emit historyFailed(QString::fromStdString(message)); });
    m_nextLog = 0;
    m_logRestarted = true;
    ++m_runIndex;
    m_engine->start();
    m_refresh.start();
    emit runStarted(m_runIndex, m_runCount);
    tick();
}

void RunController::stop()
{
    m_stopRequested = true;
    if (m_engine)
        m_engine->cancel();
}

RunUpdate RunController::collect()
{
    RunUpdate update;
    update.logRestarted = std::exchange(m_logRestarted, false);
    update.samples = m_engine->store().snapshot();
    m_nextLog = m_engine->log().copySince(m_nextLog, update.newLogEntries, 5000);
    update.progress = m_engine->progress();
    update.nowSeconds = update.progress.elapsedSeconds;
    update.running = !m_engine->isFinished();
    update.steps = m_engine->stepResults();
    if (update.progress.currentStep >= 0) // the running step grows until now
        update.steps[static_cast<std::size_t>(update.progress.currentStep)].endSeconds = update.nowSeconds;
    update.pools = m_engine->poolStatistics();
    update.operations = OperationRegistry::global().statistics();
    return update;
}

void RunController::tick()
{
    if (!m_engine)
        return;
    std::vector<EngineEvent> events;
    m_engine->drainEvents(events); // progress() and the log carry what the window shows
    const bool finished = m_engine->isFinished();
    RunUpdate update = collect();
    if (finished) {
        // Recorded before the last refresh, so the window's final view knows the result.
        m_refresh.stop();
        m_finished.push_back(m_engine->result());
        if (m_recorder)
            m_recorder->finish(*m_engine);
    } else if (m_recorder) {
        m_recorder->flush(*m_engine);
    }
    emit refreshed(update);
    if (!finished)
        return;
    const RunResult& result = m_finished.back();
    emit runFinished(m_runIndex, m_runCount, result);
    if (m_runIndex < m_runCount && !m_stopRequested && result.status != RunStatus::Cancelled) {
        startNextRun();
        return;
    }
    emit allRunsFinished();
}

} // namespace buildscope
