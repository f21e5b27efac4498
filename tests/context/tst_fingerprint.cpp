// XXH3_state_t on the stack needs the static-linking-only API.
#define XXH_STATIC_LINKING_ONLY

#include "context/contexterror.h"
#include "context/contextwalker.h"
#include "context/fileread.h" // internal: the size-change check is tested directly
#include "context/fingerprint.h"
#include "contextfixture.h"
#include "memory/bufferpool.h"
#include "memory/enginepools.h"
#include "memory/operationregistry.h"

#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <fcntl.h>
#include <mutex>
#include <random>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <xxhash.h>

namespace buildscope {

using namespace test;

namespace {

FingerprintOptions withThreads(unsigned threads)
{
    FingerprintOptions options;
    options.threads = threads;
    return options;
}

std::string digestOf(const fs::path& root, unsigned threads = 0, const IgnoreRules& rules = {})
{
    FingerprintOptions options;
    options.threads = threads;
    return fingerprintContext(root, rules, options).digest;
}

std::string pseudoRandom(std::size_t bytes, unsigned seed)
{
    std::mt19937 generator(seed);
    std::string out(bytes, '\0');
    for (char& c : out)
        c = static_cast<char>(generator() & 0xFFu);
    return out;
}

// The tiny tree of the known-answer test.
void knownTree(const fs::path& root)
{
    writeFile(root, "hello.txt", "hello\n");
    writeFile(root, "bin/run.sh", "#!/bin/sh\necho hi\n", true);
    makeDir(root, "empty");
    makeSymlink(root, "link", "hello.txt");
}

// docs/CONTEXT.md's framing, recomputed from walkContext() with xxHash directly.
std::string digestFromSpec(const fs::path& root)
{
    XXH3_state_t state;
    XXH3_128bits_reset(&state);
    const auto u64 = [&](std::uint64_t v) {
        unsigned char le[8];
        for (int i = 0; i < 8; ++i)
            le[i] = static_cast<unsigned char>(v >> (8 * i));
        XXH3_128bits_update(&state, le, 8);
    };
    const auto bytes = [&](const std::string& s) {
        u64(s.size());
        XXH3_128bits_update(&state, s.data(), s.size());
    };
    for (const ContextEntry& e : walkContext(root, IgnoreRules())) {
        const char type = e.type == ContextEntry::Type::File ? 'f'
            : e.type == ContextEntry::Type::Directory        ? 'd'
                                                             : 'l';
        XXH3_128bits_update(&state, &type, 1);
        bytes(e.path);
        const char exec = e.type == ContextEntry::Type::File && e.executable ? 1 : 0;
        XXH3_128bits_update(&state, &exec, 1);
        u64(e.type == ContextEntry::Type::File ? e.size : 0);
        if (e.type == ContextEntry::Type::File) {
            const std::string content = readFile(root / e.path);
            XXH128_canonical_t canonical;
            XXH128_canonicalFromHash(&canonical, XXH3_128bits(content.data(), content.size()));
            XXH3_128bits_update(&state, canonical.digest, sizeof canonical.digest);
        } else if (e.type == ContextEntry::Type::Symlink) {
            bytes(e.linkTarget);
        }
    }
    const XXH128_hash_t h = XXH3_128bits_digest(&state);
    char hex[33];
    std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
        static_cast<unsigned long long>(h.low64));
    return std::string("xxh3-128:v1:") + hex;
}

std::uint64_t operationCount(const std::string& name)
{
    for (const OperationStatistics& s : OperationRegistry::global().statistics()) {
        if (s.name == name)
            return s.count;
    }
    return 0;
}

} // namespace

