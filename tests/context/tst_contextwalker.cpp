#include "context/contexterror.h"
#include "context/contextwalker.h"
#include "contextfixture.h"

#include <QTemporaryDir>
#include <QtTest>
#include <sys/stat.h>

namespace buildscope {

using namespace test;

namespace {

std::vector<std::string> paths(const std::vector<ContextEntry>& entries)
{
    std::vector<std::string> out;
    for (const ContextEntry& e : entries)
        out.push_back(e.path);
    return out;
}

QStringList qpaths(const std::vector<ContextEntry>& entries)
{
    QStringList out;
    for (const ContextEntry& e : entries)
        out << qs(e.path);
    return out;
}

const ContextEntry* find(const std::vector<ContextEntry>& entries, const std::string& path)
{
    for (const ContextEntry& e : entries) {
        if (e.path == path)
            return &e;
    }
    return nullptr;
}

} // namespace

class TestContextWalker : public QObject
{
    Q_OBJECT

private slots:
    void sortedByPathBytes()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        // Created in an order unrelated to the expected one.
        writeFile(root, "a/c/d", "d");
        writeFile(root, "a.txt", "x");
        writeFile(root, "B", "b");
        writeFile(root, "a-b/x", "x");
        writeFile(root, "a/b", "b");
        makeDir(root, "empty");

        const auto entries = walkContext(root, IgnoreRules());
        // Full-path byte order: '-' (0x2d) < '.' (0x2e) < '/' (0x2f), upper case first.
        const QStringList expected {"B", "a", "a-b", "a-b/x", "a.txt", "a/b", "a/c", "a/c/d", "empty"};
        QCOMPARE(qpaths(entries), expected);
    }

    void entriesDescribeTheirFiles()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        writeFile(root, "tool.sh", "#!/bin/sh\n", true);
        writeFile(root, "data.bin", std::string(1000, 'x'));
        makeDir(root, "sub");
        makeSymlink(root, "link", "data.bin");

