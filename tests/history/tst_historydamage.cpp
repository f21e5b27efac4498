// 12.2: a damaged store is read-only from the moment it is found damaged. Before, a run on
// a store with damaged pages said "the store is damaged ... it was left as it is", yet had
// added its "running" row and modified pages. Now SQLite's quick_check runs before a
// connection's first write, and any statement that meets damage latches it: no write
// follows, reads go on as far as they can.
#include "history/runhistory.h"
#include "historyfixture.h"

#include <QTemporaryDir>
#include <QtTest>

namespace buildscope {

using namespace testing;

namespace {

std::string errorOf(const std::function<void()>& action)
{
    try {
        action();
    } catch (const HistoryError& error) {
        return error.what();
    }
    return "no HistoryError";
}

LoadedReport exampleReport(std::size_t rows)
{
    LoadedReport report;
    report.result = realisticResult();
    report.samples = sampleRows(0, rows);
    return report;
}

// Overwrites the root page of the samples table (runs, meta and the schema stay intact,
// so the store opens and lists).
void damageSamples(const std::filesystem::path& file)
{
    const int page
        = rawScalar(file, QStringLiteral("SELECT rootpage FROM sqlite_master WHERE name = 'samples'")).toInt();
    const int pageSize = rawScalar(file, QStringLiteral("PRAGMA page_size")).toInt();
    QVERIFY(page > 1 && pageSize >= 512);
    std::string bytes = readAll(file);
    const auto offset = static_cast<std::size_t>(page - 1) * static_cast<std::size_t>(pageSize);
    QVERIFY(offset + static_cast<std::size_t>(pageSize) <= bytes.size());
    for (std::size_t i = 0; i < static_cast<std::size_t>(pageSize); ++i)
        bytes[offset + i] = static_cast<char>(0xA5 ^ (i * 7));
    writeAll(file, bytes);
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

class TestHistoryDamage : public QObject
{
    Q_OBJECT

private slots:
    void damagedStoreIsNeverWritten()
    {
        QTemporaryDir temporary;
        const std::filesystem::path file = std::filesystem::path(temporary.path().toStdString()) / "history.sqlite";
        {
            RunHistory history(file);
            history.importReport(exampleReport(3000));
        }
        damageSamples(file);
        const std::string bytes = readAll(file);
        {
            RunHistory history(file); // the header and schema are intact: it opens
            QVERIFY(!history.isDamaged());
            const std::string begin = errorOf([&] { history.beginRun(exampleSpec(), {{"a", "1"}}, at(1000)); });
            QVERIFY2(contains(begin, file.string() + ": the store is damaged ("), begin.c_str());
            QVERIFY2(contains(begin, "it was left as it is and nothing is written to it"), begin.c_str());
            QVERIFY(history.isDamaged());
            // Every later write is refused the same way, without another check.
            QVERIFY(contains(errorOf([&] { history.importReport(exampleReport(3)); }), "the store is damaged"));
            QVERIFY(contains(errorOf([&] { history.deleteRun(1); }), "the store is damaged"));
            // Reads go on where the store can still be read.
            const std::vector<RunRecord> runs = history.list();
            QCOMPARE(runs.size(), std::size_t {1});
            QCOMPARE(runs[0].status, std::string("failed"));
            QVERIFY(contains(errorOf([&] { history.checkIntegrity(); }), "the store is damaged"));
        }
        QVERIFY2(readAll(file) == bytes, "the damaged store was modified");
        QCOMPARE(rawCount(file, "runs"), 1); // no "running" row
    }

    // checkIntegrity() lets a caller that will write fail before it starts (the CLI's run).
    void checkIntegrityBeforeStarting()
    {
        QTemporaryDir temporary;
        const std::filesystem::path file = std::filesystem::path(temporary.path().toStdString()) / "history.sqlite";
        {
            RunHistory history(file);
            history.importReport(exampleReport(3000));
            history.checkIntegrity(); // intact: no exception
            QVERIFY(!history.isDamaged());
        }
        damageSamples(file);
        const std::string bytes = readAll(file);
        RunHistory history(file);
        QVERIFY(contains(errorOf([&] { history.checkIntegrity(); }), file.string() + ": the store is damaged ("));
        QVERIFY(history.isDamaged());
        QVERIFY(readAll(file) == bytes);
    }

    // Damage met by a read (before any write checked the store) latches too.
    void damageMetByAReadLatches()
    {
        QTemporaryDir temporary;
        const std::filesystem::path file = std::filesystem::path(temporary.path().toStdString()) / "history.sqlite";
        {
            RunHistory history(file);
            history.importReport(exampleReport(3000));
        }
        damageSamples(file);
        const std::string bytes = readAll(file);
        RunHistory history(file);
        const std::string read = errorOf([&] { history.load(1); });
        QVERIFY2(contains(read, "the store is damaged or is not a BuildScope history store"), read.c_str());
        QVERIFY(history.isDamaged());
        QVERIFY(contains(errorOf([&] { history.beginRun(exampleSpec(), {}, at(1)); }), "the store is damaged"));
        QVERIFY(readAll(file) == bytes);
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestHistoryDamage)
#include "tst_historydamage.moc"
