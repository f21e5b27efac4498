#include "context/contexterror.h"
#include "context/ignorerules.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace buildscope {

// Cases follow Docker's .dockerignore documentation (the "*/temp*" table, "**/*.go",
// the README exceptions) and moby/patternmatcher's behaviour where the documentation
// is silent.
class TestIgnoreRules : public QObject
{
    Q_OBJECT

private slots:
    void matches_data()
    {
        QTest::addColumn<QString>("rules");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("ignored");

        // Docker's example file.
        const QString docker = QStringLiteral("# comment\n*/temp*\n*/*/temp*\ntemp?\n");
        QTest::newRow("docker: */temp* file one level down") << docker << "somedir/temporary.txt" << true;
        QTest::newRow("docker: */temp* directory one level down") << docker << "somedir/temp" << true;
        QTest::newRow("docker: below a matched directory") << docker << "somedir/temp/inner.txt" << true;
        QTest::newRow("docker: */*/temp* two levels down") << docker << "somedir/subdir/temporary.txt" << true;
        QTest::newRow("docker: three levels down is not matched") << docker << "a/b/c/temp.txt" << false;
        QTest::newRow("docker: */temp* needs a directory") << docker << "temporary.txt" << false;
        QTest::newRow("docker: temp? tempa") << docker << "tempa" << true;
        QTest::newRow("docker: temp? tempb") << docker << "tempb" << true;
        QTest::newRow("docker: temp? needs one character") << docker << "temp" << false;
        QTest::newRow("docker: temp? only one character") << docker << "tempab" << false;
        QTest::newRow("docker: comment is not a pattern") << docker << "# comment" << false;

        const QString go = QStringLiteral("**/*.go");
        QTest::newRow("**/*.go at the root") << go << "main.go" << true;
        QTest::newRow("**/*.go deep") << go << "cmd/tool/main.go" << true;
        QTest::newRow("**/*.go other extension") << go << "cmd/main.gox" << false;
        QTest::newRow("**/*.go matched directory") << go << "weird.go/file.txt" << true;

        const QString readme = QStringLiteral("*.md\n!README.md\n");
        QTest::newRow("*.md excludes root markdown") << readme << "notes.md" << true;
        QTest::newRow("!README.md re-includes") << readme << "README.md" << false;
        QTest::newRow("*.md is anchored at the root") << readme << "docs/notes.md" << false;

        const QString secret = QStringLiteral("*.md\n!README*.md\nREADME-secret.md\n");
        QTest::newRow("secret: excluded by the last rule") << secret << "README-secret.md" << true;
        QTest::newRow("secret: other README kept") << secret << "README-public.md" << false;
        QTest::newRow("secret: README.md kept") << secret << "README.md" << false;
        QTest::newRow("secret: other markdown excluded") << secret << "CHANGES.md" << true;

        const QString allReadmes = QStringLiteral("*.md\nREADME-secret.md\n!README*.md\n");
        QTest::newRow("last match wins: exception last") << allReadmes << "README-secret.md" << false;
        QTest::newRow("last match wins: exclusion last") << "!foo\nfoo"
                                                         << "foo" << true;

        const QString keep = QStringLiteral("dir\n!dir/keep.txt\n");
        QTest::newRow("directory excluded") << keep << "dir" << true;
        QTest::newRow("directory contents excluded") << keep << "dir/other.txt" << true;
        QTest::newRow("exception below excluded directory") << keep << "dir/keep.txt" << false;
        QTest::newRow("re-included directory keeps its contents") << "dir\n!dir/sub"
                                                                  << "dir/sub/x/y.txt" << false;
        QTest::newRow("everything but src") << "**\n!src"
                                            << "src/main.c" << false;
        QTest::newRow("everything but src: others") << "**\n!src"
                                                    << "docs/index.md" << true;
        QTest::newRow("* matches every top-level entry") << "*"
                                                         << "a/b/c" << true;

        QTest::newRow("leading slash stripped") << "/build"
                                                << "build" << true;
        QTest::newRow("leading slash: contents") << "/build"
                                                 << "build/out.o" << true;
        QTest::newRow("leading slash: anchored") << "/build"
                                                 << "src/build" << false;
        QTest::newRow("./ prefix and trailing slash cleaned") << "./out/"
                                                              << "out/x" << true;
        QTest::newRow(".. resolved by cleaning") << "a/../b"
                                                 << "b" << true;
        QTest::newRow("doubled slashes cleaned") << "a//b"
                                                 << "a/b" << true;
        QTest::newRow("'.' is ignored as a pattern") << "."
                                                     << "x" << false;
        QTest::newRow("whitespace trimmed") << "  foo.txt  \t"
                                            << "foo.txt" << true;
        QTest::newRow("CRLF line endings") << "foo\r\nbar\r\n"
                                           << "foo" << true;
        QTest::newRow("space after !") << "*.txt\n! keep.txt"
                                       << "keep.txt" << false;
        QTest::newRow("'#' after column 0 is a pattern") << " #x"
                                                         << "#x" << true;

        QTest::newRow("? does not cross /") << "a?b"
                                            << "a/b" << false;
        QTest::newRow("? one character") << "a?b"
                                         << "axb" << true;
        QTest::newRow("? one UTF-8 character") << QStringLiteral("caf?") << QStringLiteral("caf\u00e9") << true;
        QTest::newRow("* does not cross /") << "a*"
                                            << "ab/c" << true; // via the parent "ab"
        QTest::newRow("* within a segment") << "src/*.o"
                                            << "src/x/y.o" << false;
        QTest::newRow("class range") << "file[0-9].txt"
                                     << "file7.txt" << true;
        QTest::newRow("class range miss") << "file[0-9].txt"
                                          << "filex.txt" << false;
        QTest::newRow("negated class") << "[^a]bc"
                                       << "xbc" << true;
        QTest::newRow("negated class miss") << "[^a]bc"
                                            << "abc" << false;
        QTest::newRow("'!' in a class is literal (Go)") << "[!a]bc"
                                                        << "!bc" << true;
        QTest::newRow("class never matches /") << "a[^x]b"
                                               << "a/b" << false;
        QTest::newRow("escaped star is literal") << "\\*.txt"
                                                 << "*.txt" << true;
        QTest::newRow("escaped star is not a wildcard") << "\\*.txt"
                                                        << "a.txt" << false;
        QTest::newRow("regexp characters are literal") << "a.b+(c)"
                                                       << "a.b+(c)" << true;
        QTest::newRow("regexp '.' is not a wildcard") << "a.b"
                                                      << "axb" << false;

        QTest::newRow("a/**/b zero directories") << "a/**/b"
                                                 << "a/b" << true;
        QTest::newRow("a/**/b several directories") << "a/**/b"
                                                    << "a/x/y/b" << true;
        QTest::newRow("a/**/b not a suffix") << "a/**/b"
                                             << "a/xb" << false;
        QTest::newRow("**/node_modules at the root") << "**/node_modules"
                                                     << "node_modules" << true;
        QTest::newRow("**/node_modules deep") << "**/node_modules"
                                              << "web/app/node_modules/x.js" << true;
        QTest::newRow("trailing ** matches below") << "out/**"
                                                   << "out/a/b" << true;
        QTest::newRow("**.log suffix (patternmatcher)") << "**.log"
                                                        << "a/b/c.log" << true;
        QTest::newRow("many stars do not blow up") << "*a*a*a*a*a*a*a*b"
                                                   << "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac" << false;
        QTest::newRow("no rules") << ""
                                  << "anything" << false;
    }

