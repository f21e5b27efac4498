#include "history/runhistory.h"

#include "history/historyconnection.h"
#include "history/historyschema.h"
#include "history/historytransaction.h"
#include "history/processidentity.h"
#include "history/runrows.h"
#include "history/sqlvalues.h"
#include "history/storefilecheck.h"
#include "report/reportfolder.h"
#include "report/reportwriter.h"

#include <QCoreApplication>
#include <QStandardPaths>
#include <QStringList>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace buildscope {

using namespace sqlvalues;

namespace {

constexpr const char* kStatusRunning = "running";
constexpr const char* kStatusInterrupted = "interrupted";
constexpr const char* kInterruptedFailure = "interrupted: the recording process ended without finishing the run";

std::string environment(const char* name)
{
    const char* value = std::getenv(name);
    return value ? std::string(value) : std::string();
}

// The store files this process has open through a RunHistory, by device and inode.
//
// POSIX advisory locks belong to the process, and closing *any* descriptor of a file drops
// all of them. Reading the header of a store with a descriptor of our own while a
// connection of this process holds SQLite's locks on it dropped those locks: a connection
// in another process, closing, then took itself for the last one and deleted the -wal and
// -shm files under this one, whose later commits went to a deleted log and were lost
// (tst_historystress lost the dashboard's run that way). A file this process already has
// open is known to be a store, so it is not read again.
class OpenStores
{
public:
    using Key = std::pair<dev_t, ino_t>;

    static OpenStores& instance()
    {
        static OpenStores stores;
        return stores;
    }
    static std::optional<Key> keyOf(const std::filesystem::path& file)
    {
        struct stat status
        { };
        if (::stat(file.c_str(), &status) != 0)
            return std::nullopt;
        return Key {status.st_dev, status.st_ino};
    }
    bool contains(const Key& key)
    {
        std::lock_guard lock(m_mutex);
        return m_counts.contains(key);
    }
    void add(const Key& key)
    {
        std::lock_guard lock(m_mutex);
        ++m_counts[key];
    }
    void remove(const Key& key)
    {
        std::lock_guard lock(m_mutex);
        if (const auto it = m_counts.find(key); it != m_counts.end() && --it->second == 0)
            m_counts.erase(it);
    }

private:
    std::mutex m_mutex;
    std::map<Key, int> m_counts;
};

// Registers the store as open in this process from after its connection is set up until
// after the connection is closed (declared before it in Impl).
class OpenStoreRegistration
{
public:
    OpenStoreRegistration() = default;
    OpenStoreRegistration(const OpenStoreRegistration&) = delete;
    OpenStoreRegistration& operator=(const OpenStoreRegistration&) = delete;
    ~OpenStoreRegistration()
    {
        if (m_key)
            OpenStores::instance().remove(*m_key);
    }
    void registerFile(const std::filesystem::path& file)
    {
        m_key = OpenStores::keyOf(file);
        if (m_key)
            OpenStores::instance().add(*m_key);
    }

private:
    std::optional<OpenStores::Key> m_key;
};

// Decides how the store can be opened, before SQLite sees it: refuses files that are not
// stores (see checkStoreFile), creates the directory of a new store, and picks read-only
// when this user may not write the file or create its -wal/-shm files next to it.
HistoryConnection::Mode prepareFile(const std::filesystem::path& file)
{
    // Not read again while this process has it open (see OpenStores).
    if (const std::optional<OpenStores::Key> key = OpenStores::keyOf(file); !key || !OpenStores::instance().contains(*key))
        checkStoreFile(file);
    const std::filesystem::path directory = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
    std::error_code error;
    if (!std::filesystem::exists(file, error)) {
        // Private (issue 18.2): a new store's folders 0700 and the file 0600 whatever the
        // umask, created here before SQLite opens it; its -wal and -shm take its mode.
        try {
            createReportFolder(directory, ReportSharing::Private);
        } catch (const ReportError& problem) {
            throw HistoryError(file, std::string("cannot create the store's directory: ") + problem.what());
        }
        if (::access(directory.c_str(), W_OK) != 0)
            throw HistoryError(file, "cannot create the store: " + describeWriteError(errno));
        const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
            throw HistoryError(file, "cannot create the store: " + describeWriteError(errno));
        if (fd >= 0) {
            ::fchmod(fd, 0600);
            ::close(fd);
        }
        return HistoryConnection::Mode::ReadWrite;
    }
    if (::access(file.c_str(), R_OK) != 0)
        throw HistoryError(file, std::string("cannot read the store: ") + std::strerror(errno));
    if (::access(file.c_str(), W_OK) != 0 || ::access(directory.c_str(), W_OK) != 0)
        return HistoryConnection::Mode::ReadOnly;
    return HistoryConnection::Mode::ReadWrite;
}

std::optional<std::uint64_t> parseCount(std::string_view text)
{
    std::uint64_t value = 0;
    if (text.empty() || text.front() == '+')
        return std::nullopt;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

} // namespace

struct RunHistory::Impl
{
    explicit Impl(const std::filesystem::path& path)
        : file(path)
        , connection(path, prepareFile(path))
        , host(HostInfo::current())
    {
        prepareHistorySchema(connection);
        registration.registerFile(path); // the file exists now, even when it was new
        markInterruptedRuns();
    }

