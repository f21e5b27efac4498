// Faults: a failure in the middle of a write, a locked store, a read-only store, a corrupt
// or truncated store, a store from a newer BuildScope, and a recorder killed mid-run.
#include "history/historyschema.h"
#include "history/runhistory.h"
#include "historyfixture.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <random>
#include <sys/stat.h>

namespace buildscope {

using namespace testing;

namespace {

std::filesystem::path tempPath(const QTemporaryDir& directory, const char* name = "history.sqlite")
{
    return std::filesystem::path(directory.path().toStdString()) / name;
}

std::string errorOf(const std::function<void()>& action)
{
    try {
        action();
    } catch (const HistoryError& error) {
        return error.what();
    }
    return "no HistoryError";
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

LoadedReport exampleReport(std::size_t rows = 100)
{
    LoadedReport report;
    report.result = realisticResult();
    report.samples = sampleRows(0, rows);
    return report;
}

// A store holding one finished run and enough samples to span many pages.
void createStore(const std::filesystem::path& file)
{
    RunHistory history(file);
    history.importReport(exampleReport(3000));
}

// Files next to the store that SQLite would create when it opens it.
bool hasSideFiles(const std::filesystem::path& file)
{
    return std::filesystem::exists(file.string() + "-wal") || std::filesystem::exists(file.string() + "-shm")
        || std::filesystem::exists(file.string() + "-journal");
}

} // namespace

class TestHistoryFaults : public QObject
{
    Q_OBJECT

private slots:
    // A LoadedReport whose samples rows do not match its columns is refused half-way
    // through the import; the transaction takes back the run, steps, pools and the rows
    // already written.
    void failedImportLeavesNothing()
    {
        QTemporaryDir temporary;
        const std::filesystem::path file = tempPath(temporary);
        std::string before;
        {
            RunHistory history(file);
            history.importReport(exampleReport());
            before = tableCounts(file);

            LoadedReport bad = exampleReport(100);
            bad.samples.rows[60].values.pop_back();
            const std::string error = errorOf([&] { history.importReport(bad); });
            QVERIFY2(contains(error, file.string() + ": run "), error.c_str());
            QVERIFY2(contains(error, "samples row 61 has 8 values and 3 maxima, but the table has 9 series and 3 max"),
                error.c_str());
            QCOMPARE(history.list().size(), std::size_t {1});

            LoadedReport badMaxima = exampleReport(100);
            badMaxima.samples.rows[99].maxima.push_back(1.0);
            QVERIFY(contains(errorOf([&] { history.importReport(badMaxima); }), "samples row 100"));
            QCOMPARE(history.list().size(), std::size_t {1});
        }
        QCOMPARE(tableCounts(file), before);
    }

    // finishRun is one transaction too: a bad final table leaves the run running with its
    // live samples.
    void failedFinishKeepsTheLiveRun()
    {
        QTemporaryDir temporary;
        RunHistory history(tempPath(temporary));
        const std::int64_t id = history.beginRun(exampleSpec(), {{"a", "1"}}, at(1000));
        history.appendSamples(id, sampleRows(0, 10));
        SampleTable bad = sampleRows(0, 40);
        bad.rows[30].values.push_back(0);
        QVERIFY(
            contains(errorOf([&] { history.finishRun(id, realisticResult(), bad, logEntries(5)); }), "samples row 31"));
        const LoadedReport live = history.load(id);
        QCOMPARE(history.list()[0].status, std::string("running"));
        QCOMPARE(dump(live.samples), dump(sampleRows(0, 10)));
        QVERIFY(live.result.steps.empty());
        QVERIFY(history.logTail(id).empty());
        QCOMPARE(history.list()[0].labels, (std::vector<std::pair<std::string, std::string>> {{"a", "1"}}));
    }