    void matches()
    {
        QFETCH(QString, rules);
        QFETCH(QString, path);
        QFETCH(bool, ignored);
        const IgnoreRules parsed = IgnoreRules::parse(rules.toStdString());
        QCOMPARE(parsed.isIgnored(path.toStdString()), ignored);
    }

    void mayReincludeBelow_data()
    {
        QTest::addColumn<QString>("rules");
        QTest::addColumn<QString>("directory");
        QTest::addColumn<bool>("descend");

        QTest::newRow("exception below") << "dir\n!dir/keep.txt"
                                         << "dir" << true;
        QTest::newRow("exception elsewhere") << "dir\n!dir/keep.txt"
                                             << "dir/sub" << false;
        QTest::newRow("no exceptions") << "dir"
                                       << "dir" << false;
        QTest::newRow("wildcard exception") << "dir\n!**/*.go"
                                            << "dir" << true;
        QTest::newRow("deeper exception") << "build\n!build/out/*.txt"
                                          << "build" << true;
        QTest::newRow("deeper exception, its directory") << "build\n!build/out/*.txt"
                                                         << "build/out" << true;
        QTest::newRow("deeper exception, other directory") << "build\n!build/out/*.txt"
                                                           << "build/tmp" << false;
        QTest::newRow("exception before the exclusion") << "!dir/keep.txt\ndir"
                                                        << "dir" << false;
        QTest::newRow("exception of a sibling") << "dir\n!dirt/x"
                                                << "dir" << false;
        QTest::newRow("star exception") << "*\n!*/keep"
                                        << "a" << true;
    }

