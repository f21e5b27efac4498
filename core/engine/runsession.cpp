#include "engine/runsession.h"

#include "engine/contextlabels.h"
#include "engine/livepublisher.h"
#include "engine/runrecorder.h"
#include "report/reportwriter.h"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace buildscope {

namespace {

// The files a report folder may hold; a folder with anything else is not ours to remove.
bool isReportFile(const std::filesystem::path& name)
{
    static const std::vector<std::string> known {kRunJson, kSamplesCsv, kStepsCsv, kProcessesCsv, kOperationsCsv,
        kPoolsCsv, kLogTxt};
    const std::string text = name.filename().string();
    return std::find(known.begin(), known.end(), text) != known.end() || text.find(".tmp-") != std::string::npos;
}

bool isReportFolder(const std::filesystem::path& folder)
{
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
        if (!entry.is_regular_file() || !isReportFile(entry.path()))
            return false;
    }
    return !error;
}

// run-N -> N, else 0.
int roundNumber(const std::filesystem::path& name)
{
    const std::string text = name.filename().string();
    if (!text.starts_with("run-") || text.size() == 4)
        return 0;
    int number = 0;
    for (char c : text.substr(4)) {
        if (c < '0' || c > '9' || number > 1'000'000)
            return 0;
        number = number * 10 + (c - '0');
    }
    return number;
}

std::filesystem::path roundReportDirectory(const std::filesystem::path& base, int index, int count)
{
    return count == 1 ? base : base / ("run-" + std::to_string(index));
}

// log.txt: every line of the round as it was logged, on the run's clock.
class LogFile
{
public:
    explicit LogFile(const std::filesystem::path& file)
        : m_file(std::fopen(file.c_str(), "w"))
    { }
    ~LogFile()
    {
        if (m_file)
            std::fclose(m_file);
    }
    LogFile(const LogFile&) = delete;
    LogFile& operator=(const LogFile&) = delete;

    bool isOpen() const noexcept { return m_file != nullptr; }
    void write(const LogEntry& entry)
    {
        if (!m_file)
            return;
        if (entry.stream == LogStream::Engine)
            std::fprintf(m_file, "%10.3f == %s\n", entry.seconds, entry.text.c_str());
        else
            std::fprintf(m_file, "%10.3f [%s] %s\n", entry.seconds, entry.step.c_str(), entry.text.c_str());
    }
    void flush()
    {
        if (m_file)
            std::fflush(m_file);
    }

private:
    std::FILE* m_file;
};

} // namespace

RunSession::RunSession(RunSessionConfig config)
    : m_config(std::move(config))
{
    m_config.repeat = std::max(1, m_config.repeat);
    Labels labels = detectContextLabels(m_config.spec.context);
    for (const auto& [key, value] : m_config.engine.labels) {
        std::erase_if(labels, [&](const auto& label) { return label.first == key; });
        labels.emplace_back(key, value);
    }
    m_config.engine.labels = std::move(labels);

    if (m_config.reportDirectory) {
        const std::filesystem::path& base = *m_config.reportDirectory;
        std::error_code error;
        for (const auto& entry : std::filesystem::directory_iterator(base, error)) {
            const int round = roundNumber(entry.path());
            const bool staleRound = round > 0 && (m_config.repeat == 1 || round > m_config.repeat);
            if (staleRound && entry.is_directory() && isReportFolder(entry.path())) {
                std::filesystem::remove_all(entry.path(), error);
                m_removedStale.push_back(entry.path());
            } else if (m_config.repeat > 1 && entry.is_regular_file() && isReportFile(entry.path())) {
                // A single run's report at the top would be read as one more run.
                std::filesystem::remove(entry.path(), error);
                m_removedStale.push_back(entry.path());
            }
        }
    }

    if (m_config.publishLive) {
        try {
            const std::filesystem::path directory = live::liveDirectory();
            live::LiveRunInfo info;
            info.pid = ::getpid();
            info.specName = m_config.spec.name;
            info.specFile = m_config.spec.file;
            info.command = m_config.commandLine;
            std::error_code error;
            info.workingDirectory = std::filesystem::current_path(error);
            info.startedAt = std::chrono::system_clock::now();
            m_publisher = std::make_unique<LivePublisher>(directory, info);
        } catch (const live::LiveError& error) {
            m_liveProblem = std::string("this run is not published for viewers: ") + error.what();
        }
    }
}

