// 12.11: every file of a report directory must be a regular file of bounded size. A FIFO,
// a device, a directory, a symbolic link loop or an absurdly large file in place of
// run.json or a CSV file is refused by name, without being read; a CSV record cannot hold
// more fields than CsvReader's limit.
#include "report/csvreader.h"
#include "report/reportreader.h"
#include "report/reportwriter.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace buildscope {

namespace {

std::filesystem::path writeReport(const QTemporaryDir& temporary)
{
    const std::filesystem::path directory = std::filesystem::path(temporary.path().toStdString()) / "report";
    RunResult result;
    result.specName = "demo";
    result.specFile = "/tmp/demo/buildscope.yaml";
    result.status = RunStatus::Succeeded;
    result.startedAt = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'700'000'000'123));
    result.endedAt = result.startedAt + std::chrono::milliseconds(1000);
    TimeSeriesStore store(std::vector<SeriesSpec> {{"engine_rss_bytes", "bytes"}});
    for (int i = 0; i < 10; ++i) {
        const double values[] = {1000.0 + i};
        store.append(i * 0.05, values);
    }
    writeRunReport(result, store.snapshot(), directory);
    return directory;
}

std::string errorOf(const std::filesystem::path& directory)
{
    try {
        readRunReport(directory);
    } catch (const ReportError& error) {
        return error.what();
    }
    return "no ReportError";
}

} // namespace

class TestReportInputs : public QObject
{
    Q_OBJECT

private slots:
    void notARegularFile_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("replacement");
        QTest::addColumn<QString>("expected");
        for (const char* file : {kRunJson, kStepsCsv, kPoolsCsv, kSamplesCsv}) {
            QTest::newRow(qPrintable(QStringLiteral("%1 as a FIFO").arg(file)))
                << file << "fifo" << "not a regular file (a FIFO); a report file must be a file";
            QTest::newRow(qPrintable(QStringLiteral("%1 as /dev/zero").arg(file)))
                << file << "/dev/zero" << "not a regular file (a character device); a report file must be a file";
            QTest::newRow(qPrintable(QStringLiteral("%1 as a directory").arg(file)))
                << file << "directory" << "not a regular file (a directory); a report file must be a file";
            QTest::newRow(qPrintable(QStringLiteral("%1 as a symlink loop").arg(file)))
                << file << "loop" << "cannot open: Too many levels of symbolic links";
            QTest::newRow(qPrintable(QStringLiteral("%1 of 8 GiB").arg(file)))
                << file << "huge" << "8.0 GiB is too large for a report file (at most ";
        }
    }
    void notARegularFile()
    {
        QFETCH(QString, file);
        QFETCH(QString, replacement);
        QFETCH(QString, expected);
        QTemporaryDir temporary;
        const std::filesystem::path directory = writeReport(temporary);
        const std::filesystem::path target = directory / file.toStdString();
        std::filesystem::remove(target);
        if (replacement == "fifo") {
            QVERIFY(::mkfifo(target.c_str(), 0600) == 0);
        } else if (replacement == "directory") {
            std::filesystem::create_directory(target);
        } else if (replacement == "loop") {
            QVERIFY(::symlink(target.filename().c_str(), target.c_str()) == 0);
        } else if (replacement == "huge") {
            std::ofstream(target) << "x";
            std::filesystem::resize_file(target, 8ULL * 1024 * 1024 * 1024); // sparse
        } else {
            QVERIFY(::symlink(replacement.toStdString().c_str(), target.c_str()) == 0);
        }
        const std::string error = errorOf(directory);
        QVERIFY2(error.starts_with(target.string() + ": " + expected.toStdString()), error.c_str());
    }

    void csvRecordWithTooManyFields()
    {
        std::istringstream in("a,b\n" + std::string(5000, ',') + "\n");
        CsvReader reader(in);
        QVERIFY(reader.next());
        try {
            reader.next();
            QFAIL("no CsvError");
        } catch (const CsvError& error) {
            QCOMPARE(std::string(error.what()), std::string("line 2: more than 4096 fields in a record"));
        }
        std::istringstream narrow("a,b,c\n");
        CsvReader strict(narrow, 2);
        QVERIFY_THROWS_EXCEPTION(CsvError, strict.next());
    }

    void wideHeaderInAReport()
    {
        QTemporaryDir temporary;
        const std::filesystem::path directory = writeReport(temporary);
        std::ofstream(directory / kSamplesCsv, std::ios::binary | std::ios::trunc)
            << "time_s,bucket_s,samples,step" << std::string(100000, ',') << "\r\n";
        QCOMPARE(errorOf(directory),
            (directory / kSamplesCsv).string() + ":1: more than 4096 fields in a record");
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestReportInputs)
#include "tst_reportinputs.moc"
