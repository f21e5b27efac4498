// End-to-end tests of the `buildscope` CLI for issue 18 ("Nothing lost, nothing exposed"):
// report folders that hold someone's files, permissions whatever the umask, a store this
// user cannot write, a full disk and a read-only file system. Run as a user would run it;
// where the fault needs another user (root writes any file) or a file system of its own
// (a small tmpfs), the test makes one and says so when it cannot.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <csignal>
#include <cstring>
#include <grp.h>
#if defined(__linux__)
#include <sys/mount.h> // a tmpfs of the test's own (Linux only)
#endif
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

namespace {

struct CliResult
{
    int exitCode = -1;
    QString out;
    QString err;
};

struct CliOptions
{
    QString workingDirectory;
    int umask = -1; // the child's umask; -1: this process's
    bool asNobody = false; // root drops to nobody (65534) in the child
};

CliResult runCli(const QStringList& arguments, const CliOptions& options = {})
{
    QProcess process;
    if (!options.workingDirectory.isEmpty())
        process.setWorkingDirectory(options.workingDirectory);
    const int mask = options.umask;
    const bool nobody = options.asNobody && ::geteuid() == 0;
    process.setChildProcessModifier([mask, nobody] {
        if (mask >= 0)
            ::umask(static_cast<mode_t>(mask));
        if (nobody && (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0))
            ::_exit(111);
    });
    if (nobody) {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("HOME", options.workingDirectory);
        environment.remove("XDG_RUNTIME_DIR");
        process.setProcessEnvironment(environment);
    }
    process.start(BUILDSCOPE_CLI, arguments);
    if (!process.waitForFinished(120000)) {
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

int modeOf(const QString& path)
{
    struct stat status
    { };
    return ::stat(QFile::encodeName(path).constData(), &status) == 0 ? int(status.st_mode & 07777) : -1;
}

QStringList entries(const QString& folder)
{
    QStringList names = QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    names.sort();
    return names;
}

#if defined(__linux__)
// A tmpfs of `kibibytes` mounted on `folder` for the life of the object (root only).
class SmallFileSystem
{
public:
    SmallFileSystem(const QString& folder, int kibibytes)
        : m_folder(QFile::encodeName(folder))
    {
        QDir().mkpath(folder);
        const QByteArray options = "size=" + QByteArray::number(kibibytes) + "k,mode=0755";
        m_mounted = ::mount("tmpfs", m_folder.constData(), "tmpfs", 0, options.constData()) == 0;
        m_error = m_mounted ? QString() : QString::fromLocal8Bit(std::strerror(errno));
    }
    ~SmallFileSystem()
    {
        if (m_mounted)
            ::umount2(m_folder.constData(), MNT_DETACH);
    }
    SmallFileSystem(const SmallFileSystem&) = delete;
    SmallFileSystem& operator=(const SmallFileSystem&) = delete;

    bool mounted() const { return m_mounted; }
    QString error() const { return m_error; }
    bool makeReadOnly()
    {
        return ::mount(nullptr, m_folder.constData(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) == 0;
    }

private:
    QByteArray m_folder;
    bool m_mounted = false;
    QString m_error;
};

// Fills the file system holding `folder` until it has no free block left.
void fill(const QString& folder)
{
    QFile filler(folder + "/filler");
    QVERIFY(filler.open(QIODevice::WriteOnly));
    const QByteArray block(64 * 1024, 'x');
    while (filler.write(block) == block.size() && filler.flush()) { }
    const QByteArray small(512, 'x');
    while (filler.write(small) == small.size() && filler.flush()) { }
    while (filler.write("x", 1) == 1 && filler.flush()) { }
}
#endif

} // namespace

class TestCliNothingLost : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Others may enter (the tests that run the CLI as nobody); each test's files keep
        // their own permissions.
        ::chmod(QFile::encodeName(m_dir.path()).constData(), 0755);
    }

    // 18.1: a folder holding someone's files (samples.csv, log.txt, thesis.tmp-v2, run-7/)
    // was emptied by `run --report . --repeat 2`, and overwritten with --repeat 1.
    void foreignFolderIsRefusedBeforeTheBuild_data()
    {
        QTest::addColumn<QString>("repeat");
        QTest::addColumn<QString>("command");
        QTest::newRow("repeat 2") << "2"
                                  << "true";
        QTest::newRow("repeat 1") << "1"
                                  << "true";
        QTest::newRow("failing command") << "2"
                                         << "false";
    }
    void foreignFolderIsRefusedBeforeTheBuild()
    {
        QFETCH(QString, repeat);
        QFETCH(QString, command);
        const QString folder = path("thesis-" + QString(QTest::currentDataTag()).replace(' ', '-'));
        writeFile(folder + "/samples.csv", "my samples\n");
        writeFile(folder + "/log.txt", "my log\n");
        writeFile(folder + "/thesis.tmp-v2", "chapter 3\n");
        writeFile(folder + "/run-7/notes.txt", "notes\n");
        const QStringList before = entries(folder);

        const CliResult result = runCli({"run", "--report", ".", "--repeat", repeat, "--no-store", "--no-live",
                                            "--progress", "none", "--", "sh", "-c", "touch ran.marker; " + command},
            {folder});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("cannot write the report to '.'"), qPrintable(result.err));
        QVERIFY2(result.err.contains("holds files BuildScope did not write"), qPrintable(result.err));
        QVERIFY(!QFile::exists(folder + "/ran.marker")); // refused before the build
        QCOMPARE(entries(folder), before);
        QCOMPARE(readFile(folder + "/samples.csv"), QByteArray("my samples\n"));
        QCOMPARE(readFile(folder + "/log.txt"), QByteArray("my log\n"));
        QCOMPARE(readFile(folder + "/thesis.tmp-v2"), QByteArray("chapter 3\n"));
        QCOMPARE(readFile(folder + "/run-7/notes.txt"), QByteArray("notes\n"));
    }