RunSession::~RunSession() = default;

std::filesystem::path RunSession::liveSocket() const
{
    return m_publisher ? m_publisher->socket() : std::filesystem::path();
}

ExitCode RunSession::run(const std::atomic<bool>& stop, RunObserver& observer)
{
    if (!m_liveProblem.empty())
        observer.warning(m_liveProblem);
    ExitCode worst = ExitOk;
    for (int index = 1; index <= m_config.repeat; ++index) {
        const RoundOutcome outcome = runRound(index, stop, observer);
        if (outcome.exitCode == ExitCancelled) {
            worst = ExitCancelled;
            break;
        }
        if (outcome.exitCode != ExitOk && worst == ExitOk)
            worst = outcome.exitCode;
    }
    if (m_publisher)
        m_publisher->finish(worst);
    return worst;
}

RoundOutcome RunSession::runRound(int index, const std::atomic<bool>& stop, RunObserver& observer)
{
    RoundOutcome outcome;
    outcome.index = index;
    outcome.count = m_config.repeat;

    std::optional<std::filesystem::path> reportDirectory;
    std::unique_ptr<LogFile> logFile;
    if (m_config.reportDirectory) {
        reportDirectory = roundReportDirectory(*m_config.reportDirectory, index, m_config.repeat);
        std::error_code error;
        std::filesystem::create_directories(*reportDirectory, error);
        // Removed first: a report folder never pairs this round's log with another's run.json.
        std::filesystem::remove(*reportDirectory / kRunJson, error);
        logFile = std::make_unique<LogFile>(*reportDirectory / kLogTxt);
        if (!logFile->isOpen())
            observer.warning("cannot write " + (*reportDirectory / kLogTxt).string());
    }

    EngineOptions options = m_config.engine;
    options.onLogEntry = [&observer, file = logFile.get()](const LogEntry& entry) {
        observer.logEntry(entry);
        if (file)
            file->write(entry);
    };
    auto engine = std::make_shared<BuildEngine>(m_config.spec, options);
    RunRecorder recorder(m_config.history, m_config.spec, options,
        [&observer](const std::string& message) { observer.warning(message); });
    engine->start();
    if (m_publisher)
        m_publisher->beginRun(engine, index, m_config.repeat);
    observer.roundStarted(*engine, index, m_config.repeat);
    while (!engine->waitFor(std::chrono::milliseconds(100))) {
        if (stop.load(std::memory_order_relaxed) && !engine->cancelRequested())
            engine->cancel();
        observer.progress(*engine);
        recorder.flush(*engine);
    }
    if (m_publisher)
        m_publisher->endRun();
    recorder.finish(*engine);
    outcome.storedId = recorder.runId();
    if (logFile)
        logFile->flush();

    const RunResult& result = engine->result();
    outcome.exitCode = result.status == RunStatus::Succeeded ? ExitOk
        : result.status == RunStatus::Cancelled              ? ExitCancelled
                                                             : ExitFailed;
    if (reportDirectory) {
        try {
            writeRunReport(result, engine->store().snapshot(), *reportDirectory);
            outcome.report = reportDirectory;
        } catch (const ReportError& error) {
            outcome.reportError = error.what();
            if (outcome.exitCode == ExitOk)
                outcome.exitCode = ExitUsage;
        }
    }
    observer.roundFinished(*engine, outcome);
    return outcome;
}

} // namespace buildscope
