#include "context/contexterror.h"
#include "context/contexttar.h"
#include "context/contextwalker.h"
#include "contextfixture.h"
#include "memory/enginepools.h"
#include "memory/operationregistry.h"

#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <clocale>
#include <fcntl.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace buildscope {

using namespace test;

namespace {

// GNU tar, run with a fixed time zone so listed times are UTC.
QString runTar(const QStringList& arguments, bool* ok = nullptr)
{
    std::vector<std::string> args;
    for (const QString& a : arguments)
        args.push_back(a.toStdString());
    const ToolResult r = runTool("tar", args, {"TZ=UTC", "LC_ALL=C.UTF-8"});
    if (ok)
        *ok = r.exitCode == 0;
    if (r.exitCode != 0)
        qWarning() << "tar" << arguments << "exited with" << r.exitCode;
    return QString::fromStdString(r.out);
}

bool haveGnuTar()
{
    bool ok = false;
    return runTar({"--version"}, &ok).contains("GNU tar") && ok;
}

void sampleTree(const fs::path& root)
{
    writeFile(root, "README.md", "# demo\n");
    writeFile(root, "src/main.cpp", "int main() { return 0; }\n");
    writeFile(root, "src/big.bin", std::string(200 * 1024 + 5, 'b'));
    writeFile(root, "scripts/build.sh", "#!/bin/sh\nmake\n", true);
    writeFile(root, "empty.txt", "");
    makeDir(root, "assets/empty");
    makeSymlink(root, "current", "src/main.cpp");
    makeSymlink(root, "assets/dangling", "../nowhere");
    writeFile(root, "caf\xc3\xa9.txt", "utf-8 name\n");
}

std::vector<std::string> listing(const fs::path& root)
{
    std::vector<std::string> out;
    for (const ContextEntry& e : walkContext(root, IgnoreRules()))
        out.push_back(e.path);
    return out;
}

std::uint64_t operationCount(const std::string& name)
{
    for (const OperationStatistics& s : OperationRegistry::global().statistics()) {
        if (s.name == name)
            return s.count;
    }
    return 0;
}

bool onlyEntry(const fs::path& dir, const std::string& name)
{
    int count = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().filename() != name)
            return false;
        ++count;
    }
    return count == 1;
}

} // namespace