    // 18.1: what a report folder's manifest lists is BuildScope's to replace and remove;
    // nothing else is, also inside a round folder it wrote.
    void reportFolderRemovesOnlyWhatItWrote()
    {
        const QString folder = path("rounds");
        const QStringList run {"run", "--no-store", "--no-live", "--progress", "none", "--report", folder};
        QCOMPARE(runCli(run + QStringList {"--repeat", "3", "--", "true"}).exitCode, 0);
        QCOMPARE(entries(folder), QStringList({".buildscope-report", "run-1", "run-2", "run-3"}));
        QVERIFY(QFile::exists(folder + "/run-2/run.json"));
        writeFile(folder + "/notes.txt", "mine\n");
        writeFile(folder + "/run-3/mine.txt", "mine too\n");

        // A single run into it: the rounds go (run-3 keeps the user's file), the user's stay.
        CliResult result = runCli(run + QStringList {"--", "true"});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.err.contains("removed " + folder + "/run-1"), qPrintable(result.err));
        QCOMPARE(entries(folder + "/run-3"), QStringList({"mine.txt"}));
        QCOMPARE(readFile(folder + "/notes.txt"), QByteArray("mine\n"));
        QVERIFY(!QFile::exists(folder + "/run-1") && !QFile::exists(folder + "/run-2"));
        QVERIFY(QFile::exists(folder + "/run.json") && QFile::exists(folder + "/log.txt"));