    // Another connection of this process holds the write lock: reads work, a write fails
    // after the busy timeout with a message saying the store is locked.
    void lockedByAnotherConnection()
    {
        QTemporaryDir temporary;
        const std::filesystem::path file = tempPath(temporary);
        createStore(file);
        {
            QSqlDatabase locker = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
            locker.setDatabaseName(QString::fromStdString(file.string()));
            QVERIFY(locker.open());
            QSqlQuery lock(locker);
            QVERIFY(lock.exec(QStringLiteral("BEGIN EXCLUSIVE")));

            RunHistory history(file);
            QCOMPARE(history.list().size(), std::size_t {1});
            QElapsedTimer timer;
            timer.start();
            const std::string error = errorOf([&] { history.beginRun(exampleSpec(), {}, at(1000)); });
            const qint64 waited = timer.elapsed();
            QVERIFY2(error == file.string() + ": the store is locked by another process (database is locked)",
                error.c_str());
            QVERIFY2(waited < 5000, std::to_string(waited).c_str());
            QVERIFY(contains(errorOf([&] { history.importReport(exampleReport(5)); }), "locked"));
            QCOMPARE(history.list().size(), std::size_t {1});

            QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
            history.beginRun(exampleSpec(), {}, at(1000)); // free again
            QCOMPARE(history.list().size(), std::size_t {2});
            lock.finish();
            locker.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("locker"));
    }

    // The same with the lock held by another process.
    void lockedByAnotherProcess()
    {
        QTemporaryDir temporary;
        const std::filesystem::path file = tempPath(temporary);
        createStore(file);

        int ready[2];
        QVERIFY(::pipe(ready) == 0);
        std::fflush(nullptr);
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            ::close(ready[0]);
            {
                QSqlDatabase database
                    = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("child-locker"));
                database.setDatabaseName(QString::fromStdString(file.string()));
                QSqlQuery lock(database);
                const bool locked = database.open() && lock.exec(QStringLiteral("BEGIN EXCLUSIVE"));
                writeString(ready[1], locked ? "locked" : "failed");
                ::close(ready[1]);
                for (;;)
                    ::pause(); // until the parent kills it
            }
        }
        ::close(ready[1]);
        char buffer[16] = {};
        const ssize_t n = ::read(ready[0], buffer, sizeof buffer - 1);
        ::close(ready[0]);
        auto reap = [child] {
            ::kill(child, SIGKILL);
            int status = 0;
            ::waitpid(child, &status, 0);
        };
        if (n <= 0 || std::string(buffer) != "locked") {
            reap();
            QFAIL("the child could not lock the store");
        }

        std::string error;
        qint64 waited = 0;
        {
            RunHistory history(file);
            QElapsedTimer timer;
            timer.start();
            error = errorOf([&] { history.importReport(exampleReport(5)); });
            waited = timer.elapsed();
        }
        reap();
        QVERIFY2(
            error == file.string() + ": the store is locked by another process (database is locked)", error.c_str());
        QVERIFY2(waited < 5000, std::to_string(waited).c_str());

        // The lock went with the process.
        RunHistory history(file);
        history.importReport(exampleReport(5));
        QCOMPARE(history.list().size(), std::size_t {2});
    }

    // A store this user may not write (nobody, when the tests run as root): reads work,
    // every write says the store is read-only, and nothing is written next to it.
    void readOnlyStore()
    {
        QTemporaryDir temporary;
        const std::filesystem::path directory(temporary.path().toStdString());
        const std::filesystem::path file = directory / "history.sqlite";
        createStore(file);
        const std::string bytes = readAll(file);
        QVERIFY(!hasSideFiles(file));
        // Readable by others, writable by the owner only (QTemporaryDir makes it 0700).
        ::chmod(directory.c_str(), 0755);
        ::chmod(file.c_str(), 0644);
        if (::geteuid() != 0) {
            ::chmod(directory.c_str(), 0555);
            ::chmod(file.c_str(), 0444);
        }

        const std::string outcome = runInChild(
            [&]() -> std::string {
                RunHistory history(file);
                if (!history.isReadOnly())
                    return "opened read-write";
                const std::vector<RunRecord> runs = history.list();
                if (runs.size() != 1)
                    return "list() gave " + std::to_string(runs.size()) + " runs";
                if (history.load(runs[0].id).samples.rows.size() != 3000)
                    return "load() lost samples";
                if (history.select("last") != std::vector<std::int64_t> {runs[0].id})
                    return "select() failed";
                std::string errors;
                errors += errorOf([&] { history.beginRun(exampleSpec(), {}, at(1)); }) + "\n";
                errors += errorOf([&] { history.importReport(exampleReport(3)); }) + "\n";
                errors += errorOf([&] { history.deleteRun(runs[0].id); }) + "\n";
                return errors;
            },
            true);
        ::chmod(directory.c_str(), 0700);
        const std::string expected = file.string()
            + ": the store is read-only (this user may not write it); runs cannot be recorded, imported or deleted\n";
        QCOMPARE(outcome, expected + expected + expected);
        QVERIFY(readAll(file) == bytes);
        QVERIFY(!hasSideFiles(file));
    }

