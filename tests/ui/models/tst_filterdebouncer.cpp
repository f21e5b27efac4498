#include "models/filterdebouncer.h"

#include <QSignalSpy>
#include <QtTest>

namespace buildscope {

class TestFilterDebouncer : public QObject
{
    Q_OBJECT

private slots:
    void defaults()
    {
        FilterDebouncer debouncer;
        QCOMPARE(debouncer.delay(), 300);
        QVERIFY(!debouncer.isPending());
    }

    void burstSettlesOnce()
    {
        FilterDebouncer debouncer;
        QSignalSpy settled(&debouncer, &FilterDebouncer::textSettled);
        for (const char* text : {"c", "co", "com", "comp", "compile"})
            debouncer.setText(QString::fromLatin1(text));
        QVERIFY(debouncer.isPending());
        QCOMPARE(settled.count(), 0); // nothing before the pause
        QVERIFY(settled.wait(5000));
        QCOMPARE(settled.count(), 1);
        QCOMPARE(settled.at(0).at(0).toString(), QStringLiteral("compile"));
        QVERIFY(!debouncer.isPending());
        // No second emission for the same burst.
        QVERIFY(!settled.wait(2 * debouncer.delay()));
        QCOMPARE(settled.count(), 1);
    }

    void flushEmitsNow()
    {
        FilterDebouncer debouncer;
        debouncer.setDelay(60'000);
        QSignalSpy settled(&debouncer, &FilterDebouncer::textSettled);
        debouncer.flush();
        QCOMPARE(settled.count(), 0); // nothing pending
        debouncer.setText("error");
        debouncer.flush();
        QCOMPARE(settled.count(), 1);
        QCOMPARE(settled.at(0).at(0).toString(), QStringLiteral("error"));
        QVERIFY(!debouncer.isPending());
    }

    void clearingSettlesEmpty()
    {
        FilterDebouncer debouncer;
        debouncer.setDelay(10);
        QSignalSpy settled(&debouncer, &FilterDebouncer::textSettled);
        debouncer.setText("x");
        debouncer.setText({});
        QVERIFY(settled.wait(5000));
        QCOMPARE(settled.count(), 1);
        QVERIFY(settled.at(0).at(0).toString().isEmpty());
    }
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestFilterDebouncer)
#include "tst_filterdebouncer.moc"
