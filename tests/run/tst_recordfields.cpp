// Field lists: every record's stored fields read back what was written, text or number,
// and values out of range are refused with the field's reason.
#include "run/fields.h"
#include "run/recordfields.h"

#include <QtTest>
#include <cmath>

namespace buildscope {

namespace {

template<class Record>
Record roundTripThroughText(FieldList<Record> list, const Record& record)
{
    Record copy;
    for (const Field<Record>& field : list) {
        if (field.derived())
            continue;
        FieldValue value;
        const std::string text = fields::formatText(exportValue(field, record));
        if (const std::string error = fields::parseText(field.type, text, value); !error.empty())
            qFatal("%s: %s", field.name, error.c_str());
        if (const std::string error = field.set(copy, value); !error.empty())
            qFatal("%s: %s", field.name, error.c_str());
    }
    return copy;
}

} // namespace

class TestRecordFields : public QObject
{
    Q_OBJECT

private slots:
    void processRecordsRoundTrip()
    {
        ProcessRecord process;
        process.step = "build";
        process.key = "cc1plus src/parser.cpp";
        process.pid = 31337;
        process.parentPid = 31330;
        process.executable = "/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus";
        process.argv = {"cc1plus", "-quiet", "src/parser.cpp", "-o", "/tmp/cc x.s", "it's"};
        process.argvTruncated = true;
        process.argvBytes = 123456;
        process.workingDirectory = "/work/proj";
        process.startSeconds = 1.25;
        process.endSeconds = 7.5;
        process.userCpuSeconds = 6.0;
        process.systemCpuSeconds = 0.25;
        process.exitCode = 0;
        process.peakRssBytes = 427718656;
        process.peakExact = true;
        process.execCount = 1;
        process.note = "a note, with a comma";
        const ProcessRecord copy = roundTripThroughText(processFields(), process);
        QCOMPARE(copy.argv, process.argv);
        QCOMPARE(copy.pid, process.pid);
        QCOMPARE(copy.peakRssBytes, process.peakRssBytes);
        QCOMPARE(copy.peakExact, true);
        QCOMPARE(copy.exitCode, std::optional<int>(0));
        QCOMPARE(copy.signal, std::optional<int>());
        QCOMPARE(copy.endSeconds, 7.5);
        QCOMPARE(copy.key, process.key);
        QCOMPARE(copy.note, process.note);
    }

    void stepsRoundTripAndRunningStepsHaveNoFigures()
    {
        StepResult running;
        running.name = "compile";
        running.status = StepStatus::Running;
        running.startSeconds = 0.5;
        const Field<StepResult>* peak = findField(stepFields(), "peak_rss_bytes");
        const Field<StepResult>* wall = findField(stepFields(), "wall_s");
        QVERIFY(peak && wall);
        QVERIFY(std::holds_alternative<std::monostate>(peak->get(running)));
        QVERIFY(std::holds_alternative<std::monostate>(wall->get(running)));
        running.endSeconds = 2.0; // figures so far (the recorder's)
        running.peakRssBytes = 1024;
        QCOMPARE(std::get<std::uint64_t>(peak->get(running)), std::uint64_t {1024});

        StepResult done = running;
        done.status = StepStatus::Failed;
        done.exitCode = 2;
        done.note = "exit status 2";
        const StepResult copy = roundTripThroughText(stepFields(), done);
        QCOMPARE(copy.status, StepStatus::Failed);
        QCOMPARE(copy.exitCode, std::optional<int>(2));
        QCOMPARE(copy.peakRssBytes, std::uint64_t {1024});
    }

    void outOfRangeValuesNameTheirReason()
    {
        ProcessRecord process;
        const Field<ProcessRecord>* pid = findField(processFields(), "pid");
        QVERIFY(pid->set(process, FieldValue(std::int64_t {-1})).find("whole number from 0") != std::string::npos);
        QVERIFY(pid->set(process, FieldValue(1e300)).find("whole number") != std::string::npos);
        const Field<ProcessRecord>* argv = findField(processFields(), "argv");
        QVERIFY(argv->set(process, FieldValue(std::string("'open"))).find("unclosed") != std::string::npos);
        const Field<ProcessRecord>* exact = findField(processFields(), "peak_exact");
        QVERIFY(!exact->set(process, FieldValue(std::int64_t {2})).empty());
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestRecordFields)
#include "tst_recordfields.moc"