    // Runs left "running" by a process of this host that has ended become "interrupted".
    // When the store cannot be written (read-only, or locked by another process), they are
    // shown as interrupted all the same and the next writer marks them in the file.
    void markInterruptedRuns()
    {
        QSqlQuery query
            = connection.prepare(QStringLiteral("SELECT id, pid, pid_start_ticks, boot_id FROM runs "
                                                "WHERE status = 'running' AND pid IS NOT NULL AND host_name = :host"));
        query.bindValue(QStringLiteral(":host"), fromText(host.hostname));
        connection.exec(query, "cannot read the running runs");
        std::vector<std::int64_t> ended;
        while (query.next()) {
            ProcessIdentity recorder;
            recorder.pid = toSigned(query.value(1));
            if (!query.value(2).isNull())
                recorder.startTicks = toUnsigned(query.value(2));
            recorder.bootId = toText(query.value(3));
            if (recorder.hasEnded())
                ended.push_back(toSigned(query.value(0)));
        }
        query.finish();
        if (ended.empty())
            return;
        if (!connection.isReadOnly()) {
            try {
                HistoryTransaction transaction(connection);
                QSqlQuery mark
                    = connection.prepare(QStringLiteral("UPDATE runs SET status = 'interrupted', failure = :failure "
                                                        "WHERE id = :id AND status = 'running'"));
                for (std::int64_t id : ended) {
                    mark.bindValue(QStringLiteral(":failure"), QString::fromLatin1(kInterruptedFailure));
                    mark.bindValue(QStringLiteral(":id"), fromSigned(id));
                    connection.exec(mark, "cannot mark interrupted runs");
                }
                transaction.commit();
                return;
            } catch (const HistoryError&) {
                // Locked by another writer: reading must still work; fall through.
            }
        }
        interrupted.insert(ended.begin(), ended.end());
    }

    // The status as shown: the stored one, or "interrupted" for runs found interrupted
    // that could not be marked in the file. Ids are integers, so inlining them is safe.
    QString statusExpression() const
    {
        if (interrupted.empty())
            return QStringLiteral("status");
        QStringList ids;
        for (std::int64_t id : interrupted)
            ids << QString::number(id);
        return QStringLiteral("(CASE WHEN id IN (%1) THEN 'interrupted' ELSE status END)").arg(ids.join(u','));
    }

    std::string statusOf(std::int64_t runId) const
    {
        QSqlQuery query
            = connection.prepare(QStringLiteral("SELECT %1 FROM runs WHERE id = :id").arg(statusExpression()));
        query.bindValue(QStringLiteral(":id"), fromSigned(runId));
        connection.exec(query, "cannot read a run");
        if (!query.next())
            connection.fail("there is no run " + std::to_string(runId));
        return toText(query.value(0));
    }

