// Process keys follow one command from run to run: compiles by their source and output,
// anything else by its command line without the parts that change every run.
#include "run/commandline.h"
#include "run/processkey.h"

#include <QtTest>

namespace buildscope {

namespace {

ProcessRecord process(std::vector<std::string> argv, std::string cwd = "/work/proj/build", pid_t pid = 4242)
{
    ProcessRecord record;
    record.pid = pid;
    record.argv = std::move(argv);
    record.executable = "/usr/bin/" + record.argv.front();
    record.workingDirectory = std::move(cwd);
    return record;
}

} // namespace

class TestProcessKey : public QObject
{
    Q_OBJECT

private slots:
    void keys_data()
    {
        QTest::addColumn<QStringList>("argv");
        QTest::addColumn<QString>("key");
        QTest::newRow("g++ driver") << QStringList {"g++", "-O2", "-c", "../src/parser.cpp", "-o", "parser.o"}
                                    << "g++ src/parser.cpp -> build/parser.o";
        QTest::newRow("cc1plus writes a temporary") << QStringList {"/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus",
            "-quiet", "../src/parser.cpp", "-quiet", "-dumpbase", "parser.cpp", "-O2", "-o", "/tmp/ccAbC123.s"}
                                                    << "cc1plus src/parser.cpp";
        QTest::newRow("as reads a temporary") << QStringList {"as", "--64", "-o", "parser.o", "/tmp/ccXyZ987.s"}
                                              << "as -> build/parser.o";
        QTest::newRow("versioned clang") << QStringList {"clang++-14", "-c", "/work/proj/src/lexer.cc", "-o",
            "/work/proj/build/lexer.o"} << "clang++ src/lexer.cc -> build/lexer.o";
        QTest::newRow("target triple") << QStringList {"x86_64-linux-gnu-gcc-12", "-c", "../a.c", "-oa.o"}
                                       << "gcc a.c -> build/a.o";
        QTest::newRow("link") << QStringList {"/usr/bin/ld", "-o", "app", "/tmp/cc1.o", "main.o", "parser.o"}
                              << "ld -> build/app";
        QTest::newRow("outside the context")
            << QStringList {"c++", "-c", "/opt/lib/x.cpp", "-o", "/opt/out/x.o"} << "c++ /opt/lib/x.cpp -> /opt/out/x.o";
        QTest::newRow("rustc") << QStringList {"rustc", "--crate-name", "app", "../src/main.rs", "--out-dir", "deps"}
                               << "rustc src/main.rs -> build/deps";
        QTest::newRow("generic") << QStringList {"make", "-j8", "all"} << "make -j8 all";
        QTest::newRow("temporary and pid") << QStringList {"python3", "gen.py", "--tmp", "/tmp/tmp.Xa81Qz", "4242"}
                                           << "python3 gen.py --tmp <tmp> <pid>";
        QTest::newRow("cc1plus tells targets apart") << QStringList {"cc1plus", "-quiet", "../test/util.cc", "-dumpdir",
            "test/CMakeFiles/scan-test.dir/", "-dumpbase", "util.cc.cc", "-o", "/tmp/ccAbCdEf.s"}
                                                    << "cc1plus test/util.cc in build/test/CMakeFiles/scan-test.dir";
        QTest::newRow("a source tree in /tmp") << QStringList {"cc1plus", "-quiet", "/tmp/fmt/src/os.cc", "-o",
            "/tmp/ccQ1w2E3.s"} << "cc1plus /tmp/fmt/src/os.cc";
        QTest::newRow("an out-of-tree build: sources beside the context")
            << QStringList {"cc1plus", "-quiet", "/work/fmt-src/test/a.cc", "-o", "/tmp/ccX1.s"}
            << "cc1plus ../fmt-src/test/a.cc";
        QTest::newRow("the sources a level further up")
            << QStringList {"c++", "-c", "/src/a.cc", "-o", "/work/proj/a.o"} << "c++ /src/a.cc -> a.o";
        QTest::newRow("a system file stays absolute")
            << QStringList {"cc1", "-quiet", "/usr/share/doc/x.c", "-o", "/tmp/ccY.s"} << "cc1 /usr/share/doc/x.c";
        QTest::newRow("absolute path inside the context")
            << QStringList {"sh", "/work/proj/tools/stamp.sh"} << "sh tools/stamp.sh";
    }
    void keys()
    {
        QFETCH(QStringList, argv);
        QFETCH(QString, key);
        std::vector<std::string> arguments;
        for (const QString& argument : argv)
            arguments.push_back(argument.toStdString());
        QCOMPARE(QString::fromStdString(processKey(process(arguments), "/work/proj")), key);
    }

    // A build in /tmp is a build: its files are not temporary files.
    void aContextUnderTmp()
    {
        ProcessRecord compile = process({"cc1plus", "-quiet", "src/a.cpp", "-o", "/tmp/ccZ.s"}, "/tmp/proj");
        QCOMPARE(processKey(compile, "/tmp/proj"), std::string("cc1plus src/a.cpp"));
        ProcessRecord script = process({"sh", "/tmp/proj/tools/gen.sh", "/tmp/cc9Zz.o"}, "/tmp/proj");
        QCOMPARE(processKey(script, "/tmp/proj"), std::string("sh tools/gen.sh <tmp>"));
    }

    void keysAreBounded()
    {
        std::vector<std::string> argv {"sh", "-c", std::string(100'000, 'x')};
        QVERIFY(processKey(process(argv), "/work/proj").size() <= kMaxKeyBytes);
    }

    void toolNames()
    {
        QCOMPARE(compilerTool("g++-12"), std::string("g++"));
        QCOMPARE(compilerTool("/usr/bin/aarch64-linux-gnu-ld.lld"), std::string("ld.lld"));
        QCOMPARE(compilerTool("ninja"), std::string());
        QCOMPARE(compilerTool("cc1plus"), std::string("cc1plus"));
    }

    void commandLinesRoundTrip()
    {
        const std::vector<std::string> argv {"sh", "-c", "echo 'it''s' \"$HOME\" \\ x", "", "a b", "plain-1.0=x"};
        const std::string line = joinArguments(argv);
        QCOMPARE(splitArguments(line), std::optional(argv));
        QCOMPARE(joinArguments({"make", "-j8"}), std::string("make -j8"));
        QVERIFY(!splitArguments("unclosed 'quote").has_value());
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestProcessKey)
#include "tst_processkey.moc"