class TestFingerprint : public QObject
{
    Q_OBJECT

private slots:
    void knownAnswer()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        knownTree(root);
        const Fingerprint f = fingerprintContext(root, IgnoreRules());
        // Guards the framing: if this changes, so does every stored fingerprint, and the
        // "v1" in the digest string must change with it.
        QCOMPARE(qs(f.digest), QStringLiteral("xxh3-128:v1:e7795ee16f43dba01f3d0e51a0bc0f63"));
        QCOMPARE(f.entries, std::uint64_t {5});
        QCOMPARE(f.files, std::uint64_t {2});
        QCOMPARE(f.bytes, std::uint64_t {6 + 18});
    }

    void framingMatchesTheDocumentation()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        knownTree(root);
        // Larger than one 64 KiB read buffer, so the streamed path is covered too.
        writeFile(root, "big/blob.bin", pseudoRandom(300 * 1024 + 17, 1));
        writeFile(root, "big/exact.bin", pseudoRandom(64 * 1024, 2));
        writeFile(root, "zero", "");
        QCOMPARE(qs(digestOf(root)), qs(digestFromSpec(root)));
    }

    void digestFormat()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        const std::string digest = digestOf(root);
        QVERIFY(digest.starts_with("xxh3-128:v1:"));
        const std::string hex = digestHex(digest);
        QCOMPARE(hex.size(), std::size_t {32});
        QVERIFY(hex.find_first_not_of("0123456789abcdef") == std::string::npos);
        QCOMPARE(qs(digestHex("abc")), QStringLiteral("abc"));
    }

    void changesChangeTheDigest_data()
    {
        QTest::addColumn<int>("change");
        QTest::newRow("rename") << 0;
        QTest::newRow("content, same size") << 1;
        QTest::newRow("exec bit") << 2;
        QTest::newRow("file added") << 3;
        QTest::newRow("file removed") << 4;
        QTest::newRow("symlink target") << 5;
        QTest::newRow("empty directory added") << 6;
        QTest::newRow("file becomes symlink") << 7;
        QTest::newRow("content moved between files") << 8;
    }

    void changesChangeTheDigest()
    {
        QFETCH(int, change);
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        writeFile(root, "a.txt", "aaaa");
        writeFile(root, "b.txt", "bb");
        writeFile(root, "src/c.txt", "cccc");
        makeSymlink(root, "link", "a.txt");
        const std::string before = digestOf(root);

        switch (change) {
        case 0:
            fs::rename(root / "a.txt", root / "z.txt");
            break;
        case 1:
            writeFile(root, "a.txt", "aaab");
            break;
        case 2:
            fs::permissions(root / "a.txt", fs::perms(0755));
            break;
        case 3:
            writeFile(root, "src/new.txt", "");
            break;
        case 4:
            fs::remove(root / "b.txt");
            break;
        case 5:
            fs::remove(root / "link");
            makeSymlink(root, "link", "b.txt");
            break;
        case 6:
            makeDir(root, "src/empty");
            break;
        case 7:
            fs::remove(root / "b.txt");
            makeSymlink(root, "b.txt", "bb");
            break;
        case 8:
            writeFile(root, "a.txt", "aaaab");
            writeFile(root, "b.txt", "b");
            break;
        }
        QVERIFY(digestOf(root) != before);
    }

    void mtimeDoesNotChangeTheDigest()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        knownTree(root);
        const std::string before = digestOf(root);
        const timespec times[2] = {{1000, 0}, {1000, 0}};
        QCOMPARE(::utimensat(AT_FDCWD, (root / "hello.txt").c_str(), times, 0), 0);
        QCOMPARE(::utimensat(AT_FDCWD, (root / "bin").c_str(), times, 0), 0);
        QCOMPARE(qs(digestOf(root)), qs(before));
    }

    void creationOrderDoesNotChangeTheDigest()
    {
        QTemporaryDir first;
        QTemporaryDir second;
        const fs::path a(first.path().toStdString());
        const fs::path b(second.path().toStdString());
        std::vector<std::string> names;
        for (int i = 0; i < 40; ++i)
            names.push_back("d" + std::to_string(i % 5) + "/f" + std::to_string(i) + ".txt");
        for (const std::string& name : names)
            writeFile(a, name, name);
        for (auto it = names.rbegin(); it != names.rend(); ++it)
            writeFile(b, *it, *it);
        QCOMPARE(qs(digestOf(a)), qs(digestOf(b)));
    }

    void threadCountDoesNotChangeTheDigest()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        for (int i = 0; i < 60; ++i)
            writeFile(root, "d" + std::to_string(i % 6) + "/f" + std::to_string(i),
                pseudoRandom(static_cast<std::size_t>(i) * 7919, static_cast<unsigned>(i)));
        writeFile(root, "large.bin", pseudoRandom(2 * 1024 * 1024 + 3, 99));
        const std::string one = digestOf(root, 1);
        QCOMPARE(qs(digestOf(root, 2)), qs(one));
        QCOMPARE(qs(digestOf(root, 8)), qs(one));
        QCOMPARE(qs(digestOf(root, 0)), qs(one));
    }

    // Many small files, 8 threads racing for them, repeatedly: the digest must not move.
    void hammerManySmallFiles()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        for (int i = 0; i < 2000; ++i) {
            writeFile(root, "p" + std::to_string(i % 40) + "/q" + std::to_string(i % 7) + "/file" + std::to_string(i),
                pseudoRandom(static_cast<std::size_t>(i % 300), static_cast<unsigned>(i)));
        }
        const Fingerprint single = fingerprintContext(root, IgnoreRules(), withThreads(1));
        QCOMPARE(single.files, std::uint64_t {2000});
        for (int round = 0; round < 5; ++round) {
            const Fingerprint parallel = fingerprintContext(root, IgnoreRules(), withThreads(8));
            QCOMPARE(qs(parallel.digest), qs(single.digest));
            QCOMPARE(parallel.entries, single.entries);
            QCOMPARE(parallel.bytes, single.bytes);
        }
    }

    void emptyDirectoryDiffersFromNoDirectory()
    {
        QTemporaryDir withDir;
        QTemporaryDir without;
        writeFile(fs::path(withDir.path().toStdString()), "a.txt", "a");
        makeDir(fs::path(withDir.path().toStdString()), "e");
        writeFile(fs::path(without.path().toStdString()), "a.txt", "a");
        QVERIFY(digestOf(fs::path(withDir.path().toStdString())) != digestOf(fs::path(without.path().toStdString())));
    }

    void ignoredFilesDoNotCount()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        writeFile(root, "a.txt", "a");
        const IgnoreRules rules = IgnoreRules::parse("*.log\nbuild\n");
        const std::string before = digestOf(root, 0, rules);
        writeFile(root, "debug.log", "noise");
        writeFile(root, "build/out.o", "noise");
        QCOMPARE(qs(digestOf(root, 0, rules)), qs(before));
        QVERIFY(digestOf(root) != before);
    }

    void bufferSizeDoesNotChangeTheDigest()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        writeFile(root, "a.bin", pseudoRandom(100000, 5));
        writeFile(root, "b.bin", pseudoRandom(4096, 6));
        BufferPool small("test.4KiB", 4096);
        FingerprintOptions options;
        options.readBuffers = &small;
        options.threads = 2;
        const Fingerprint f = fingerprintContext(root, IgnoreRules(), options);
        QCOMPARE(qs(f.digest), qs(digestOf(root)));
        QVERIFY(small.statistics().acquires >= 1);
        QCOMPARE(small.statistics().acquires, small.statistics().releases);
    }

    void readsGoThroughTheEngineHashPool()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        writeFile(root, "a.txt", "a");
        const std::uint64_t before = EnginePools::instance().hash().statistics().acquires;
        fingerprintContext(root, IgnoreRules(), withThreads(1));
        QCOMPARE(EnginePools::instance().hash().statistics().acquires, before + 1);
    }

    void recordsAnOperation()
    {
        QTemporaryDir dir;
        const std::uint64_t before = operationCount("fingerprint");
        fingerprintContext(fs::path(dir.path().toStdString()), IgnoreRules());
        QCOMPARE(operationCount("fingerprint"), before + 1);
    }

    void progressReportsMonotonicTotals()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        std::uint64_t total = 0;
        for (int i = 0; i < 100; ++i) {
            writeFile(root, "f" + std::to_string(i), std::string(static_cast<std::size_t>(i), 'x'));
            total += static_cast<std::uint64_t>(i);
        }
        std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
        FingerprintOptions options;
        options.threads = 4;
        options.progress = [&](std::uint64_t files, std::uint64_t bytes) { calls.emplace_back(files, bytes); };
        const Fingerprint f = fingerprintContext(root, IgnoreRules(), options);
        QCOMPARE(calls.size(), std::size_t {100});
        for (std::size_t i = 1; i < calls.size(); ++i) {
            QCOMPARE(calls[i].first, calls[i - 1].first + 1);
            QVERIFY(calls[i].second >= calls[i - 1].second);
        }
        QCOMPARE(calls.back().first, std::uint64_t {100});
        QCOMPARE(calls.back().second, total);
        QCOMPARE(f.bytes, total);
    }

    void cancelledBeforeStart()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        writeFile(root, "a.txt", "a");
        const std::atomic<bool> cancel {true};
        FingerprintOptions options;
        options.cancel = &cancel;
        QVERIFY_THROWS_EXCEPTION(Cancelled, fingerprintContext(root, IgnoreRules(), options));
    }

    void cancelledBetweenFiles()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        for (int i = 0; i < 200; ++i)
            writeFile(root, "f" + std::to_string(i), "x");
        std::atomic<bool> cancel {false};
        std::atomic<std::uint64_t> seen {0};
        FingerprintOptions options;
        options.threads = 2;
        options.cancel = &cancel;
        options.progress = [&](std::uint64_t files, std::uint64_t) {
            seen = files;
            if (files == 10)
                cancel = true;
        };
        QVERIFY_THROWS_EXCEPTION(Cancelled, fingerprintContext(root, IgnoreRules(), options));
        QVERIFY(seen.load() < 200);
    }

    // 12.7: a cancel while one huge file is hashed stops within a buffer or so, not at the
    // end of the file. A sparse 10 GiB file; the flag is set from another thread once 64 MiB
    // have been read. Asserted by how much was read, not by time (the latency is measured
    // and printed: docs/RELIABILITY.md). Before, all 10 GiB were read first.
    void cancelInsideOneHugeFile_data()
    {
        QTest::addColumn<unsigned>("threads");
        QTest::newRow("calling thread only") << 1u;
        QTest::newRow("two threads") << 2u;
    }
    void cancelInsideOneHugeFile()
    {
        QFETCH(unsigned, threads);
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        writeFile(root, "a.txt", "a");
        writeFile(root, "huge.bin", "");
        constexpr std::uint64_t kHuge = 10ULL * 1024 * 1024 * 1024;
        fs::resize_file(root / "huge.bin", kHuge); // sparse: no disk used
        std::atomic<bool> cancel {false};
        FingerprintOptions options;
        options.threads = threads;
        options.cancel = &cancel;
        CancelFromAnotherThread canceller(cancel, 64ULL * 1024 * 1024);
        QVERIFY_THROWS_EXCEPTION(Cancelled, fingerprintContext(root, IgnoreRules(), options));
        const auto returned = std::chrono::steady_clock::now();
        canceller.stop();
        const std::uint64_t read = bytesReadByThisProcess() - canceller.start();
        QVERIFY2(cancel.load(), "the fingerprint ended before the cancel");
        // Each hashing thread finishes at most the buffer it holds.
        QVERIFY2(read - canceller.readAtCancel() < 64ULL * 1024 * 1024,
            qPrintable(QStringLiteral("read %1 bytes after the cancel").arg(read - canceller.readAtCancel())));
        QVERIFY(read < kHuge / 2);
        qInfo("cancel to return: %.3f ms",
            std::chrono::duration<double, std::milli>(returned - canceller.cancelledAt()).count());
    }

    // 12.12: files are opened relative to their parent directory, also when the relative
    // path of that directory is longer than PATH_MAX (it failed with "File name too long").
    void directoriesDeeperThanPathMax()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        const std::string deep = makeDeepFile(root, 30, 200, "deep content");
        QVERIFY(deep.size() > 6000);
        writeFile(root, "top.txt", "top");
        const Fingerprint fingerprint = fingerprintContext(root, IgnoreRules());
        QCOMPARE(fingerprint.files, std::uint64_t {2});
        QCOMPARE(fingerprint.bytes, std::uint64_t {15});
    }

    void missingContextIsAnError()
    {
        QTemporaryDir dir;
        const fs::path missing = fs::path(dir.path().toStdString()) / "missing";
        QVERIFY_THROWS_EXCEPTION(ContextError, fingerprintContext(missing, IgnoreRules()));
    }

    void unreadableFileIsAnError()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        makeReachableByOthers(root);
        writeFile(root, "a.txt", "a");
        writeFile(root, "src/secret.txt", "s");
        fs::permissions(root / "src", fs::perms(0755));
        fs::permissions(root / "src/secret.txt", fs::perms(0));
        const std::string result = runUnprivileged([&]() -> std::string {
            try {
                // One thread: a forked child of a threaded process should start none.
                fingerprintContext(root, IgnoreRules(), withThreads(1));
                return "no exception";
            } catch (const ContextError& e) {
                return e.path().string() + "|" + e.what();
            }
        });
        QCOMPARE(qs(result), QStringLiteral("src/secret.txt|src/secret.txt: Permission denied"));
    }

    // The check behind "changed size while being read", driven step by step.
    void readerDetectsSizeChanges()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        writeFile(root, "d/grow.bin", std::string(10000, 'g'));
        writeFile(root, "d/shrink.bin", std::string(10000, 's'));
        const FileDescriptor rootFd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        ParentDirectory parents(rootFd.get());
        std::byte buffer[4096];
        {
            std::size_t leaf = 0;
            const std::string path = "d/grow.bin";
            const int dirFd = parents.fdFor(path, &leaf);
            FileReader reader(dirFd, path.c_str() + leaf, path);
            QCOMPARE(reader.size(), std::uint64_t {10000});
            QCOMPARE(reader.read(buffer, sizeof buffer), sizeof buffer);
            writeFile(root, "d/grow.bin", std::string(20000, 'g')); // same inode, now longer
            try {
                while (reader.read(buffer, sizeof buffer) > 0) { }
                QFAIL("no exception");
            } catch (const ContextError& e) {
                QCOMPARE(qs(e.what()),
                    QStringLiteral("d/grow.bin: file changed size while being read (10000 bytes expected)"));
            }
        }
        {
            std::size_t leaf = 0;
            const std::string path = "d/shrink.bin";
            const int dirFd = parents.fdFor(path, &leaf);
            FileReader reader(dirFd, path.c_str() + leaf, path);
            QCOMPARE(reader.read(buffer, sizeof buffer), sizeof buffer);
            QCOMPARE(::truncate((root / path).c_str(), 5000), 0);
            QVERIFY_THROWS_EXCEPTION(ContextError, [&] {
                while (reader.read(buffer, sizeof buffer) > 0) { }
            }());
        }
        {
            // Replaced by a symlink since the walk: refused, not followed.
            fs::remove(root / "d/shrink.bin");
            makeSymlink(root, "d/shrink.bin", "grow.bin");
            std::size_t leaf = 0;
            const std::string path = "d/shrink.bin";
            const int dirFd = parents.fdFor(path, &leaf);
            QVERIFY_THROWS_EXCEPTION(ContextError, FileReader(dirFd, path.c_str() + leaf, path));
        }
    }

    // The same end to end: something appends to a file while the fingerprint reads it.
    // Timing-dependent, so it retries and skips (rather than fails) on a machine where the
    // appender never gets to run inside the read.
    void fileGrowingWhileReadIsAnError()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        writeFile(root, "grow.bin", std::string(16 * 1024 * 1024, 'g'));
        std::string message;
        for (int attempt = 0; attempt < 20 && message.empty(); ++attempt) {
            std::atomic<bool> done {false};
            std::atomic<bool> started {false};
            std::thread appender([&] {
                const int fd = ::open((root / "grow.bin").c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
                const std::string chunk(4096, '+');
                started = true;
                while (!done.load()) {
                    if (::write(fd, chunk.data(), chunk.size()) < 0)
                        break;
                }
                ::close(fd);
            });
            while (!started.load())
                std::this_thread::yield();
            try {
                fingerprintContext(root, IgnoreRules(), withThreads(1));
            } catch (const ContextError& e) {
                message = e.what();
                QCOMPARE(qs(e.path().string()), QStringLiteral("grow.bin"));
            }
            done = true;
            appender.join();
            fs::resize_file(root / "grow.bin", 16 * 1024 * 1024);
        }
        if (message.empty())
            QSKIP("the appender never ran during the read on this machine");
        QVERIFY2(message.find("grow.bin: file changed size while being read") == 0, message.c_str());
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestFingerprint)
#include "tst_fingerprint.moc"
