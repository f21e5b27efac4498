#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariant>
#include <filesystem>
#include <optional>
#include <string>

namespace buildscope {

// One RunHistory's own connection to its store: a QSqlDatabase under a unique name
// (connections are per thread and a name may be registered only once per process), set
// up for the store (foreign keys, busy timeout; WAL on request), and the one place where SQLite
// errors become HistoryError messages that name the file and say what it means.
class HistoryConnection
{
public:
    enum class Mode
    {
        ReadWrite,
        ReadOnly
    };

    // How long a statement waits for another process's write lock before failing with
    // "locked": long enough to ride out another run's 1 Hz flush, short enough not to hang.
    static constexpr int kBusyTimeoutMs = 2000;

    HistoryConnection(const std::filesystem::path& file, Mode mode);
    ~HistoryConnection();
    HistoryConnection(const HistoryConnection&) = delete;
    HistoryConnection& operator=(const HistoryConnection&) = delete;

    const std::filesystem::path& file() const noexcept { return m_file; }
    bool isReadOnly() const noexcept { return m_mode == Mode::ReadOnly; }

    // A store found damaged (by checkIntegrity(), or by any statement SQLite answered with
    // "corrupt" or "not a database") is read-only from then on: every later write throws.
    bool isDamaged() const noexcept { return m_damage.has_value(); }
    // Runs SQLite's quick_check once per connection (it reads every page: about 2 s per GB
    // from the page cache) and throws HistoryError when the store is damaged. Called before
    // the connection's first write (HistoryTransaction), so nothing is ever written to a
    // store that is damaged; callers that will write may call it earlier to fail early.
    void checkIntegrity() const;

    // A read-only connection that could only open the store as an immutable snapshot (no
    // -shm, none creatable) reopens before each read, so it never reads a store that a
    // writer opened meanwhile as if it could not change. Does nothing otherwise.
    void refreshSnapshot() const;

    // Switches the store to write-ahead logging (a write for a store not yet in WAL mode,
    // so only once the file is known to be a store) and sets the connection's sync mode.
    void enableWriteAheadLog() const;

    QSqlQuery prepare(const QString& sql) const;
    // Executes a prepared query; `what` says what it was doing for the error message.
    void exec(QSqlQuery& query, const char* what) const;
    QSqlQuery exec(const QString& sql, const char* what) const;
    // For clean-up paths that must not throw: false on failure.
    bool execQuietly(const QString& sql) const noexcept;
    // The first column of the first row, or an invalid QVariant when there is no row.
    QVariant scalar(const QString& sql, const char* what) const;

    [[noreturn]] void fail(const std::string& problem) const;
    [[noreturn]] void fail(const QSqlError& error, const char* what) const;

private:
    // Unregisters the connection name. Declared before m_database so it is destroyed after
    // it, also when the constructor throws: the registry must not keep a failed connection.
    struct Registration
    {
        QString name;
        ~Registration();
    };

    [[noreturn]] void failDamaged() const;
    bool openDatabase(bool immutable) const;
    bool probe() const; // a first read works (a WAL store read-only needs its -shm)

    std::filesystem::path m_file;
    Mode m_mode;
    mutable bool m_integrityChecked = false;
    mutable std::optional<std::string> m_damage; // what was found damaged
    Registration m_registration;
    mutable QSqlDatabase m_database; // reopened by refreshSnapshot()
    mutable bool m_snapshot = false;
};

} // namespace buildscope