    void randomBytesAreNotAStore()
    {
        QTemporaryDir temporary;
        const std::filesystem::path file = tempPath(temporary);
        std::mt19937 random(42);
        std::string bytes(65536, '\0');
        for (char& byte : bytes)
            byte = static_cast<char>(random() & 0xff);
        writeAll(file, bytes);
        const std::string error = errorOf([&] { RunHistory history(file); });
        QCOMPARE(
            error, file.string() + ": not a BuildScope history store (not an SQLite database); it was left as it is");
        QVERIFY(readAll(file) == bytes);
        QVERIFY(!hasSideFiles(file));

        // The SQLite magic followed by garbage: refused as damaged, still untouched.
        std::string magic = bytes;
        magic.replace(0, 16, std::string("SQLite format 3\0", 16));
        writeAll(file, magic);
        const std::string damaged = errorOf([&] { RunHistory history(file); });
        QVERIFY2(contains(damaged, file.string() + ": the store is damaged"), damaged.c_str());
        QVERIFY(readAll(file) == magic);
    }

    void truncatedStoreIsRefusedAndKept()
    {
        QTemporaryDir temporary;
        const std::filesystem::path file = tempPath(temporary);
        createStore(file);
        QVERIFY(!hasSideFiles(file)); // checkpointed and closed
        const std::string whole = readAll(file);
        QVERIFY(whole.size() > 100'000);

        for (std::size_t size : {whole.size() / 2, whole.size() - 4096, std::size_t {4096}}) {
            const std::string cut = whole.substr(0, size);
            writeAll(file, cut);
            const std::string error = errorOf([&] { RunHistory history(file); });
            QVERIFY2(contains(error, file.string() + ": the store is truncated (its header records "), error.c_str());
            QVERIFY2(contains(error, "it was left as it is"), error.c_str());
            QVERIFY(readAll(file) == cut);
            QVERIFY(!hasSideFiles(file));
        }
        writeAll(file, whole.substr(0, 60)); // not even a whole header
        QVERIFY(contains(errorOf([&] { RunHistory history(file); }), "the store is truncated (60 bytes)"));
        QCOMPARE(readAll(file).size(), std::size_t {60});

        writeAll(file, whole); // intact again: opens
        RunHistory history(file);
        QCOMPARE(history.list().size(), std::size_t {1});
    }

    void newerSchemaIsNotDowngraded()
    {
        QTemporaryDir temporary;
        const std::filesystem::path file = tempPath(temporary);
        createStore(file);
        rawScalar(file, QStringLiteral("UPDATE meta SET value = '99' WHERE key = 'schema_version'"));
        const std::string bytes = readAll(file);
        const std::string error = errorOf([&] { RunHistory history(file); });
        QVERIFY2(contains(error,
                     file.string()
                         + ": the store was written by a newer BuildScope (schema version 99; this build "
                           "knows up to " + std::to_string(kHistorySchemaVersion) + "); it is not downgraded"),
            error.c_str());
        QVERIFY(readAll(file) == bytes);
    }

    void otherSqliteDatabaseIsNotAStore()
    {
        QTemporaryDir temporary;
        const std::filesystem::path file = tempPath(temporary);
        rawScalar(file, QStringLiteral("CREATE TABLE notes (text TEXT)"));
        const std::string bytes = readAll(file);
        const std::string error = errorOf([&] { RunHistory history(file); });
        QVERIFY2(contains(error,
                     file.string()
                         + ": not a BuildScope history store (an SQLite database without a "
                           "'meta' table)"),
            error.c_str());
        QVERIFY(readAll(file) == bytes);
    }

    void directoryIsNotAStore()
    {
        QTemporaryDir temporary;
        const std::string error = errorOf([&] { RunHistory history(temporary.path().toStdString()); });
        QVERIFY2(contains(error, temporary.path().toStdString() + ": not a regular file"), error.c_str());
    }

    // A recorder killed with SIGKILL mid-run: its flushed samples survive and the next
    // open shows the run as interrupted (and marks it so in the file).
    void killedRecorderLeavesAnInterruptedRun()
    {
        QTemporaryDir temporary;
        const std::filesystem::path file = tempPath(temporary);
        createStore(file);

        int channel[2];
        QVERIFY(::pipe(channel) == 0);
        std::fflush(nullptr);
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            ::close(channel[0]);
            try {
                RunHistory history(file);
                const std::int64_t id
                    = history.beginRun(exampleSpec("killed"), {{"case", "kill-9"}}, at(1'800'000'000'000));
                for (std::size_t flush = 0; flush < 3; ++flush)
                    history.appendSamples(id, sampleRows(flush * 20, 20));
                writeString(channel[1], std::to_string(id));
            } catch (const std::exception& error) {
                writeString(channel[1], error.what());
            }
            ::raise(SIGKILL);
        }
        ::close(channel[1]);
        const std::string reply = readString(channel[0]);
        ::close(channel[0]);
        int status = 0;
        ::waitpid(child, &status, 0);
        QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        QVERIFY2(!reply.empty() && reply.find_first_not_of("0123456789") == std::string::npos, reply.c_str());
        const std::int64_t id = std::stoll(reply);

        // Read-only first (nobody when root): shown as interrupted without writing. A new
        // store is private (0600, 18.2): shared here on purpose so another user may read it.
        ::chmod(temporary.path().toUtf8().constData(), 0755);
        ::chmod(file.c_str(), 0644);
        const std::string readOnly = runInChild(
            [&]() -> std::string {
                RunHistory history(file);
                const std::vector<RunRecord> runs = history.list({.status = "interrupted"});
                if (runs.size() != 1 || runs[0].id != id)
                    return "not listed as interrupted";
                const LoadedReport report = history.load(id);
                return std::string(runStatusName(report.result.status)) + " "
                    + std::to_string(report.samples.rows.size()) + (history.isReadOnly() ? " read-only" : "");
            },
            true);
        ::chmod(temporary.path().toUtf8().constData(), 0700);
        QCOMPARE(readOnly, std::string(::geteuid() == 0 ? "failed 60 read-only" : "failed 60"));

        {
            RunHistory history(file);
            const std::vector<RunRecord> runs = history.list();
            QCOMPARE(runs.size(), std::size_t {2});
            QCOMPARE(runs[0].id, id);
            QCOMPARE(runs[0].status, std::string("interrupted"));
            QCOMPARE(runs[0].specName, std::string("killed"));
            QCOMPARE(runs[0].durationSeconds, sampleRows(59, 1).rows[0].seconds);
            QCOMPARE(history.select("label:case=kill-9"), std::vector<std::int64_t> {id});

            const LoadedReport report = history.load(id);
            QCOMPARE(report.result.status, RunStatus::Failed);
            QCOMPARE(report.result.failure,
                std::string("interrupted: the recording process ended without finishing the run"));
            QCOMPARE(dump(report.samples), dump(sampleRows(0, 60)));
            QCOMPARE(report.result.durationSeconds(), sampleRows(59, 1).rows[0].seconds);

            // Exported, it is a failed run's report.
            QTemporaryDir exported;
            history.exportRun(id, exported.path().toStdString());
            QCOMPARE(readRunReport(exported.path().toStdString()).samples.rows.size(), std::size_t {60});
        }
        // Marked in the file, not only shown.
        QCOMPARE(rawScalar(file, QStringLiteral("SELECT status FROM runs WHERE id = %1").arg(id)).toString(),
            QStringLiteral("interrupted"));
    }