    void mayReincludeBelow()
    {
        QFETCH(QString, rules);
        QFETCH(QString, directory);
        QFETCH(bool, descend);
        QCOMPARE(IgnoreRules::parse(rules.toStdString()).mayReincludeBelow(directory.toStdString()), descend);
    }

    void rulesAreCleaned()
    {
        const IgnoreRules rules = IgnoreRules::parse("# c\n\n!/foo/./bar/\n  *.o \n\xEF\xBB\xBFnot-a-bom\n");
        QCOMPARE(rules.rules().size(), std::size_t {3});
        QCOMPARE(rules.rules()[0].pattern, std::string("foo/bar"));
        QVERIFY(!rules.rules()[0].exclude);
        QCOMPARE(rules.rules()[1].pattern, std::string("*.o"));
        QVERIFY(rules.rules()[1].exclude);
        // A byte-order mark is only stripped from the first line.
        QCOMPARE(rules.rules()[2].pattern, std::string("\xEF\xBB\xBFnot-a-bom"));

        const IgnoreRules bom = IgnoreRules::parse("\xEF\xBB\xBF*.tmp\n");
        QCOMPARE(bom.rules().size(), std::size_t {1});
        QCOMPARE(bom.rules()[0].pattern, std::string("*.tmp"));
        QVERIFY(bom.isIgnored("x.tmp"));
    }

    void emptyRulesIgnoreNothing()
    {
        const IgnoreRules none;
        QVERIFY(none.empty());
        QVERIFY(!none.isIgnored("a"));
        QVERIFY(!none.mayReincludeBelow("a"));
        QVERIFY(IgnoreRules::parse("# only a comment\n\n").empty());
    }

    void malformedPatternsAreRefused_data()
    {
        QTest::addColumn<QString>("rules");
        QTest::newRow("unclosed class") << "ok\n[abc";
        QTest::newRow("empty class") << "[]";
        QTest::newRow("lone !") << "!";
        QTest::newRow("trailing backslash") << "abc\\";
        QTest::newRow("bad range") << "[a-]";
    }

