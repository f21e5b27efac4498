#include "engine/runsession.h"

#include "engine/contextlabels.h"
#include "engine/livepublisher.h"
#include "engine/runrecorder.h"
#include "report/reportfolder.h"
#include "report/reportwriter.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <unistd.h>

namespace buildscope {

namespace {

// run-N -> N, else 0.
int roundNumber(const std::string& text)
{
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

// log.txt: every line of the round as it was logged, on the run's clock. A write that
// fails (a full disk) is remembered, so a log cut short is reported, never silent.
class LogFile
{
public:
    LogFile(const std::filesystem::path& file, ReportSharing sharing)
        : m_path(file)
    {
        const int fd = openReportFile(file, sharing);
        if (fd < 0) {
            m_error = errno;
            return;
        }
        m_file = ::fdopen(fd, "w");
        if (!m_file) {
            m_error = errno;
            ::close(fd);
        }
    }
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
        ++m_lines;
        if (!m_file || m_error)
            return;
        const int written = entry.stream == LogStream::Engine
            ? std::fprintf(m_file, "%10.3f == %s\n", entry.seconds, entry.text.c_str())
            : std::fprintf(m_file, "%10.3f [%s] %s\n", entry.seconds, entry.step.c_str(), entry.text.c_str());
        if (written < 0)
            m_error = errno ? errno : EIO;
    }
    void flush()
    {
        if (m_file && !m_error && std::fflush(m_file) != 0)
            m_error = errno ? errno : EIO;
    }
    // Empty, or why the log is incomplete: what it holds of how many lines, and the error.
    std::string problem() const
    {
        if (!m_error)
            return {};
        if (!m_file)
            return "cannot write " + m_path.string() + ": " + describeWriteError(m_error);
        std::error_code error;
        const auto kept = std::filesystem::file_size(m_path, error);
        return m_path.string() + " is cut short: it holds the first " + (error ? "?" : std::to_string(kept))
            + " bytes of the round's " + std::to_string(m_lines) + " lines (" + describeWriteError(m_error) + ")";
    }

private:
    std::filesystem::path m_path;
    std::FILE* m_file = nullptr;
    // Written from the engine's threads as lines are logged.
    std::atomic<int> m_error {0};
    std::atomic<std::uint64_t> m_lines {0};
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

    if (m_config.reportDirectory)
        removeStaleRounds();

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

void RunSession::removeStaleRounds()
{
    // Only what the folder's manifest lists is BuildScope's to remove (issue 18.1): round
    // folders an earlier --repeat wrote that this one would not overwrite (run-6 .. run-10
    // when repeating 5 times, all of them for a single run), and with --repeat a single
    // run's report at the top, which would be read as one more run.
    const std::filesystem::path& base = *m_config.reportDirectory;
    for (const std::string& name : manifestEntries(base)) {
        const int round = roundNumber(name);
        const bool staleRound = round > 0 && (m_config.repeat == 1 || round > m_config.repeat);
        const bool topLevelReport = round == 0 && m_config.repeat > 1;
        if ((staleRound || topLevelReport) && removeFromReportFolder(base, name))
            m_removedStale.push_back(base / name);
    }
}

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
        const ReportSharing sharing = m_config.reportSharing;
        try {
            createReportFolder(*m_config.reportDirectory, sharing);
            if (m_config.repeat > 1)
                claimInReportFolder(*m_config.reportDirectory, reportDirectory->filename().string(), sharing);
            createReportFolder(*reportDirectory, sharing);
            // Removed first: a report folder never pairs this round's log with another's run.json.
            removeFromReportFolder(*reportDirectory, kRunJson);
            claimInReportFolder(*reportDirectory, kLogTxt, sharing);
        } catch (const ReportError& error) {
            observer.warning(error.what());
        }
        logFile = std::make_unique<LogFile>(*reportDirectory / kLogTxt, sharing);
        if (!logFile->isOpen())
            observer.warning(logFile->problem());
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
    outcome.storeError = recorder.error();
    if (logFile)
        logFile->flush();
    const std::string logProblem = logFile && logFile->isOpen() ? logFile->problem() : std::string();

    const RunResult& result = engine->result();
    outcome.exitCode = result.status == RunStatus::Succeeded ? ExitOk
        : result.status == RunStatus::Cancelled              ? ExitCancelled
                                                             : ExitFailed;
    if (reportDirectory) {
        try {
            writeRunReport(result, engine->store().snapshot(), *reportDirectory, m_config.reportSharing);
            outcome.report = reportDirectory;
        } catch (const ReportError& error) {
            outcome.reportError = error.what();
        }
        if (!logProblem.empty())
            outcome.reportError += (outcome.reportError.empty() ? "" : "; ") + logProblem;
        if (!outcome.reportError.empty() && outcome.exitCode == ExitOk)
            outcome.exitCode = ExitUsage;
    }
    // The build's own status comes first; a run that succeeded but was not stored is not
    // "exit 0" (issue 18.3): the user is told (RunObserver::warning) and the status says so.
    if (!outcome.storeError.empty() && outcome.exitCode == ExitOk)
        outcome.exitCode = ExitUsage;
    observer.roundFinished(*engine, outcome);
    return outcome;
}

} // namespace buildscope