    // A store locked by another writer at open: ended runs are shown as interrupted all
    // the same (opening waits out the busy timeout once) and marked by the next open.
    void interruptedWhileLocked()
    {
        QTemporaryDir temporary;
        const std::filesystem::path file = tempPath(temporary);
        std::int64_t id = 0;
        {
            RunHistory history(file);
            id = history.beginRun(exampleSpec(), {}, at(1000));
            history.appendSamples(id, sampleRows(0, 4));
        }
        // This process's pid with another start time: a recorder that has ended.
        rawScalar(file, QStringLiteral("UPDATE runs SET pid_start_ticks = pid_start_ticks + 1"));
        {
            QSqlDatabase locker = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker2"));
            locker.setDatabaseName(QString::fromStdString(file.string()));
            QVERIFY(locker.open());
            QSqlQuery lock(locker);
            QVERIFY(lock.exec(QStringLiteral("BEGIN EXCLUSIVE")));
            {
                QElapsedTimer timer;
                timer.start();
                RunHistory history(file);
                QVERIFY2(timer.elapsed() < 5000, std::to_string(timer.elapsed()).c_str());
                QCOMPARE(history.list().at(0).status, std::string("interrupted"));
                QCOMPARE(history.list({.status = "interrupted"}).size(), std::size_t {1});
                QVERIFY(history.list({.status = "running"}).empty());
                QCOMPARE(history.load(id).result.status, RunStatus::Failed);
                QCOMPARE(history.load(id).samples.rows.size(), std::size_t {4});
                QVERIFY(contains(errorOf([&] { history.appendSamples(id, sampleRows(4, 1)); }), "locked"));
            }
            QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
            lock.finish();
            locker.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("locker2"));
        QCOMPARE(rawScalar(file, QStringLiteral("SELECT status FROM runs")).toString(), QStringLiteral("running"));
        RunHistory history(file);
        QCOMPARE(rawScalar(file, QStringLiteral("SELECT status FROM runs")).toString(), QStringLiteral("interrupted"));
    }