    void malformedPatternsAreRefused()
    {
        QFETCH(QString, rules);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, IgnoreRules::parse(rules.toStdString()));
    }

    void errorNamesTheLine()
    {
        try {
            IgnoreRules::parse("ok\n# comment\n[abc\n");
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(std::string(e.what()).starts_with("line 3:"), e.what());
        }
    }

    void copiesShareTheCompiledRules()
    {
        IgnoreRules copy;
        {
            const IgnoreRules original = IgnoreRules::parse("*.o\n!keep.o");
            copy = original;
        }
        QVERIFY(copy.isIgnored("a.o"));
        QVERIFY(!copy.isIgnored("keep.o"));
    }

    void loadReadsTheFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path file = std::filesystem::path(dir.path().toStdString()) / ".dockerignore";
        {
            std::ofstream out(file);
            out << "*.log\n!keep.log\n";
        }
        const IgnoreRules rules = IgnoreRules::load(file);
        QVERIFY(rules.isIgnored("a.log"));
        QVERIFY(!rules.isIgnored("keep.log"));
    }

    void loadOfAMissingFileIgnoresNothing()
    {
        QTemporaryDir dir;
        QVERIFY(IgnoreRules::load(std::filesystem::path(dir.path().toStdString()) / "absent").empty());
    }

    void loadErrorsNameTheFile()
    {
        QTemporaryDir dir;
        const std::filesystem::path root(dir.path().toStdString());
        // A directory exists but cannot be read as a file.
        try {
            IgnoreRules::load(root);
            QFAIL("no exception");
        } catch (const ContextError& e) {
            QCOMPARE(e.path(), root);
            QCOMPARE(std::string(e.what()),
                root.string() + ": not a regular file (a directory); an ignore file must be a file");
        }
        const std::filesystem::path bad = root / "bad.ignore";
        {
            std::ofstream out(bad);
            out << "[unclosed\n";
        }
        QVERIFY_THROWS_EXCEPTION(ContextError, IgnoreRules::load(bad));
    }

    // 12.11: an ignore file that is not a regular file, or is absurdly large, is refused
    // by name without being read (a FIFO would block, /dev/zero never ends).
    void loadRefusesWhatIsNotABoundedFile()
    {
        QTemporaryDir dir;
        const std::filesystem::path root(dir.path().toStdString());
        auto errorOf = [](const std::filesystem::path& file) -> std::string {
            try {
                IgnoreRules::load(file);
            } catch (const ContextError& e) {
                return e.what();
            }
            return "no ContextError";
        };
        const std::filesystem::path fifo = root / "fifo";
        QVERIFY(::mkfifo(fifo.c_str(), 0600) == 0);
        QCOMPARE(errorOf(fifo), fifo.string() + ": not a regular file (a FIFO); an ignore file must be a file");
        QCOMPARE(errorOf("/dev/zero"),
            std::string("/dev/zero: not a regular file (a character device); an ignore file must be a file"));
        const std::filesystem::path huge = root / "huge";
        std::ofstream(huge) << "*.o\n";
        std::filesystem::resize_file(huge, 4ULL * 1024 * 1024 * 1024); // sparse
        QCOMPARE(errorOf(huge), huge.string() + ": 4.0 GiB is too large for an ignore file (at most 1.0 MiB)");
        const std::filesystem::path loop = root / "loop";
        QVERIFY(::symlink("loop", loop.c_str()) == 0);
        QCOMPARE(errorOf(loop), loop.string() + ": Too many levels of symbolic links");
        QVERIFY(IgnoreRules::load(root / "absent").empty()); // a missing file still ignores nothing
    }

    // 12.11: a pattern of many stars (a line of the largest ignore file allowed) matches
    // without recursing once per star, which overflowed the stack, and without a table of
    // stars x path length per match. Bounded by the CTest timeout, not a timing assertion.
    void manyStarsNeitherRecurseNorBlowUp()
    {
        std::string pattern;
        while (pattern.size() + 2 < IgnoreRules::kMaxFileBytes)
            pattern += "*a";
        const IgnoreRules rules = IgnoreRules::parse(pattern + "b\n!" + pattern + "c\n");
        std::string path(200, 'a');
        QVERIFY(!rules.isIgnored(path));
        QVERIFY(!rules.isIgnored(path + "/" + path + "b"));
        QVERIFY(!rules.mayReincludeBelow(path));
        std::string matching;
        for (int i = 0; i < 100; ++i)
            matching += "xa";
        const IgnoreRules few = IgnoreRules::parse("*a*a*a*a*a*a*a*a*a*a*a*a*b\n");
        QVERIFY(few.isIgnored(matching + "b"));
        QVERIFY(!few.isIgnored(matching + "c"));
        QVERIFY(few.isIgnored(matching + "b/below"));
    }

    // 12.10: IgnorePatternError carries the line, so the spec loader can point at it.
    void patternErrorsCarryTheLine()
    {
        try {
            IgnoreRules::parse("ok\n\n# comment\n[abc\n");
            QFAIL("no IgnorePatternError");
        } catch (const IgnorePatternError& e) {
            QCOMPARE(e.line(), std::size_t {4});
            QCOMPARE(e.problem(), std::string("bad pattern \"[abc\": unterminated character class"));
            QCOMPARE(std::string(e.what()), "line 4: " + e.problem());
        }
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestIgnoreRules)
#include "tst_ignorerules.moc"
