#include "run/buildlog.h"

#include <QtTest>
#include <thread>

namespace buildscope {

class TestBuildLog : public QObject
{
    Q_OBJECT

private slots:
    void entriesKeepOrderAndFields()
    {
        BuildLog log;
        log.append(0.5, LogLevel::Info, LogStream::Stdout, "compile", "hello");
        log.append(0.7, LogLevel::Error, LogStream::Stderr, "compile", "oops");
        std::vector<LogEntry> entries;
        const std::uint64_t next = log.copySince(0, entries);
        QCOMPARE(next, std::uint64_t {2});
        QCOMPARE(entries.size(), std::size_t {2});
        QCOMPARE(entries[0].text, std::string("hello"));
        QCOMPARE(entries[0].stream, LogStream::Stdout);
        QCOMPARE(entries[1].level, LogLevel::Error);
        QCOMPARE(entries[1].step, std::string("compile"));
        QCOMPARE(entries[1].seconds, 0.7);
        entries.clear();
        QCOMPARE(log.copySince(next, entries), next);
        QVERIFY(entries.empty());
    }

    void countBoundEvictsOldest()
    {
        BuildLog log(100);
        for (int i = 0; i < 1000; ++i)
            log.append(i, LogLevel::Info, LogStream::Stdout, "s", std::to_string(i));
        QCOMPARE(log.firstSequence(), std::uint64_t {900});
        QCOMPARE(log.nextSequence(), std::uint64_t {1000});
        std::vector<LogEntry> entries;
        // A reader that fell behind resumes at the oldest entry still held.
        QCOMPARE(log.copySince(5, entries), std::uint64_t {1000});
        QCOMPARE(entries.size(), std::size_t {100});
        QCOMPARE(entries.front().text, std::string("900"));
        QCOMPARE(log.tail(3).back().text, std::string("999"));
    }

    void byteBoundHoldsWhateverIsPrinted()
    {
        // 100 MB of output through a 1 MiB log: held bytes never exceed the budget.
        constexpr std::size_t kBudget = 1 << 20;
        BuildLog log(1'000'000, kBudget);
        const std::string line(1000, 'x');
        for (int i = 0; i < 100'000; ++i) {
            log.append(i, LogLevel::Info, LogStream::Stdout, "flood", line);
            QVERIFY(log.heldBytes() <= kBudget);
        }
        QVERIFY(log.nextSequence() - log.firstSequence() < 1100);
    }

    void overlongLinesAreCut()
    {
        BuildLog log;
        log.append(0, LogLevel::Info, LogStream::Stdout, "s", std::string(BuildLog::kMaxLineBytes * 3, 'y'));
        const LogEntry entry = log.tail(1).front();
        QVERIFY(entry.text.size() < BuildLog::kMaxLineBytes + 8);
        QVERIFY(entry.text.ends_with("\u2026"));
    }

    void concurrentWritersAndReader()
    {
        BuildLog log(5000);
        std::atomic<bool> done {false};
        std::thread writers[2];
        for (int w = 0; w < 2; ++w) {
            writers[w] = std::thread([&log, w] {
                for (int i = 0; i < 50'000; ++i)
                    log.append(i, LogLevel::Info, w ? LogStream::Stderr : LogStream::Stdout, "w", "line");
            });
        }
        std::atomic<bool> ordered {true}; // Qt Test macros belong to the main thread
        std::thread reader([&] {
            std::uint64_t next = 0;
            std::vector<LogEntry> entries;
            while (!done) {
                entries.clear();
                const std::uint64_t from = next;
                next = log.copySince(next, entries, 500);
                for (std::size_t i = 1; i < entries.size(); ++i) {
                    if (entries[i].sequence != entries[i - 1].sequence + 1)
                        ordered = false;
                }
                if (next < from)
                    ordered = false;
            }
        });
        for (auto& writer : writers)
            writer.join();
        done = true;
        reader.join();
        QVERIFY(ordered);
        QCOMPARE(log.nextSequence(), std::uint64_t {100'000});
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestBuildLog)
#include "tst_buildlog.moc"
