// Replays a fuzz target's committed corpus (seeds and the inputs that once crashed it) as
// an ordinary test: one data row per file, each fed to LLVMFuzzerTestOneInput. A crash, a
// sanitizer report or an unexpected exception fails the test.
#include <QtTest>
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

class TestFuzzCorpus : public QObject
{
    Q_OBJECT

private slots:
    void replay_data()
    {
        QTest::addColumn<QString>("file");
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(BUILDSCOPE_FUZZ_CORPUS)) {
            if (entry.is_regular_file())
                files.push_back(entry.path());
        }
        std::sort(files.begin(), files.end());
        QVERIFY2(!files.empty(), "the corpus is empty: " BUILDSCOPE_FUZZ_CORPUS);
        for (const std::filesystem::path& file : files)
            QTest::newRow(file.filename().c_str()) << QString::fromStdString(file.string());
    }

    void replay()
    {
        QFETCH(QString, file);
        std::ifstream in(file.toStdString(), std::ios::binary);
        QVERIFY(in);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        const std::string input = bytes.str();
        QCOMPARE(LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()), 0);
    }
};

QTEST_GUILESS_MAIN(TestFuzzCorpus)
#include "corpusreplay.moc"
