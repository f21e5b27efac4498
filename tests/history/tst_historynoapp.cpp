// The CLI may not create a QCoreApplication: the store must work without one (Qt Sql
// loads the QSQLITE plugin all the same) and the default path must not depend on one.
#include "history/runhistory.h"
#include "historyfixture.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QtTest>
#include <cstdlib>

namespace buildscope {

using namespace testing;

class TestHistoryNoApp : public QObject
{
    Q_OBJECT

private slots:
    void worksWithoutApplicationObject()
    {
        QVERIFY(QCoreApplication::instance() == nullptr);
        QTemporaryDir temporary;
        const std::filesystem::path file = std::filesystem::path(temporary.path().toStdString()) / "history.sqlite";
        std::int64_t id = 0;
        {
            RunHistory history(file);
            id = history.beginRun(exampleSpec(), {{"k", "v"}}, at(1000));
            history.appendSamples(id, sampleRows(0, 5));
            history.finishRun(id, realisticResult(), sampleRows(0, 30), logEntries(3));
        }
        RunHistory history(file);
        QCOMPARE(history.select("label:k=v"), std::vector<std::int64_t> {id});
        const LoadedReport report = history.load(id);
        QCOMPARE(dump(report.samples), dump(sampleRows(0, 30)));
        QCOMPARE(history.logTail(id).size(), std::size_t {3});
    }

    void defaultPathWithoutApplicationObject()
    {
        ::unsetenv("BUILDSCOPE_STORE");
        ::setenv("XDG_DATA_HOME", "/data/home", 1);
        QCOMPARE(RunHistory::defaultPath(), std::filesystem::path("/data/home/BuildScope/BuildScope/history.sqlite"));
        ::setenv("XDG_DATA_HOME", "relative/ignored", 1); // the XDG spec ignores relative paths
        ::setenv("HOME", "/home/builder", 1);
        QCOMPARE(RunHistory::defaultPath(),
            std::filesystem::path("/home/builder/.local/share/BuildScope/BuildScope/history.sqlite"));
        ::unsetenv("XDG_DATA_HOME");
        QCOMPARE(RunHistory::defaultPath(),
            std::filesystem::path("/home/builder/.local/share/BuildScope/BuildScope/history.sqlite"));
        ::setenv("BUILDSCOPE_STORE", "/tmp/elsewhere.sqlite", 1);
        QCOMPARE(RunHistory::defaultPath(), std::filesystem::path("/tmp/elsewhere.sqlite"));
    }
};

} // namespace buildscope

QTEST_APPLESS_MAIN(buildscope::TestHistoryNoApp)
#include "tst_historynoapp.moc"