    std::vector<RunRecord> records(const RunFilter& filter, bool withLabels) const
    {
        const QString status = statusExpression();
        QString sql
            = QStringLiteral("SELECT id, spec_name, spec_file, %1, started_at_ns, ended_at_ns, "
                             "CASE WHEN ended_at_ns IS NULL THEN (SELECT time_s + COALESCE(bucket_s, 0) FROM samples "
                             "  WHERE run_id = runs.id ORDER BY seq DESC LIMIT 1) END, "
                             "tree_peak_rss_bytes, host_name, context FROM runs WHERE 1 = 1")
                  .arg(status);
        if (!filter.specName.empty())
            sql += QStringLiteral(" AND spec_name = :spec");
        if (!filter.status.empty())
            sql += QStringLiteral(" AND %1 = :status").arg(status);
        for (std::size_t i = 0; i < filter.labels.size(); ++i)
            sql += QStringLiteral(" AND EXISTS (SELECT 1 FROM labels WHERE labels.run_id = runs.id AND "
                                  "labels.key = :key%1 AND labels.value = :value%1)")
                       .arg(i);
        sql += QStringLiteral(" ORDER BY started_at_ns DESC, id DESC");
        if (filter.limit > 0)
            sql += QStringLiteral(" LIMIT :limit");

        QSqlQuery query = connection.prepare(sql);
        if (!filter.specName.empty())
            query.bindValue(QStringLiteral(":spec"), fromText(filter.specName));
        if (!filter.status.empty())
            query.bindValue(QStringLiteral(":status"), fromText(filter.status));
        for (std::size_t i = 0; i < filter.labels.size(); ++i) {
            query.bindValue(QStringLiteral(":key%1").arg(i), fromText(filter.labels[i].first));
            query.bindValue(QStringLiteral(":value%1").arg(i), fromText(filter.labels[i].second));
        }
        if (filter.limit > 0)
            query.bindValue(QStringLiteral(":limit"), fromUnsigned(filter.limit));
        connection.exec(query, "cannot list runs");

        std::vector<RunRecord> records;
        while (query.next()) {
            RunRecord record;
            record.id = toSigned(query.value(0));
            record.specName = toText(query.value(1));
            record.specFile = toText(query.value(2));
            record.status = toText(query.value(3));
            record.startedAt = toTime(query.value(4));
            if (!query.value(5).isNull())
                record.durationSeconds = static_cast<double>(toSigned(query.value(5)) - toSigned(query.value(4))) / 1e9;
            else if (!query.value(6).isNull())
                record.durationSeconds = toDouble(query.value(6));
            record.treePeakRssBytes = toUnsigned(query.value(7));
            record.hostname = toText(query.value(8));
            record.context = toText(query.value(9));
            records.push_back(std::move(record));
        }
        query.finish();
        if (withLabels) {
            for (RunRecord& record : records)
                record.labels = runrows::readLabels(connection, record.id);
        }
        return records;
    }

    static std::vector<std::int64_t> idsOf(const std::vector<RunRecord>& records)
    {
        std::vector<std::int64_t> ids;
        ids.reserve(records.size());
        for (const RunRecord& record : records)
            ids.push_back(record.id);
        return ids;
    }