        const auto entries = walkContext(root, IgnoreRules());
        QCOMPARE(entries.size(), std::size_t {4});
        const ContextEntry* tool = find(entries, "tool.sh");
        QVERIFY(tool);
        QCOMPARE(tool->type, ContextEntry::Type::File);
        QVERIFY(tool->executable);
        QCOMPARE(tool->size, std::uint64_t {10});
        const ContextEntry* data = find(entries, "data.bin");
        QVERIFY(data && !data->executable);
        QCOMPARE(data->size, std::uint64_t {1000});
        const ContextEntry* sub = find(entries, "sub");
        QVERIFY(sub);
        QCOMPARE(sub->type, ContextEntry::Type::Directory);
        QCOMPARE(sub->size, std::uint64_t {0});
        const ContextEntry* link = find(entries, "link");
        QVERIFY(link);
        QCOMPARE(link->type, ContextEntry::Type::Symlink);
        QCOMPARE(qs(link->linkTarget), QStringLiteral("data.bin"));
        QCOMPARE(link->size, std::uint64_t {0});
    }

    void symlinksAreNotFollowed()
    {
        QTemporaryDir dir;
        QTemporaryDir outside;
        const fs::path root(dir.path().toStdString());
        writeFile(root, "real/file.txt", "x");
        writeFile(fs::path(outside.path().toStdString()), "secret.txt", "outside");
        makeSymlink(root, "dirlink", "real");
        makeSymlink(root, "escape", outside.path().toStdString());
        makeSymlink(root, "dangling", "does/not/exist");
        makeSymlink(root, "loop", "loop");

        const auto entries = walkContext(root, IgnoreRules());
        const QStringList expected {"dangling", "dirlink", "escape", "loop", "real", "real/file.txt"};
        QCOMPARE(qpaths(entries), expected);
        QCOMPARE(qs(find(entries, "escape")->linkTarget), outside.path());
        QCOMPARE(qs(find(entries, "loop")->linkTarget), QStringLiteral("loop"));
    }

    void ignoredEntriesAreSkipped()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        writeFile(root, "src/main.cpp", "int main() {}");
        writeFile(root, "src/main.o", "obj");
        writeFile(root, "build/deep/out.o", "obj");
        writeFile(root, "notes.md", "n");

        const auto entries = walkContext(root, IgnoreRules::parse("build\n*.md\n**/*.o\n"));
        const QStringList expected {"src", "src/main.cpp"};
        QCOMPARE(qpaths(entries), expected);
    }

    void reincludeBelowIgnoredDirectory()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        writeFile(root, "vendor/a/keep.txt", "k");
        writeFile(root, "vendor/a/drop.txt", "d");
        writeFile(root, "vendor/b/drop.txt", "d");
        writeFile(root, "top.txt", "t");

        const auto entries = walkContext(root, IgnoreRules::parse("vendor\n!vendor/a/keep.txt\n"));
        // The ignored directories themselves are not listed (as in Docker's tar), the
        // re-included file is.
        const QStringList expected {"top.txt", "vendor/a/keep.txt"};
        QCOMPARE(qpaths(entries), expected);

        const auto wildcard = walkContext(root, IgnoreRules::parse("vendor\n!**/keep.txt\n"));
        QCOMPARE(qpaths(wildcard), expected);

        const auto whole = walkContext(root, IgnoreRules::parse("vendor\n!vendor/b\n"));
        const QStringList withB {"top.txt", "vendor/b", "vendor/b/drop.txt"};
        QCOMPARE(qpaths(whole), withB);
    }

    void otherFileTypesAreSkipped()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        writeFile(root, "a.txt", "a");
        QCOMPARE(::mkfifo((root / "pipe").c_str(), 0644), 0);
        QCOMPARE(qpaths(walkContext(root, IgnoreRules())), QStringList {"a.txt"});
    }

    void missingContextIsAnError()
    {
        QTemporaryDir dir;
        const fs::path missing = fs::path(dir.path().toStdString()) / "nope";
        try {
            walkContext(missing, IgnoreRules());
            QFAIL("no exception");
        } catch (const ContextError& e) {
            QCOMPARE(e.path(), missing);
            QCOMPARE(qs(e.what()), qs(missing.string() + ": No such file or directory"));
        }
    }

    void contextThatIsAFileIsAnError()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        writeFile(root, "file", "x");
        QVERIFY_THROWS_EXCEPTION(ContextError, walkContext(root / "file", IgnoreRules()));
    }

    void unreadableDirectoryIsAnError()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        makeReachableByOthers(root);
        writeFile(root, "open/a.txt", "a");
        writeFile(root, "open/locked/secret.txt", "s");
        fs::permissions(root / "open", fs::perms(0755));
        fs::permissions(root / "open/locked", fs::perms(0));

        const std::string result = runUnprivileged([&]() -> std::string {
            try {
                walkContext(root, IgnoreRules());
                return "no exception";
            } catch (const ContextError& e) {
                return e.path().string() + "|" + e.what();
            }
        });
        fs::permissions(root / "open/locked", fs::perms(0755)); // lets QTemporaryDir clean up
        QCOMPARE(qs(result), QStringLiteral("open/locked|open/locked: Permission denied"));
    }

    void ignoredUnreadableDirectoryIsNotOpened()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        makeReachableByOthers(root);
        writeFile(root, "a.txt", "a");
        writeFile(root, "locked/secret.txt", "s");
        fs::permissions(root / "locked", fs::perms(0));

        const std::string result = runUnprivileged([&]() -> std::string {
            const auto entries = walkContext(root, IgnoreRules::parse("locked"));
            return entries.size() == 1 ? std::string("ok") : "entries: " + std::to_string(entries.size());
        });
        fs::permissions(root / "locked", fs::perms(0755));
        QCOMPARE(qs(result), QStringLiteral("ok"));
    }

    void walkIsDeterministic()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        for (int i = 0; i < 50; ++i)
            writeFile(root, "d" + std::to_string(i % 7) + "/f" + std::to_string(i), "x");
        const auto first = paths(walkContext(root, IgnoreRules()));
        const auto second = paths(walkContext(root, IgnoreRules()));
        QVERIFY(first == second);
        QVERIFY(std::is_sorted(first.begin(), first.end()));
        QCOMPARE(first.size(), std::size_t {57});
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestContextWalker)
#include "tst_contextwalker.moc"
