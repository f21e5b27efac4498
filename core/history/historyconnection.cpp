#include "history/historyconnection.h"

#include "history/historyerror.h"

#include <QUrl>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <sys/statvfs.h>

namespace buildscope {

namespace {

QString uniqueConnectionName()
{
    static std::atomic<unsigned long long> counter {0};
    return QStringLiteral("buildscope-history-%1").arg(counter.fetch_add(1));
}

// SQLite primary result codes (the driver reports extended codes; the low byte is the
// primary one). Spelled out here rather than including sqlite3.h: Qt's driver owns SQLite.
enum SqliteCode : int
{
    Busy = 5,
    Locked = 6,
    ReadOnly = 8,
    IoError = 10,
    Corrupt = 11,
    Full = 13,
    CantOpen = 14,
    NotADatabase = 26,
};

// What an I/O error or SQLITE_FULL most likely was, found by looking at the file system
// holding the store (SQLite's driver does not give the errno): a full disk or a
// read-only file system, named as such (issue 18.9); empty when neither.
std::string fileSystemProblem(const std::filesystem::path& file)
{
    const std::filesystem::path directory = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
    struct statvfs space
    { };
    if (::statvfs(directory.c_str(), &space) != 0)
        return {};
    if (space.f_flag & ST_RDONLY)
        return "the file system holding the store is read-only (" + std::string(std::strerror(EROFS)) + ")";
    const std::uint64_t freeBytes = static_cast<std::uint64_t>(space.f_bavail) * space.f_frsize;
    if (freeBytes < 1024 * 1024)
        return "the disk holding the store is full (" + std::to_string(freeBytes / 1024) + " KiB free; "
            + std::strerror(ENOSPC) + ")";
    return {};
}

std::string describe(const QSqlError& error, const char* what, const std::filesystem::path& file)
{
    const std::string text
        = (error.databaseText().isEmpty() ? error.text() : error.databaseText()).trimmed().toStdString();
    bool numeric = false;
    const int code = error.nativeErrorCode().toInt(&numeric) & 0xff;
    if (numeric) {
        switch (code) {
        case Busy:
        case Locked:
            return "the store is locked by another process (" + text + ")";
        case ReadOnly:
            return "the store is read-only (" + text + ")";
        case Corrupt:
        case NotADatabase:
            return "the store is damaged or is not a BuildScope history store (" + text + "); it was left as it is";
        case Full:
        case IoError:
            if (const std::string problem = fileSystemProblem(file); !problem.empty())
                return std::string(what) + ": " + problem + " (" + text + ")";
            return std::string(what) + (code == Full ? ": the disk is full (" : ": I/O error (") + text + ")";
        case CantOpen:
            return "cannot open the store (" + text + ")";
        default:
            break;
        }
    }
    return std::string(what) + ": " + text;
}

} // namespace

HistoryConnection::HistoryConnection(const std::filesystem::path& file, Mode mode)
    : m_file(file)
    , m_mode(mode)
    , m_registration {uniqueConnectionName()}
    , m_database(QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_registration.name))
{
    if (!m_database.isValid())
        fail("the SQLite driver of Qt Sql (QSQLITE) is not available; install it (Debian: libqt6sql6-sqlite)");

    if (mode == Mode::ReadOnly) {
        // Read the write-ahead log the normal way whenever it can be: when a process has the
        // store open (its -shm exists). Only when it cannot be (no -shm, and this user may not
        // create one in a directory that belongs to someone else) fall back to an immutable
        // snapshot, which refreshSnapshot() reopens before every read: an immutable connection
        // is never kept on a store that a writer may have opened since (12.3).
        if (!openDatabase(false) || !probe()) {
            m_database.close();
            if (!openDatabase(true))
                fail(m_database.lastError(), "cannot open the store");
            m_snapshot = true;
        }
    } else if (!openDatabase(false)) {
        fail(m_database.lastError(), "cannot open the store");
    }
    exec(QStringLiteral("PRAGMA foreign_keys = ON"), "cannot enable foreign keys");
}

bool HistoryConnection::openDatabase(bool immutable) const
{
    const QString path = QString::fromStdString(m_file.string());
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs);
    if (m_mode == Mode::ReadOnly) {
        // readonly_shm: use an existing -shm read-only, never create one here.
        QString uri = QUrl::fromLocalFile(path).toString(QUrl::FullyEncoded)
            + (immutable ? QStringLiteral("?mode=ro&immutable=1") : QStringLiteral("?mode=ro&readonly_shm=1"));
        m_database.setDatabaseName(uri);
        options += QStringLiteral(";QSQLITE_OPEN_URI;QSQLITE_OPEN_READONLY");
    } else {
        m_database.setDatabaseName(path);
    }
    m_database.setConnectOptions(options);
    return m_database.open();
}