    std::filesystem::path file;
    OpenStoreRegistration registration; // destroyed after the connection is closed
    HistoryConnection connection;
    HostInfo host;
    std::set<std::int64_t> interrupted;
};

std::filesystem::path RunHistory::defaultPath()
{
    if (const std::string store = environment("BUILDSCOPE_STORE"); !store.empty())
        return store;
    if (QCoreApplication::instance()) {
        const QString directory = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        if (!directory.isEmpty())
            return std::filesystem::path(directory.toStdString()) / "history.sqlite";
    }
    // No application object (the CLI may not create one), so no organization and
    // application names: the path the dashboard's QStandardPaths gives, spelled out.
    const std::filesystem::path relative = std::filesystem::path("BuildScope") / "BuildScope" / "history.sqlite";
#if defined(__APPLE__)
    return std::filesystem::path(environment("HOME")) / "Library" / "Application Support" / relative;
#else
    if (const std::string data = environment("XDG_DATA_HOME"); !data.empty() && data.front() == '/')
        return std::filesystem::path(data) / relative;
    return std::filesystem::path(environment("HOME")) / ".local" / "share" / relative;
#endif
}

RunHistory::RunHistory(const std::filesystem::path& file)
    : m_impl(std::make_unique<Impl>(file))
{ }

RunHistory::~RunHistory() = default;
RunHistory::RunHistory(RunHistory&&) noexcept = default;
RunHistory& RunHistory::operator=(RunHistory&&) noexcept = default;

std::int64_t RunHistory::beginRun(const BuildSpec& spec, const std::vector<std::pair<std::string, std::string>>& labels,
    std::chrono::system_clock::time_point startedAt)
{
    RunResult fields;
    fields.specName = spec.name;
    fields.specFile = spec.file;
    fields.context = spec.context;
    fields.sampleHz = spec.sampleHz;
    fields.host = m_impl->host;
    fields.startedAt = startedAt;
    fields.endedAt = startedAt;
    fields.labels = labels;
    HistoryTransaction transaction(m_impl->connection);
    const std::int64_t id
        = runrows::insertRun(m_impl->connection, fields, kStatusRunning, false, ProcessIdentity::current());
    transaction.commit();
    return id;
}

void RunHistory::appendSamples(std::int64_t runId, const SampleTable& rows)
{
    HistoryTransaction transaction(m_impl->connection);
    if (const std::string status = m_impl->statusOf(runId); status != kStatusRunning)
        m_impl->connection.fail(
            "run " + std::to_string(runId) + " is " + status + "; samples can only be added while it runs");
    runrows::appendSamples(m_impl->connection, runId, rows);
    transaction.commit();
}

void RunHistory::recordProgress(std::int64_t runId, const SampleTable& rows, const RunResult& partial)
{
    HistoryTransaction transaction(m_impl->connection);
    if (const std::string status = m_impl->statusOf(runId); status != kStatusRunning)
        m_impl->connection.fail(
            "run " + std::to_string(runId) + " is " + status + "; its progress can only be recorded while it runs");
    runrows::appendSamples(m_impl->connection, runId, rows);
    runrows::replaceDetails(m_impl->connection, runId, partial);
    runrows::updateRunningPeaks(m_impl->connection, runId, partial);
    transaction.commit();
}

void RunHistory::finishRun(
    std::int64_t runId, const RunResult& result, const SampleTable& samples, const std::vector<LogEntry>& logTail)
{
    if (result.status == RunStatus::Running)
        m_impl->connection.fail("run " + std::to_string(runId) + ": cannot finish a run whose status is still running");
    HistoryTransaction transaction(m_impl->connection);
    if (const std::string status = m_impl->statusOf(runId); status != kStatusRunning && status != kStatusInterrupted)
        m_impl->connection.fail("run " + std::to_string(runId) + " is already finished (" + status + ")");
    runrows::updateFinishedRun(m_impl->connection, runId, result);
    runrows::mergeLabels(m_impl->connection, runId, result.labels);
    runrows::replaceDetails(m_impl->connection, runId, result);
    runrows::replaceSamples(m_impl->connection, runId, samples);
    runrows::replaceLogTail(m_impl->connection, runId, logTail, kMaxLogTailEntries);
    transaction.commit();
    m_impl->interrupted.erase(runId);
}

std::vector<RunRecord> RunHistory::list(const RunFilter& filter) const
{
    m_impl->connection.refreshSnapshot();
    return m_impl->records(filter, true);
}

LoadedReport RunHistory::load(std::int64_t runId) const
{
    LoadedReport report;
    report.result = loadResult(runId);
    report.samples = runrows::readSamples(m_impl->connection, runId);
    return report;
}

RunResult RunHistory::loadResult(std::int64_t runId) const
{
    m_impl->connection.refreshSnapshot();
    std::optional<runrows::StoredRun> stored = runrows::readRun(m_impl->connection, runId);
    if (!stored)
        m_impl->connection.fail("there is no run " + std::to_string(runId));
    RunResult& result = stored->result;
    if (stored->status == kStatusInterrupted || m_impl->interrupted.contains(runId)) {
        // RunStatus has no "interrupted": to everything reading RunResults (reports,
        // comparisons) such a run failed, and the failure says why.
        result.status = RunStatus::Failed;
        if (result.failure.empty())
            result.failure = kInterruptedFailure;
    }
    if (!stored->finished) {
        // No end was recorded: the run lasted at least up to its last sample.
        result.endedAt = result.startedAt
            + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                std::chrono::duration<double>(stored->lastSampleSeconds));
    }
    return std::move(result);
}

std::vector<LogEntry> RunHistory::logTail(std::int64_t runId) const
{
    m_impl->connection.refreshSnapshot();
    m_impl->statusOf(runId); // an unknown run is an error, not an empty log
    return runrows::readLogTail(m_impl->connection, runId);
}

RunMetrics RunHistory::readRunMetrics(const RunMetricQuery& query) const
{
    m_impl->connection.refreshSnapshot();
    return runrows::readRunMetrics(m_impl->connection, query);
}