    // A pid now used by another process (different start time) means the recorder ended;
    // a run recorded on another host is left alone (its process cannot be checked here).
    void reusedPidAndOtherHosts()
    {
        QTemporaryDir temporary;
        const std::filesystem::path file = tempPath(temporary);
        std::int64_t reused = 0;
        std::int64_t remote = 0;
        std::int64_t live = 0;
        {
            RunHistory history(file);
            reused = history.beginRun(exampleSpec("reused"), {}, at(1000));
            remote = history.beginRun(exampleSpec("remote"), {}, at(2000));
            live = history.beginRun(exampleSpec("live"), {}, at(3000));
        }
        // Same pid (this live process), another start time.
        rawScalar(
            file, QStringLiteral("UPDATE runs SET pid_start_ticks = pid_start_ticks + 1 WHERE id = %1").arg(reused));
        rawScalar(
            file, QStringLiteral("UPDATE runs SET host_name = 'elsewhere', pid = 999999999 WHERE id = %1").arg(remote));

        RunHistory history(file);
        QCOMPARE(history.list({.specName = "reused"}).at(0).status, std::string("interrupted"));
        QCOMPARE(history.list({.specName = "remote"}).at(0).status, std::string("running"));
        QCOMPARE(history.list({.specName = "live"}).at(0).status, std::string("running"));
        // An interrupted run can still be finished by its recorder if it turns up.
        history.finishRun(reused, realisticResult("reused"), sampleRows(0, 3), {});
        QCOMPARE(history.list({.specName = "reused"}).at(0).status, std::string("failed"));
        Q_UNUSED(live);
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestHistoryFaults)
#include "tst_historyfaults.moc"