        // Again: its own files are replaced. Then --repeat 2: the single run's files go.
        QCOMPARE(runCli(run + QStringList {"--", "true"}).exitCode, 0);
        // run-3 holds the user's file and is not BuildScope's any more: --repeat 3 refuses it.
        result = runCli(run + QStringList {"--repeat", "3", "--", "true"});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("run-3' holds files BuildScope did not write"), qPrintable(result.err));
        result = runCli(run + QStringList {"--repeat", "2", "--", "true"});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(entries(folder), QStringList({".buildscope-report", "notes.txt", "run-1", "run-2", "run-3"}));
        QCOMPARE(readFile(folder + "/run-3/mine.txt"), QByteArray("mine too\n"));

        // A file the manifest does not list is never replaced, even in a report folder.
        QVERIFY(QFile::remove(folder + "/run-2/samples.csv"));
        writeFile(folder + "/run-2/samples.csv", "someone's\n");
        QString manifest = QString::fromUtf8(readFile(folder + "/run-2/.buildscope-report"));
        manifest.remove(QRegularExpression("^samples\\.csv\\n", QRegularExpression::MultilineOption));
        writeFile(folder + "/run-2/.buildscope-report", manifest.toUtf8());
        result = runCli(run + QStringList {"--repeat", "2", "--", "true"});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("samples.csv' was not written by BuildScope"), qPrintable(result.err));
        QCOMPARE(readFile(folder + "/run-2/samples.csv"), QByteArray("someone's\n"));
    }

    // 18.2: folders BuildScope created were 0755, the store and report files 0644.
    void reportAndStoreArePrivateWhateverTheUmask()
    {
        const QString folder = path("private/a/report");
        const QString store = path("private/store/deeper/history.sqlite");
        const CliResult result = runCli({"run", "--report", folder, "--store", store, "--no-live", "--progress", "none",
                                            "--", "sh", "-c", "echo secret-token"},
            {{}, 0});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(modeOf(path("private/a")), 0700);
        QCOMPARE(modeOf(folder), 0700);
        for (const QString& name : entries(folder))
            QVERIFY2(modeOf(folder + "/" + name) == 0600,
                qPrintable(name + " " + QString::number(modeOf(folder + "/" + name), 8)));
        QVERIFY(readFile(folder + "/log.txt").contains("secret-token"));
        QCOMPARE(modeOf(path("private/store")), 0700);
        QCOMPARE(modeOf(path("private/store/deeper")), 0700);
        QCOMPARE(modeOf(store), 0600);
        if (QFile::exists(store + "-wal"))
            QCOMPARE(modeOf(store + "-wal"), 0600);

        // Shared on request: the umask decides.
        const QString shared = path("shared/report");
        QCOMPARE(runCli({"run", "--report", shared, "--shared-report", "--no-store", "--no-live", "--progress", "none",
                            "--", "true"},
                     {{}, 022})
                     .exitCode,
            0);
        QCOMPARE(modeOf(shared), 0755);
        QCOMPARE(modeOf(shared + "/run.json"), 0644);
        QCOMPARE(modeOf(shared + "/log.txt"), 0644);
    }

    // 18.3: a read-only store: the run exited 0 "not stored", leaving a read-only -wal, and
    // the next run after chmod 644 was lost too.
    void readOnlyStoreStopsTheRunBeforeTheBuild()
    {
        const QString folder = path("readonly");
        QVERIFY(QDir().mkpath(folder));
        const QString store = folder + "/history.sqlite";
        QCOMPARE(runCli({"run", "--store", store, "--no-live", "--progress", "none", "--", "true"}).exitCode, 0);
        QVERIFY(!QFile::exists(store + "-wal") && !QFile::exists(store + "-shm"));
        const QByteArray bytes = readFile(store);
        // Root writes any file: the store and its folder are given to nobody, who runs the CLI.
        if (::geteuid() == 0) {
            QCOMPARE(::chown(QFile::encodeName(folder).constData(), 65534, 65534), 0);
            QCOMPARE(::chown(QFile::encodeName(store).constData(), 65534, 65534), 0);
        }
        QCOMPARE(::chmod(QFile::encodeName(store).constData(), 0444), 0);
        const CliOptions nobody {folder, -1, true};
        const QStringList run {"run", "--store", store, "--no-live", "--progress", "none", "--", "touch", "ran.marker"};

        CliResult result = runCli(run, nobody);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(store + ": the store is read-only for this user (Permission denied)"),
            qPrintable(result.err));
        QVERIFY2(result.err.contains("does not start") && result.err.contains("--no-store"), qPrintable(result.err));
        QVERIFY(!QFile::exists(folder + "/ran.marker"));
        QVERIFY(!QFile::exists(store + "-wal"));
        QVERIFY(!QFile::exists(store + "-shm"));
        QCOMPARE(readFile(store), bytes);

        // Writable again: the next run is recorded (nothing stray was left to stop it).
        QCOMPARE(::chmod(QFile::encodeName(store).constData(), 0644), 0);
        result = runCli(run, nobody);
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.contains("stored as run 2"), qPrintable(result.out + result.err));

        // A -wal this user cannot write (left by another user) is named, before the build.
        QVERIFY(QFile::remove(folder + "/ran.marker"));
        writeFile(store + "-wal", {});
        QCOMPARE(::chmod(QFile::encodeName(store + "-wal").constData(), 0444), 0);
        if (::geteuid() == 0)
            QCOMPARE(::chown(QFile::encodeName(store + "-wal").constData(), 0, 0), 0);
        result = runCli(run, nobody);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(
            result.err.contains("the store's wal file " + store + "-wal cannot be written"), qPrintable(result.err));
        QVERIFY(!QFile::exists(folder + "/ran.marker"));
    }

    // 18.7: every `run -- sh -c ...` was spec "sh", and two spec files with the same name
    // were compared and searched for changes as one spec, without a word.
    void commandRunsAreNamedByTheirCommandLine()
    {
        const QString store = path("named.sqlite");
        const QStringList run {"run", "--store", store, "--no-live", "--progress", "none", "--"};
        QCOMPARE(runCli(run + QStringList {"sh", "-c", "exit 0"}).exitCode, 0);
        QCOMPARE(runCli(run + QStringList {"sh", "-c", "true"}).exitCode, 0);
        const CliResult list = runCli({"history", "list", "--store", store});
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(list.out.contains("sh -c 'exit 0'") && list.out.contains("sh -c true"), qPrintable(list.out));
        const CliResult show = runCli({"history", "show", "1", "--store", store});
        QVERIFY2(show.out.contains("'sh -c 'exit 0''"), qPrintable(show.out));

        // Two spec files named alike: compare and history changes say they differ.
        const QByteArray text = "version: 1\nname: same\nsample_hz: 50\nsteps:\n  - name: s\n    run: true\n";
        writeFile(path("spec-a/buildscope.yaml"), text);
        writeFile(path("spec-b/buildscope.yaml"), text);
        for (const QString side : {"a", "b"}) {
            QCOMPARE(runCli({"run", path("spec-" + side + "/buildscope.yaml"), "--store", store, "--report",
                                path("report-" + side), "--no-live", "--progress", "none"})
                         .exitCode,
                0);
        }
        CliResult compare = runCli({"compare", path("report-a"), path("report-b"), "--store", store});
        QCOMPARE(compare.exitCode, 0);
        QVERIFY2(
            compare.err.contains("warning: the sides' specs differ: base runs 'same' (spec "
                + path("spec-a/buildscope.yaml") + "); candidate runs 'same' (spec " + path("spec-b/buildscope.yaml")),
            qPrintable(compare.err));
        compare = runCli({"compare", path("report-a"), path("report-a"), "--store", store});
        QVERIFY2(!compare.err.contains("specs differ"), qPrintable(compare.err));
        const CliResult changes = runCli({"history", "changes", "--spec", "same", "--store", store});
        QCOMPARE(changes.exitCode, 0);
        QVERIFY2(changes.err.contains("warning: the runs named 'same' are of 2 different specs"),
            qPrintable(changes.err + changes.out));
    }

    // 18.8: runs on a modified work tree carried the clean commit's label: history showed one
    // commit and no change where an edit made the build hungrier.
    void modifiedWorkTreeIsItsOwnPoint()
    {
        if (QStandardPaths::findExecutable("git").isEmpty())
            QSKIP("git is not installed");
        const QString repository = path("dirty-repo");
        QVERIFY(QDir().mkpath(repository));
        const auto git = [&](const QStringList& arguments) {
            QProcess process;
            process.setWorkingDirectory(repository);
            process.start("git",
                QStringList {"-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"} + arguments);
            return process.waitForFinished(30000) && process.exitCode() == 0;
        };
        QVERIFY(git({"init", "-q"}));
        writeFile(repository + "/size.txt", "16\n");
        QVERIFY(git({"add", "size.txt"}));
        QVERIFY(git({"commit", "-q", "-m", "first"}));

        const QString store = path("dirty.sqlite");
        // The build's memory comes from the tracked file: the edit makes it hungrier.
        const QStringList run {"run", "--store", store, "--no-live", "--progress", "none", "--", "sh", "-c",
            QString(MEMHOG) + " $(cat size.txt) 200"};
        for (int i = 0; i < 5; ++i) // five a side: enough for the change test at alpha 0.05
            QCOMPARE(runCli(run, {repository}).exitCode, 0);
        writeFile(repository + "/size.txt", "96\n");
        for (int i = 0; i < 5; ++i) // five a side: enough for the change test at alpha 0.05
            QCOMPARE(runCli(run, {repository}).exitCode, 0);

        const CliResult show = runCli({"history", "show", "6", "--store", store});
        QVERIFY2(show.out.contains("git.dirty=true") && show.out.contains("git.diff_hash="), qPrintable(show.out));
        QVERIFY2(!runCli({"history", "show", "1", "--store", store}).out.contains("git.dirty"), "clean run");

        const CliResult changes = runCli({"history", "changes", "--store", store, "--key", "step/sh", "--metric",
            "peak_rss_bytes", "--format", "csv"});
        QCOMPARE(changes.exitCode, 0);
        const QStringList lines = changes.out.split("\r\n", Qt::SkipEmptyParts);
        QVERIFY2(lines.size() == 2, qPrintable(changes.out + changes.err));
        QVERIFY2(lines[1].contains("+dirty."), qPrintable(changes.out));
    }

    // 18.4: at the end of a build the engine waited 1 s for viewers, then closed them: a
    // viewer reading at 3 MB/s a build that printed 100,000 lines got a half-written line
    // and no `end` or `bye`.
    void aSlowViewerIsServedToTheEnd()
    {
        const QString live = path("live");
        QVERIFY(QDir().mkpath(live));
        ::chmod(QFile::encodeName(live).constData(), 0700);
        const QString work = path("slow-viewer");
        QVERIFY(QDir().mkpath(work));
        QProcess engine;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("BUILDSCOPE_LIVE_DIR", live);
        engine.setProcessEnvironment(environment);
        engine.setWorkingDirectory(work);
        // The build waits for the viewer (the file `go`), then prints 100,000 lines at once.
        engine.start(BUILDSCOPE_CLI,
            {"run", "--no-store", "--progress", "none", "--", "sh", "-c",
                "while [ ! -e go ]; do sleep 0.02; done; seq 1 100000"});
        QVERIFY(engine.waitForStarted());
        const QString socket = live + "/" + QString::number(engine.processId()) + ".sock";
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(socket), 60000);

        sockaddr_un address {};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, QFile::encodeName(socket).constData(), sizeof address.sun_path - 1);
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        QCOMPARE(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
        writeFile(work + "/go", {});

        // About 3 MB/s: 64 KiB, then a 20 ms pause.
        QByteArray received;
        std::vector<char> buffer(64 * 1024);
        for (;;) {
            const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
            if (n <= 0)
                break;
            received.append(buffer.data(), n);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        ::close(fd);
        QVERIFY(engine.waitForFinished(120000));
        QCOMPARE(engine.exitCode(), 0);

        QVERIFY2(received.endsWith('\n'), "the last line is whole");
        const QList<QByteArray> lines = received.trimmed().split('\n');
        qsizetype logEntries = 0;
        for (const QByteArray& line : lines) {
            const QJsonObject message = QJsonDocument::fromJson(line).object();
            QVERIFY2(!message.isEmpty(), line.left(200).constData());
            if (message.value("type") == "log")
                logEntries += message.value("entries").toArray().size();
        }
        QCOMPARE(QJsonDocument::fromJson(lines.last()).object().value("type").toString(), QString("bye"));
        QCOMPARE(QJsonDocument::fromJson(lines[lines.size() - 2]).object().value("type").toString(), QString("end"));
        qInfo("received %lld bytes, %lld lines, %lld log entries", static_cast<long long>(received.size()),
            static_cast<long long>(lines.size()), static_cast<long long>(logEntries));
    }

    // 18.9: a full disk said "I/O error (disk I/O error)"; log.txt was cut short silently.
    void fullDiskAndReadOnlyFileSystemAreNamed()
    {
#if !defined(__linux__)
        QSKIP("mounts a small tmpfs: Linux only");
#else
        if (::geteuid() != 0)
            QSKIP("needs root, to mount a small tmpfs");
        const QString disk = path("smalldisk");
        SmallFileSystem fileSystem(disk, 256);
        if (!fileSystem.mounted())
            QSKIP(qPrintable("cannot mount a tmpfs here: " + fileSystem.error()));

        // The build prints about 1 MB into a 256 KiB disk: log.txt is cut short, and said so.
        const QString report = disk + "/report";
        CliResult result = runCli({"run", "--report", report, "--no-store", "--no-live", "--progress", "none", "--",
            "sh", "-c", "yes 'a line of build output that fills the disk' | head -n 25000"});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(report + "/log.txt is cut short: it holds the first "), qPrintable(result.err));
        QVERIFY2(result.err.contains("of the round's 25"), qPrintable(result.err));
        QVERIFY2(result.err.contains("the disk is full (No space left on device)"), qPrintable(result.err));
        QVERIFY(QFileInfo(report + "/log.txt").size() < 1000000);

        // A store on the full disk: named before the build.
        QVERIFY(QDir(report).removeRecursively());
        const QString store = disk + "/history.sqlite";
        QCOMPARE(runCli({"run", "--store", store, "--no-live", "--progress", "none", "--", "true"}).exitCode, 0);
        fill(disk);
        result
            = runCli({"run", "--store", store, "--no-live", "--progress", "none", "--", "touch", path("full.marker")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("the disk holding the store is full"), qPrintable(result.err));
        QVERIFY(!QFile::exists(path("full.marker")));

        // Read-only: the store and the report say so, before the build.
        QVERIFY(QFile::remove(disk + "/filler"));
        QVERIFY(fileSystem.makeReadOnly());
        result = runCli({"run", "--store", store, "--no-live", "--progress", "none", "--", "touch", path("ro.marker")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("the store is on a read-only file system (Read-only file system)"),
            qPrintable(result.err));
        result = runCli({"run", "--report", disk + "/new-report", "--no-store", "--no-live", "--progress", "none", "--",
            "touch", path("ro.marker")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("the file system is read-only (Read-only file system)"), qPrintable(result.err));
        QVERIFY(!QFile::exists(path("ro.marker")));
#endif
    }
};

QTEST_GUILESS_MAIN(TestCliNothingLost)
#include "tst_cli_nothinglost.moc"