class TestContextTar : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qunsetenv("SOURCE_DATE_EPOCH");
        if (!haveGnuTar())
            QSKIP("GNU tar is needed to check the archives");
    }

    void sameInputSameBytes()
    {
        QTemporaryDir src;
        QTemporaryDir out;
        const fs::path root(src.path().toStdString());
        const fs::path dest(out.path().toStdString());
        sampleTree(root);
        const TarResult first = writeContextTar(root, IgnoreRules(), dest / "1.tar");
        // Different mtimes and atimes must not matter.
        const timespec times[2] = {{12345, 0}, {67890, 0}};
        QCOMPARE(::utimensat(AT_FDCWD, (root / "README.md").c_str(), times, 0), 0);
        QCOMPARE(::utimensat(AT_FDCWD, (root / "src").c_str(), times, 0), 0);
        const TarResult second = writeContextTar(root, IgnoreRules(), dest / "2.tar");
        const std::string a = readFile(dest / "1.tar");
        QVERIFY(!a.empty());
        QVERIFY(a == readFile(dest / "2.tar"));
        QCOMPARE(first.archiveBytes, second.archiveBytes);
        QCOMPARE(first.archiveBytes, std::uint64_t(a.size()));
        QCOMPARE(first.archiveBytes % 10240, std::uint64_t {0});
        QCOMPARE(first.entries, std::uint64_t(listing(root).size()));
        QCOMPARE(first.contentBytes, std::uint64_t(7 + 25 + 200 * 1024 + 5 + 15 + 0 + 11));
    }

    void bytesDoNotDependOnTheLocale()
    {
        QTemporaryDir src;
        QTemporaryDir out;
        const fs::path root(src.path().toStdString());
        const fs::path dest(out.path().toStdString());
        sampleTree(root);
        writeFile(root, "bad-\xff-name.bin", "not UTF-8");
        const std::string saved = std::setlocale(LC_ALL, nullptr);
        std::setlocale(LC_ALL, "C");
        writeContextTar(root, IgnoreRules(), dest / "c.tar");
        if (!std::setlocale(LC_ALL, "C.UTF-8"))
            std::setlocale(LC_ALL, "en_US.UTF-8");
        writeContextTar(root, IgnoreRules(), dest / "utf8.tar");
        std::setlocale(LC_ALL, saved.c_str());
        fs::remove(root / "bad-\xff-name.bin"); // QTemporaryDir cannot remove names that are not UTF-8
        QVERIFY(readFile(dest / "c.tar") == readFile(dest / "utf8.tar"));
    }

    void gnuTarListsNormalisedEntries()
    {
        QTemporaryDir src;
        QTemporaryDir out;
        const fs::path root(src.path().toStdString());
        sampleTree(root);
        const fs::path archive = fs::path(out.path().toStdString()) / "ctx.tar";
        TarOptions options;
        options.sourceDateEpoch = 0;
        writeContextTar(root, IgnoreRules(), archive, options);

        bool ok = false;
        const QStringList lines = runTar({"--full-time", "-tvf", QString::fromStdString(archive.string())}, &ok)
                                      .split('\n', Qt::SkipEmptyParts);
        QVERIFY(ok);
        const QStringList expected {
            "-rw-r--r-- 0/0 7 1970-01-01 00:00:00 README.md",
            "drwxr-xr-x 0/0 0 1970-01-01 00:00:00 assets/",
            "lrwxrwxrwx 0/0 0 1970-01-01 00:00:00 assets/dangling -> ../nowhere",
            "drwxr-xr-x 0/0 0 1970-01-01 00:00:00 assets/empty/",
            QStringLiteral("-rw-r--r-- 0/0 11 1970-01-01 00:00:00 caf\u00e9.txt"),
            "lrwxrwxrwx 0/0 0 1970-01-01 00:00:00 current -> src/main.cpp",
            "-rw-r--r-- 0/0 0 1970-01-01 00:00:00 empty.txt",
            "drwxr-xr-x 0/0 0 1970-01-01 00:00:00 scripts/",
            "-rwxr-xr-x 0/0 15 1970-01-01 00:00:00 scripts/build.sh",
            "drwxr-xr-x 0/0 0 1970-01-01 00:00:00 src/",
            "-rw-r--r-- 0/0 204805 1970-01-01 00:00:00 src/big.bin",
            "-rw-r--r-- 0/0 25 1970-01-01 00:00:00 src/main.cpp",
        };
        QStringList normalised;
        for (const QString& line : lines)
            normalised << line.simplified();
        QCOMPARE(normalised, expected);
    }

    void extractedTreeMatchesTheSource()
    {
        QTemporaryDir src;
        QTemporaryDir out;
        QTemporaryDir extracted;
        const fs::path root(src.path().toStdString());
        const fs::path copy(extracted.path().toStdString());
        sampleTree(root);
        writeFile(root, "bad-\xff-name.bin", "not UTF-8");
        const fs::path archive = fs::path(out.path().toStdString()) / "ctx.tar";
        writeContextTar(root, IgnoreRules(), archive);
        bool ok = false;
        runTar({"-xf", QString::fromStdString(archive.string()), "-C", extracted.path()}, &ok);
        const std::vector<ContextEntry> original = walkContext(root, IgnoreRules());
        const std::vector<ContextEntry> restored = walkContext(copy, IgnoreRules());
        QCOMPARE(restored.size(), original.size());
        for (std::size_t i = 0; i < original.size(); ++i) {
            const ContextEntry& o = original[i];
            const ContextEntry& r = restored[i];
            QCOMPARE(qs(r.path), qs(o.path));
            QCOMPARE(r.type, o.type);
            if (o.type == ContextEntry::Type::File) {
                QCOMPARE(r.executable, o.executable);
                QCOMPARE(r.size, o.size);
                QVERIFY2(readFile(copy / r.path) == readFile(root / o.path), o.path.c_str());
            } else if (o.type == ContextEntry::Type::Symlink) {
                QCOMPARE(qs(r.linkTarget), qs(o.linkTarget));
            }
        }
        // QTemporaryDir cannot remove names that are not UTF-8.
        fs::remove(root / "bad-\xff-name.bin");
        fs::remove(copy / "bad-\xff-name.bin");
        QVERIFY(ok);
    }

    void longPathsSurvive()
    {
        QTemporaryDir src;
        QTemporaryDir out;
        QTemporaryDir extracted;
        const fs::path root(src.path().toStdString());
        const std::string dirs = std::string(60, 'a') + "/" + std::string(60, 'b') + "/" + std::string(60, 'c') + "/";
        const std::string longFile = dirs + std::string(110, 'f') + ".txt"; // name alone > 100 bytes
        const std::string longLinkTarget = "../../" + std::string(120, 't');
        QVERIFY(longFile.size() > 200);
        writeFile(root, longFile, "deep\n");
        makeSymlink(root, dirs + "link", longLinkTarget);

        const fs::path archive = fs::path(out.path().toStdString()) / "long.tar";
        writeContextTar(root, IgnoreRules(), archive);
        QVERIFY(readFile(archive).find("PaxHeader") != std::string::npos);
        bool ok = false;
        runTar({"-xf", QString::fromStdString(archive.string()), "-C", extracted.path()}, &ok);
        QVERIFY(ok);
        const fs::path copy(extracted.path().toStdString());
        QCOMPARE(qs(readFile(copy / longFile)), QStringLiteral("deep\n"));
        QCOMPARE(qs(fs::read_symlink(copy / (dirs + "link")).string()), qs(longLinkTarget));
    }

    void shortPathsNeedNoPaxHeaders()
    {
        QTemporaryDir src;
        QTemporaryDir out;
        const fs::path root(src.path().toStdString());
        writeFile(root, "a/b.txt", "b");
        makeSymlink(root, "l", "a/b.txt");
        const fs::path archive = fs::path(out.path().toStdString()) / "short.tar";
        writeContextTar(root, IgnoreRules(), archive);
        // Plain ustar headers: no per-entry pax records, no atime/ctime anywhere.
        const std::string bytes = readFile(archive);
        QVERIFY(bytes.find("PaxHeader") == std::string::npos);
        QVERIFY(bytes.find("atime") == std::string::npos);
        QVERIFY(bytes.find("ctime") == std::string::npos);
    }

    void sourceDateEpoch()
    {
        QTemporaryDir src;
        QTemporaryDir out;
        const fs::path root(src.path().toStdString());
        writeFile(root, "a.txt", "a");
        const fs::path archive = fs::path(out.path().toStdString()) / "t.tar";
        const auto listed = [&] { return runTar({"--full-time", "-tvf", QString::fromStdString(archive.string())}); };

        qputenv("SOURCE_DATE_EPOCH", "1700000000");
        writeContextTar(root, IgnoreRules(), archive);
        QVERIFY2(listed().contains("2023-11-14 22:13:20 a.txt"), qPrintable(listed()));

        // The option wins over the environment.
        TarOptions options;
        options.sourceDateEpoch = 86400;
        writeContextTar(root, IgnoreRules(), archive, options);
        QVERIFY2(listed().contains("1970-01-02 00:00:00 a.txt"), qPrintable(listed()));

        // Not a valid integer: 0.
        for (const char* invalid : {"soon", "12abc", "-5", ""}) {
            qputenv("SOURCE_DATE_EPOCH", invalid);
            writeContextTar(root, IgnoreRules(), archive);
            QVERIFY2(listed().contains("1970-01-01 00:00:00 a.txt"), invalid);
        }
        qunsetenv("SOURCE_DATE_EPOCH");
        writeContextTar(root, IgnoreRules(), archive);
        QVERIFY(listed().contains("1970-01-01 00:00:00 a.txt"));
    }

    void ignoredFilesAreAbsent()
    {
        QTemporaryDir src;
        QTemporaryDir out;
        const fs::path root(src.path().toStdString());
        sampleTree(root);
        writeFile(root, "build/out.o", "o");
        writeFile(root, "debug.log", "l");
        const fs::path archive = fs::path(out.path().toStdString()) / "t.tar";
        writeContextTar(root, IgnoreRules::parse("build\n*.log\nsrc\n!src/main.cpp\n"), archive);
        const QString names = runTar({"-tf", QString::fromStdString(archive.string())});
        QVERIFY(!names.contains("build/"));
        QVERIFY(names.contains("scripts/build.sh\n"));
        QVERIFY(!names.contains("debug.log"));
        QVERIFY(!names.contains("big.bin"));
        QVERIFY(names.contains("src/main.cpp\n"));
        QVERIFY(names.contains("README.md\n"));
    }

    void outputInsideTheContextIsExcluded()
    {
        QTemporaryDir src;
        const fs::path root(src.path().toStdString());
        writeFile(root, "a.txt", "a");
        makeDir(root, "out");
        const fs::path archive = root / "out" / "context.tar";
        writeContextTar(root, IgnoreRules(), archive);
        const std::string first = readFile(archive);
        // Again, now that the output exists (and through a path with "..").
        writeContextTar(root, IgnoreRules(), root / "out" / ".." / "out" / "context.tar");
        QVERIFY(readFile(archive) == first);
        const QString names = runTar({"-tf", QString::fromStdString(archive.string())});
        QCOMPARE(names, QStringLiteral("a.txt\nout/\n"));
        QVERIFY(onlyEntry(root / "out", "context.tar"));
    }

    // 12.4: an output inside the context never replaces an input: a source file, the spec,
    // a symbolic link. Refused before anything is written, the file left as it was. An
    // earlier output (a tar archive, also the empty context's all-zero one) is replaced.
    void outputNeverReplacesAnInput()
    {
        QTemporaryDir src;
        const fs::path root(src.path().toStdString());
        writeFile(root, "spec.yaml", "version: 1\n");
        writeFile(root, "data.txt", "precious");
        makeSymlink(root, "link.tar", "data.txt");
        for (const char* name : {"spec.yaml", "data.txt", "link.tar"}) {
            const std::string before = readFile(root / name);
            try {
                writeContextTar(root, IgnoreRules(), root / name);
                QFAIL("no ContextError");
            } catch (const ContextError& error) {
                QCOMPARE(std::string(error.what()),
                    (root / name).string()
                        + ": is a file of the context and not a tar archive; a tar output never replaces an input "
                          "(choose another output)");
            }
            QCOMPARE(readFile(root / name), before);
            QVERIFY(fs::is_symlink(root / "link.tar"));
        }
        // Through a path that reaches the context by another spelling.
        QVERIFY_THROWS_EXCEPTION(ContextError, writeContextTar(root, IgnoreRules(), root / "." / "x" / ".." / "data.txt"));
        QCOMPARE(readFile(root / "data.txt"), std::string("precious"));

        // A tar archive is an earlier output: replaced, and still not in the archive.
        writeContextTar(root, IgnoreRules(), root / "out.tar");
        QVERIFY(isTarArchive(root / "out.tar"));
        writeContextTar(root, IgnoreRules(), root / "out.tar");
        QCOMPARE(runTar({"-tf", QString::fromStdString((root / "out.tar").string())}),
            QStringLiteral("data.txt\nlink.tar\nspec.yaml\n"));
        // The tar of an empty context is all zero blocks: also an archive.
        QTemporaryDir emptySrc;
        const fs::path empty(emptySrc.path().toStdString());
        QTemporaryDir outDir;
        const fs::path zeros = fs::path(outDir.path().toStdString()) / "empty.tar";
        writeContextTar(empty, IgnoreRules(), zeros);
        QVERIFY(isTarArchive(zeros));
        QVERIFY(!isTarArchive(root / "data.txt"));
        QVERIFY(!isTarArchive(root));
    }

    void cancelledTarLeavesNoFile()
    {
        QTemporaryDir src;
        QTemporaryDir out;
        const fs::path root(src.path().toStdString());
        const fs::path dest(out.path().toStdString());
        sampleTree(root);
        std::atomic<bool> cancel {false};
        TarOptions options;
        options.cancel = &cancel;
        options.progress = [&](std::uint64_t entries, std::uint64_t) {
            if (entries == 3)
                cancel = true;
        };
        QVERIFY_THROWS_EXCEPTION(Cancelled, writeContextTar(root, IgnoreRules(), dest / "t.tar", options));
        QVERIFY(fs::is_empty(dest));

        // An existing output is left as it was.
        writeFile(dest, "t.tar", "previous");
        cancel = false;
        QVERIFY_THROWS_EXCEPTION(Cancelled, writeContextTar(root, IgnoreRules(), dest / "t.tar", options));
        QCOMPARE(qs(readFile(dest / "t.tar")), QStringLiteral("previous"));
        QVERIFY(onlyEntry(dest, "t.tar"));
    }

    // 12.7: a cancel while one huge file is archived stops within a chunk or so, not at the
    // end of the file: with the calling thread reading, and with the read-ahead thread (16
    // files or more). Asserted by how much was read; the latency is printed.
    void cancelInsideOneHugeFile_data()
    {
        QTest::addColumn<int>("smallFiles");
        QTest::newRow("calling thread reads") << 0;
        QTest::newRow("read-ahead thread") << 20;
    }
    void cancelInsideOneHugeFile()
    {
        QFETCH(int, smallFiles);
        QTemporaryDir src;
        const fs::path root(src.path().toStdString());
        for (int i = 0; i < smallFiles; ++i)
            writeFile(root, "a" + std::to_string(100 + i), "x");
        writeFile(root, "huge.bin", "");
        constexpr std::uint64_t kHuge = 10ULL * 1024 * 1024 * 1024;
        fs::resize_file(root / "huge.bin", kHuge); // sparse: no disk used
        std::atomic<bool> cancel {false};
        TarOptions options;
        options.cancel = &cancel;
        CancelFromAnotherThread canceller(cancel, 64ULL * 1024 * 1024);
        QVERIFY_THROWS_EXCEPTION(Cancelled, writeContextTar(root, IgnoreRules(), fs::path("/dev/null"), options));
        const auto returned = std::chrono::steady_clock::now();
        canceller.stop();
        const std::uint64_t read = bytesReadByThisProcess() - canceller.start();
        QVERIFY2(cancel.load(), "the tar ended before the cancel");
        // The writer stops at its next chunk; the reader at most fills the ring (2 MiB).
        QVERIFY2(read - canceller.readAtCancel() < 64ULL * 1024 * 1024,
            qPrintable(QStringLiteral("read %1 bytes after the cancel").arg(read - canceller.readAtCancel())));
        qInfo("cancel to return: %.3f ms",
            std::chrono::duration<double, std::milli>(returned - canceller.cancelledAt()).count());
    }

    // 12.12: a file below a directory whose relative path exceeds PATH_MAX is archived
    // (long names through pax headers), with its content.
    void directoriesDeeperThanPathMax()
    {
        QTemporaryDir src;
        QTemporaryDir out;
        const fs::path root(src.path().toStdString());
        const std::string deep = makeDeepFile(root, 30, 200, "deep content");
        QVERIFY(deep.size() > 6000);
        const fs::path archive = fs::path(out.path().toStdString()) / "deep.tar";
        const TarResult result = writeContextTar(root, IgnoreRules(), archive);
        QCOMPARE(result.entries, std::uint64_t {31}); // 30 directories and the file
        QCOMPARE(result.contentBytes, std::uint64_t {12});
        QCOMPARE(runTar({"-xOf", QString::fromStdString(archive.string()), QString::fromStdString(deep)}),
            QStringLiteral("deep content"));
    }

    // Into a descriptor there is no temporary file to remove: a failed tar must at least
    // not end like a complete one (two zero blocks), or a reader would take it as whole.
    void failedTarIntoADescriptorDoesNotLookComplete()
    {
        QTemporaryDir src;
        QTemporaryDir out;
        const fs::path root(src.path().toStdString());
        for (int i = 0; i < 40; ++i)
            writeFile(root, "f" + std::to_string(100 + i), std::string(50000, 'x'));
        std::atomic<bool> cancel {false};
        TarOptions options;
        options.cancel = &cancel;
        options.progress = [&](std::uint64_t entries, std::uint64_t) {
            if (entries == 20)
                cancel = true;
        };
        const fs::path partial = fs::path(out.path().toStdString()) / "partial.tar";
        const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        QVERIFY(fd >= 0);
        QVERIFY_THROWS_EXCEPTION(Cancelled, writeContextTar(root, IgnoreRules(), fd, options));
        ::close(fd);
        const std::string bytes = readFile(partial);
        QVERIFY(bytes.size() > 0); // 20 entries of 50000 bytes went out before the cancel
        QVERIFY(bytes.size() < 1024 || bytes.substr(bytes.size() - 1024) != std::string(1024, '\0'));
        bool ok = true;
        runTar({"-tf", QString::fromStdString(partial.string())}, &ok);
        QVERIFY(!ok);
    }

    void unwritableOutputIsAnError()
    {
        QTemporaryDir src;
        QTemporaryDir out;
        const fs::path root(src.path().toStdString());
        writeFile(root, "a.txt", "a");
        const fs::path dest = fs::path(out.path().toStdString()) / "missing-dir" / "t.tar";
        QVERIFY_THROWS_EXCEPTION(ContextError, writeContextTar(root, IgnoreRules(), dest));
        QVERIFY(fs::is_empty(fs::path(out.path().toStdString())));
        QVERIFY_THROWS_EXCEPTION(
            ContextError, writeContextTar(root, IgnoreRules(), fs::path(out.path().toStdString())));
    }

    void unreadableFileIsAnErrorAndLeavesNoFile()
    {
        QTemporaryDir src;
        QTemporaryDir out;
        const fs::path root(src.path().toStdString());
        const fs::path dest(out.path().toStdString());
        makeReachableByOthers(root);
        fs::permissions(dest, fs::perms(0777));
        writeFile(root, "a.txt", "a");
        writeFile(root, "z/secret.key", "s");
        fs::permissions(root / "z", fs::perms(0755));
        fs::permissions(root / "z/secret.key", fs::perms(0));
        const std::string result = runUnprivileged([&]() -> std::string {
            try {
                writeContextTar(root, IgnoreRules(), dest / "t.tar");
                return "no exception";
            } catch (const ContextError& e) {
                return e.path().string() + "|" + e.what();
            }
        });
        QCOMPARE(qs(result), QStringLiteral("z/secret.key|z/secret.key: Permission denied"));
        QVERIFY(fs::is_empty(dest));
    }

    void writesToADescriptor()
    {
        QTemporaryDir src;
        QTemporaryDir out;
        const fs::path root(src.path().toStdString());
        const fs::path dest(out.path().toStdString());
        sampleTree(root);
        writeContextTar(root, IgnoreRules(), dest / "path.tar");
        const std::string expected = readFile(dest / "path.tar");

        const int fd = ::open((dest / "fd.tar").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        QVERIFY(fd >= 0);
        const TarResult r = writeContextTar(root, IgnoreRules(), fd);
        ::close(fd);
        QVERIFY(readFile(dest / "fd.tar") == expected);
        QCOMPARE(r.archiveBytes, std::uint64_t(expected.size()));

        // A pipe gets the same bytes as a regular file (libarchive pads the last record
        // for pipes only unless told otherwise).
        int fds[2];
        QCOMPARE(::pipe(fds), 0);
        std::string piped;
        std::thread reader([&] {
            char buffer[65536];
            for (;;) {
                const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
                if (n <= 0)
                    break;
                piped.append(buffer, static_cast<std::size_t>(n));
            }
        });
        writeContextTar(root, IgnoreRules(), fds[1]);
        ::close(fds[1]);
        reader.join();
        ::close(fds[0]);
        QVERIFY(piped == expected);
    }

    // Enough files for the read-ahead thread, with sizes around the 64 KiB buffer.
    void manyFilesRoundTrip()
    {
        QTemporaryDir src;
        QTemporaryDir out;
        QTemporaryDir extracted;
        const fs::path root(src.path().toStdString());
        const fs::path dest(out.path().toStdString());
        constexpr std::size_t sizes[] = {0, 1, 100, 65535, 65536, 65537, 131072, 200000};
        for (int i = 0; i < 120; ++i) {
            const std::size_t size = sizes[static_cast<std::size_t>(i) % std::size(sizes)];
            std::string content(size, '\0');
            for (std::size_t k = 0; k < size; ++k)
                content[k] = static_cast<char>('a' + (k * 7 + static_cast<std::size_t>(i)) % 26);
            writeFile(root, "d" + std::to_string(i % 9) + "/f" + std::to_string(i), content, i % 5 == 0);
        }
        const TarResult first = writeContextTar(root, IgnoreRules(), dest / "1.tar");
        const TarResult second = writeContextTar(root, IgnoreRules(), dest / "2.tar");
        QVERIFY(readFile(dest / "1.tar") == readFile(dest / "2.tar"));
        QCOMPARE(first.entries, std::uint64_t {129});
        QCOMPARE(second.contentBytes, first.contentBytes);
        bool ok = false;
        runTar({"-xf", QString::fromStdString((dest / "1.tar").string()), "-C", extracted.path()}, &ok);
        QVERIFY(ok);
        const fs::path copy(extracted.path().toStdString());
        for (const ContextEntry& e : walkContext(root, IgnoreRules())) {
            if (e.type != ContextEntry::Type::File)
                continue;
            QVERIFY2(readFile(copy / e.path) == readFile(root / e.path), e.path.c_str());
            QCOMPARE(fs::status(copy / e.path).permissions() == fs::perms(0755), e.executable);
        }
    }

    void fileRemovedDuringTarIsAnError()
    {
        QTemporaryDir src;
        QTemporaryDir out;
        const fs::path root(src.path().toStdString());
        const fs::path dest(out.path().toStdString());
        for (int i = 100; i < 300; ++i)
            writeFile(root, "f" + std::to_string(i), std::string(static_cast<std::size_t>(i), 'x'));
        TarOptions options;
        // The read-ahead is bounded (a ring of 32 buffers), so after the first entry the
        // last files have not been opened yet.
        options.progress = [&](std::uint64_t entries, std::uint64_t) {
            if (entries == 1)
                fs::remove(root / "f250");
        };
        try {
            writeContextTar(root, IgnoreRules(), dest / "t.tar", options);
            QFAIL("no exception");
        } catch (const ContextError& e) {
            QCOMPARE(qs(e.path().string()), QStringLiteral("f250"));
            QCOMPARE(qs(e.what()), QStringLiteral("f250: No such file or directory"));
        }
        QVERIFY(fs::is_empty(dest));
    }

    void devNullIsWrittenInPlace()
    {
        QTemporaryDir src;
        const fs::path root(src.path().toStdString());
        sampleTree(root);
        const TarResult r = writeContextTar(root, IgnoreRules(), "/dev/null");
        QVERIFY(r.archiveBytes > 0);
        QVERIFY(fs::is_character_file("/dev/null"));
    }

    void readsGoThroughTheTarPoolAndRecordAnOperation()
    {
        QTemporaryDir src;
        const fs::path root(src.path().toStdString());
        writeFile(root, "a.txt", "a");
        const std::uint64_t acquires = EnginePools::instance().tar().statistics().acquires;
        const std::uint64_t count = operationCount("tar");
        writeContextTar(root, IgnoreRules(), "/dev/null");
        QCOMPARE(EnginePools::instance().tar().statistics().acquires, acquires + 1);
        QCOMPARE(operationCount("tar"), count + 1);
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestContextTar)
#include "tst_contexttar.moc"