std::vector<std::int64_t> RunHistory::select(const std::string& selector) const
{
    m_impl->connection.refreshSnapshot();
    const HistoryConnection& connection = m_impl->connection;
    auto malformed = [&](const std::string& why) {
        connection.fail("bad run selector '" + selector + "': " + why
            + " (expected a run id, label:KEY=VALUE, spec:NAME, last or last:N)");
    };
    std::vector<std::int64_t> ids;
    RunFilter filter;
    if (!selector.empty() && selector.find_first_not_of("0123456789") == std::string::npos) {
        const std::optional<std::uint64_t> id = parseCount(selector);
        if (!id || *id > static_cast<std::uint64_t>(INT64_MAX))
            malformed("the run id is too large");
        QSqlQuery query = connection.prepare(QStringLiteral("SELECT id FROM runs WHERE id = :id"));
        query.bindValue(QStringLiteral(":id"), fromUnsigned(*id));
        connection.exec(query, "cannot select runs");
        if (query.next())
            ids.push_back(toSigned(query.value(0)));
        if (ids.empty())
            connection.fail("run selector '" + selector + "' matches no run (there is no run " + selector + ")");
        return ids;
    }
    if (selector.starts_with("label:")) {
        const std::string label = selector.substr(6);
        const std::size_t equals = label.find('=');
        if (equals == std::string::npos || equals == 0)
            malformed("a label selector needs KEY=VALUE");
        filter.labels.emplace_back(label.substr(0, equals), label.substr(equals + 1));
    } else if (selector.starts_with("spec:")) {
        filter.specName = selector.substr(5);
        if (filter.specName.empty())
            malformed("a spec selector needs a spec name");
    } else if (selector == "last") {
        filter.limit = 1;
    } else if (selector.starts_with("last:")) {
        const std::optional<std::uint64_t> count = parseCount(std::string_view(selector).substr(5));
        if (!count || *count == 0)
            malformed("last:N needs a count of at least 1");
        filter.limit = static_cast<std::size_t>(*count);
    } else {
        malformed("unknown form");
    }
    ids = Impl::idsOf(m_impl->records(filter, false));
    if (ids.empty())
        connection.fail("run selector '" + selector + "' matches no run");
    return ids;
}

std::int64_t RunHistory::importReport(const LoadedReport& report)
{
    HistoryTransaction transaction(m_impl->connection);
    const std::int64_t id = runrows::insertRun(
        m_impl->connection, report.result, runStatusName(report.result.status), true, std::nullopt);
    runrows::replaceDetails(m_impl->connection, id, report.result);
    runrows::replaceSamples(m_impl->connection, id, report.samples);
    transaction.commit();
    return id;
}

std::optional<std::int64_t> RunHistory::findStored(const RunResult& result) const
{
    m_impl->connection.refreshSnapshot();
    QSqlQuery query = m_impl->connection.prepare(
        QStringLiteral("SELECT id FROM runs WHERE spec_name = :spec AND host_name = :host "
                       "AND started_at_ns / 1000000 = :ms ORDER BY id LIMIT 1"));
    query.bindValue(QStringLiteral(":spec"), fromText(result.specName));
    query.bindValue(QStringLiteral(":host"), fromText(result.host.hostname));
    query.bindValue(QStringLiteral(":ms"),
        QVariant::fromValue(static_cast<qint64>(
            std::chrono::duration_cast<std::chrono::milliseconds>(result.startedAt.time_since_epoch()).count())));
    m_impl->connection.exec(query, "cannot look for an earlier import");
    if (!query.next())
        return std::nullopt;
    return toSigned(query.value(0));
}

void RunHistory::exportRun(std::int64_t runId, const std::filesystem::path& directory) const
{
    const LoadedReport report = load(runId);
    writeRunReport(report.result, report.samples, directory);
}

void RunHistory::deleteRun(std::int64_t runId)
{
    HistoryTransaction transaction(m_impl->connection);
    QSqlQuery query = m_impl->connection.prepare(QStringLiteral("DELETE FROM runs WHERE id = :id"));
    query.bindValue(QStringLiteral(":id"), fromSigned(runId));
    m_impl->connection.exec(query, "cannot delete a run");
    if (query.numRowsAffected() < 1)
        m_impl->connection.fail("there is no run " + std::to_string(runId));
    query.finish();
    transaction.commit();
    m_impl->interrupted.erase(runId);
    // Give the freed pages back to the file system; the run is gone whether this works or
    // not. Each step of the pragma frees one page, so it is stepped to the end.
    try {
        QSqlQuery vacuum = m_impl->connection.exec(QStringLiteral("PRAGMA incremental_vacuum"), "cannot vacuum");
        while (vacuum.next()) { }
    } catch (const HistoryError&) { }
}

const std::filesystem::path& RunHistory::file() const noexcept
{
    return m_impl->file;
}

bool RunHistory::isReadOnly() const noexcept
{
    return m_impl->connection.isReadOnly();
}

bool RunHistory::isDamaged() const noexcept
{
    return m_impl->connection.isDamaged();
}

void RunHistory::checkIntegrity() const
{
    if (!m_impl->connection.isReadOnly())
        m_impl->connection.checkIntegrity();
}

} // namespace buildscope