bool HistoryConnection::probe() const
{
    QSqlQuery query(m_database);
    const bool ok = query.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) && query.next();
    query.finish();
    return ok;
}

void HistoryConnection::refreshSnapshot() const
{
    if (!m_snapshot)
        return;
    m_database.close();
    if (openDatabase(false) && probe()) {
        m_snapshot = false; // a writer has it open now: read it the normal way from here on
    } else {
        m_database.close();
        if (!openDatabase(true))
            fail(m_database.lastError(), "cannot open the store");
    }
    exec(QStringLiteral("PRAGMA foreign_keys = ON"), "cannot enable foreign keys");
}

HistoryConnection::Registration::~Registration()
{
    QSqlDatabase::removeDatabase(name);
}

HistoryConnection::~HistoryConnection()
{
    m_database.close();
}

void HistoryConnection::enableWriteAheadLog() const
{
    // WAL: readers never block the writer and a kill -9 loses nothing committed.
    // synchronous=NORMAL is durable against a crash of the process (what live flushes are
    // for); only a power cut may lose the last flushes.
    const QString journal
        = scalar(QStringLiteral("PRAGMA journal_mode = WAL"), "cannot switch to write-ahead logging").toString();
    if (journal.compare(QStringLiteral("wal"), Qt::CaseInsensitive) != 0)
        fail("cannot switch to write-ahead logging (journal mode is '" + journal.toStdString() + "')");
    exec(QStringLiteral("PRAGMA synchronous = NORMAL"), "cannot set synchronous mode");
}

QSqlQuery HistoryConnection::prepare(const QString& sql) const
{
    QSqlQuery query(m_database);
    query.setForwardOnly(true); // no result caching: rows are read once, in order
    if (!query.prepare(sql))
        fail(query.lastError(), "cannot prepare a statement");
    return query;
}

void HistoryConnection::exec(QSqlQuery& query, const char* what) const
{
    if (!query.exec())
        fail(query.lastError(), what);
}

QSqlQuery HistoryConnection::exec(const QString& sql, const char* what) const
{
    QSqlQuery query(m_database);
    query.setForwardOnly(true);
    if (!query.exec(sql))
        fail(query.lastError(), what);
    return query;
}

bool HistoryConnection::execQuietly(const QString& sql) const noexcept
{
    try {
        QSqlQuery query(m_database);
        return query.exec(sql);
    } catch (...) {
        return false;
    }
}

QVariant HistoryConnection::scalar(const QString& sql, const char* what) const
{
    QSqlQuery query = exec(sql, what);
    if (!query.next()) {
        if (query.lastError().isValid())
            fail(query.lastError(), what);
        return {};
    }
    return query.value(0);
}

void HistoryConnection::fail(const std::string& problem) const
{
    throw HistoryError(m_file, problem);
}

void HistoryConnection::fail(const QSqlError& error, const char* what) const
{
    bool numeric = false;
    const int code = error.nativeErrorCode().toInt(&numeric) & 0xff;
    if (numeric && (code == Corrupt || code == NotADatabase) && !m_damage) {
        // Whatever found it, the store is not written to again through this connection.
        m_damage = (error.databaseText().isEmpty() ? error.text() : error.databaseText()).trimmed().toStdString();
        m_integrityChecked = true;
    }
    throw HistoryError(m_file, describe(error, what, m_file));
}

void HistoryConnection::checkIntegrity() const
{
    if (m_damage)
        failDamaged();
    if (m_integrityChecked)
        return;
    m_integrityChecked = true;
    std::string found;
    try {
        // quick_check: every page and b-tree structure, without the index cross-checks of
        // integrity_check (which costs several times more). Its first rows say enough.
        QSqlQuery check = exec(QStringLiteral("PRAGMA quick_check(4)"), "cannot check the store");
        // "ok", or problems one per line (a row may hold several), after a "*** in
        // database main ***" heading; the first two say enough.
        int problems = 0;
        while (check.next()) {
            for (const QString& line : check.value(0).toString().split(u'\n', Qt::SkipEmptyParts)) {
                if (line == QLatin1String("ok") || line.startsWith(QLatin1String("***")) || problems >= 2)
                    continue;
                found += (found.empty() ? "" : "; ") + line.trimmed().toStdString();
                ++problems;
            }
        }
    } catch (const HistoryError&) {
        if (!m_damage)
            throw; // locked, an I/O error: not known to be damaged; the write fails anyway
    }
    if (!found.empty() && !m_damage)
        m_damage = found;
    if (m_damage)
        failDamaged();
}

void HistoryConnection::failDamaged() const
{
    fail("the store is damaged (" + *m_damage
        + "); it was left as it is and nothing is written to it: runs cannot be recorded, imported or deleted "
          "(runs that can still be read can be listed and exported; move the file away to start a new store)");
}

} // namespace buildscope
