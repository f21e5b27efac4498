// End-to-end tests of the `buildscope` CLI for the faults of issue 12 ("Hardening"): bounded
// numeric options, clear store options, a damaged store, inputs that are not regular files,
// late errors, tar outputs, and exports that would overwrite. Run as a user would run it.
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>
#include <sys/stat.h>
#include <unistd.h>

namespace {

struct CliResult
{
    int exitCode = -1;
    QString out;
    QString err;
};

// The timeout is a hang guard only (a FIFO read used to block forever): -1 means it hung.
CliResult runCli(const QStringList& arguments, int timeoutMs = 120000)
{
    QProcess process;
    process.start(BUILDSCOPE_CLI, arguments);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return {-1, {}, QStringLiteral("hung")};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
        QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

void writeFile(const QString& path, const QByteArray& text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text);
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// One statement on a store through a connection of its own, closed before returning.
QVariant storeScalar(const QString& store, const QString& sql)
{
    static int counter = 0;
    const QString name = QStringLiteral("cli-faults-%1").arg(++counter);
    QVariant value;
    {
        QSqlDatabase database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        database.setDatabaseName(store);
        if (database.open()) {
            QSqlQuery query(database);
            if (query.exec(sql) && query.next())
                value = query.value(0);
        }
        database.close();
    }
    QSqlDatabase::removeDatabase(name);
    return value;
}

} // namespace

class TestCliFaults : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const QString& name) const { return m_dir.filePath(name); }

    // A spec in its own folder (its context), whose first step leaves a marker: a step that
    // ran is visible.
    QString spec(const QString& folder, const QByteArray& extra = {}, const QByteArray& steps = {})
    {
        const QString file = path(folder + "/spec.yaml");
        writeFile(file,
            "version: 1\nname: faults\nsample_hz: 50\n" + extra + "steps:\n  - name: mark\n    run: touch ran.marker\n"
                + steps);
        return file;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // 12.8: checksum --threads accepted 100000 (6,000 threads) and -1 (std::bad_alloc).
    void numericOptionsAreBounded_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QString range = QStringLiteral("--threads expects an integer from 1 to 256, got ");
        QTest::newRow("threads 100000") << QStringList {"checksum", ".", "--threads", "100000"} << range + "'100000'";
        QTest::newRow("threads -1") << QStringList {"checksum", ".", "--threads", "-1"} << range + "'-1'";
        QTest::newRow("threads 0") << QStringList {"checksum", ".", "-j", "0"} << range + "'0'";
        QTest::newRow("threads text") << QStringList {"checksum", ".", "--threads=many"} << range + "'many'";
        QTest::newRow("threads fraction") << QStringList {"checksum", ".", "--threads", "2.5"} << range + "'2.5'";
        QTest::newRow("threshold") << QStringList {"compare", "a", "b", "--threshold", "-1"}
                                   << "--threshold expects a number from 0 to 1000, got '-1'";
        QTest::newRow("alpha") << QStringList {"compare", "a", "b", "--alpha", "nan"}
                               << "--alpha expects a number from 1e-09 to 0.5, got 'nan'";
        QTest::newRow("limit 0") << QStringList {"history", "list", "--limit", "0", "--store", "unused.sqlite"}
                                 << "--limit expects an integer from 1 to 1000000000, got '0'";
        QTest::newRow("limit huge") << QStringList {"history", "list", "--limit", "99999999999999999999"}
                                    << "--limit expects an integer from 1 to 1000000000";
    }
    void numericOptionsAreBounded()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const CliResult result = runCli(arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(message), qPrintable(result.err));
        QVERIFY(!QFile::exists(path("unused.sqlite")));
    }

    void numericOptionsInRangeWork()
    {
        QVERIFY(QDir().mkpath(path("sum")));
        writeFile(path("sum/a.txt"), "a");
        QCOMPARE(runCli({"checksum", path("sum"), "--threads", "256"}).exitCode, 0);
        QCOMPARE(runCli({"checksum", path("sum"), "-j", "1"}).exitCode, 0);
    }

    // 12.12: obscure errors for the store option, the list filters.
    void storeAndFilterOptionsSayWhatIsWrong()
    {
        CliResult result = runCli({"history", "list", "--store", ""});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("--store expects the path of a store file, got ''"), qPrintable(result.err));
        result = runCli({"history", "export", "1", "--store", "--report", path("x")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(
            result.err.contains("option '--store' needs a value, found the option '--report'"), qPrintable(result.err));
        result = runCli({"run", spec("store-empty"), "--store", ""});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("--store expects the path of a store file"), qPrintable(result.err));
        result = runCli({"history", "list", "--status", "bogus", "--store", path("filters.sqlite")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("--status expects running, succeeded, failed, cancelled or interrupted, got "
                                     "'bogus'"),
            qPrintable(result.err));
        result
            = runCli({"history", "list", "--status", "interrupted", "--limit", "1", "--store", path("filters.sqlite")});
        QCOMPARE(result.exitCode, 0);
    }

    // 12.12: export into a folder that holds something is refused unless --force.
    void exportNeverOverwritesWithoutForce()
    {
        const QString store = path("export.sqlite");
        const QString file = spec("export");
        QCOMPARE(runCli({"run", file, "--store", store, "--progress", "none"}).exitCode, 0);

        const QString busy = path("busy");
        writeFile(busy + "/run.json", "someone else's report");
        CliResult result = runCli({"history", "export", "1", "--report", busy, "--store", store});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("'" + busy + "' is not empty; export writes into an empty or new folder"),
            qPrintable(result.err));
        QCOMPARE(readFile(busy + "/run.json"), QByteArray("someone else's report"));

        result = runCli({"history", "export", "1", "--report", busy, "--store", store, "--force"});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(readFile(busy + "/run.json").contains("buildscope-run"));

        QCOMPARE(runCli({"history", "export", "1", "--report", path("new/folder"), "--store", store}).exitCode, 0);
        QVERIFY(QDir().mkpath(path("empty")));
        QCOMPARE(runCli({"history", "export", "1", "--report", path("empty"), "--store", store}).exitCode, 0);
        writeFile(path("plain-file"), "x");
        result = runCli({"history", "export", "1", "--report", path("plain-file"), "--store", store, "--force"});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("is not a directory"), qPrintable(result.err));
    }

    // 12.2: `run` on a damaged store fails before the build starts (exit 2), and the store
    // is left byte for byte as it was: no "running" row, no page written. Reads still work.
    void damagedStoreFailsTheRunBeforeItStarts()
    {
        const QString store = path("damaged.sqlite");
        const QString file = spec("damaged");
        QCOMPARE(runCli({"run", file, "--store", store, "--progress", "none"}).exitCode, 0);
        QVERIFY(QFile::remove(path("damaged/ran.marker")));
        const int page = storeScalar(store, "SELECT rootpage FROM sqlite_master WHERE name = 'samples'").toInt();
        const int pageSize = storeScalar(store, "PRAGMA page_size").toInt();
        QVERIFY(page > 1 && pageSize >= 512);
        QByteArray bytes = readFile(store);
        QVERIFY(qsizetype(page) * pageSize <= bytes.size());
        for (int i = 0; i < pageSize; ++i)
            bytes[qsizetype(page - 1) * pageSize + i] = char(0x5A ^ i);
        writeFile(store, bytes);

        CliResult result = runCli({"run", file, "--store", store, "--progress", "none"});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(store + ": the store is damaged ("), qPrintable(result.err));
        QVERIFY2(result.err.contains("--no-store"), qPrintable(result.err));
        QVERIFY(!QFile::exists(path("damaged/ran.marker"))); // the build did not start
        QCOMPARE(readFile(store), bytes);
        QVERIFY(!QFile::exists(store + "-wal") || QFileInfo(store + "-wal").size() == 0);

        result = runCli({"history", "import", path("nowhere"), "--store", store});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("the store is damaged"), qPrintable(result.err));
        result = runCli({"history", "delete", "1", "--store", store});
        QCOMPARE(result.exitCode, 2);
        result = runCli({"history", "list", "--store", store});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.contains("faults"), qPrintable(result.out));
        QCOMPARE(readFile(store), bytes);

        // Without the store, the build runs.
        QCOMPARE(runCli({"run", file, "--no-store", "--progress", "none"}).exitCode, 0);
    }

    // 12.10: a bad ignore pattern passed validate and failed the run's first step.
    void validateRejectsWhatRunWouldReject()
    {
        writeFile(path("late/.dockerignore"), "build/\n[unclosed\n");
        const QString file = spec("late", "ignore_file: .dockerignore\n", "  - name: sum\n    checksum: {}\n");
        CliResult result = runCli({"validate", file});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.startsWith(path("late/.dockerignore") + ":2: bad pattern \"[unclosed\""),
            qPrintable(result.err));
        QVERIFY2(result.err.contains("(the ignore file of " + file + ":4:14)"), qPrintable(result.err));
        result = runCli({"run", file, "--no-store", "--progress", "none"});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(!QFile::exists(path("late/ran.marker")));

        const QString digest = spec("digest", {}, "  - name: sum\n    checksum: {}\n");
        writeFile(digest,
            "version: 1\nname: x\nsteps:\n  - name: early\n    run: echo ${DIGEST}\n  - name: sum\n"
            "    checksum: {}\n");
        result = runCli({"validate", digest});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(
            result.err.contains(digest + ":5:15: ${DIGEST} in step 'early' has no value yet"), qPrintable(result.err));
    }

    // 12.11: inputs that are not regular files get a clear error naming them, promptly.
    void inputsThatAreNotRegularFiles()
    {
        const QString fifo = path("fifo");
        QVERIFY(::mkfifo(fifo.toUtf8().constData(), 0600) == 0);
        CliResult result = runCli({"validate", fifo});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(
            result.err.contains(fifo + ": cannot read the spec: not a regular file (a FIFO)"), qPrintable(result.err));
        result = runCli({"validate", "/dev/zero"});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("not a regular file (a character device)"), qPrintable(result.err));

        QVERIFY(QDir().mkpath(path("ctx")));
        writeFile(path("ctx/a.txt"), "a");
        result = runCli({"checksum", path("ctx"), "--ignore-file", fifo});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(fifo + ": not a regular file (a FIFO); an ignore file must be a file"),
            qPrintable(result.err));

        // A report whose run.json is a FIFO: import and compare refuse it.
        const QString report = path("report");
        QCOMPARE(runCli({"run", spec("reported"), "--no-store", "--report", report, "--progress", "none"}).exitCode, 0);
        QVERIFY(QFile::remove(report + "/run.json"));
        QVERIFY(::mkfifo((report + "/run.json").toUtf8().constData(), 0600) == 0);
        result = runCli({"history", "import", report, "--store", path("import.sqlite")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(report + "/run.json: not a regular file (a FIFO)"), qPrintable(result.err));
        result = runCli({"compare", report, report});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("not a regular file (a FIFO)"), qPrintable(result.err));
    }

    // 12.4: tar outputs that would replace the spec or a source, or leave the context.
    void tarOutputsAreValidated_data()
    {
        QTest::addColumn<QByteArray>("output");
        QTest::addColumn<QString>("message");
        QTest::newRow("the spec") << QByteArray("spec.yaml") << "' is the spec itself; the step would replace it";
        QTest::newRow("a source") << QByteArray("data.txt")
                                  << "/data.txt' is a file of the context and not a tar archive; the step would "
                                     "replace an input";
        QTest::newRow("outside") << QByteArray("../../x.tar") << "/x.tar' is outside the context '";
    }
    void tarOutputsAreValidated()
    {
        QFETCH(QByteArray, output);
        QFETCH(QString, message);
        const QString folder = "tar-" + QString::fromLatin1(QTest::currentDataTag()).replace(' ', '-');
        writeFile(path(folder + "/data.txt"), "precious");
        const QString file = spec(folder, {}, "  - name: pack\n    tar: {output: " + output + "}\n");
        const QByteArray before = readFile(file);
        CliResult result = runCli({"validate", file});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(":8:19: tar output '") && result.err.contains(message), qPrintable(result.err));
        result = runCli({"run", file, "--no-store", "--progress", "none"});
        QCOMPARE(result.exitCode, 2);
        QCOMPARE(readFile(file), before);
        QCOMPARE(readFile(path(folder + "/data.txt")), QByteArray("precious"));
        QVERIFY(!QFile::exists(path(folder + "/ran.marker")));
    }

    // 12.12: a context that is a loop of symbolic links said "does not exist".
    void contextThatIsASymlinkLoop()
    {
        QVERIFY(QDir().mkpath(path("loop")));
        QVERIFY(::symlink("here", path("loop/here").toUtf8().constData()) == 0);
        const QString file = spec("loop", "context: here\n");
        const CliResult result = runCli({"validate", file});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("/here' is a loop of symbolic links"), qPrintable(result.err));
        QCOMPARE(runCli({"checksum", path("loop/here")}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCliFaults)
#include "tst_cli_faults.moc"
