// The one colour arithmetic every palette-derived colour is made with.
#include "theme/colormath.h"

#include <QtTest>

namespace buildscope {

class TestColorMath : public QObject
{
    Q_OBJECT

private slots:
    void blendGoesFromOneColourToTheOther()
    {
        const QColor red(255, 0, 0);
        const QColor blue(0, 0, 255);
        QCOMPARE(blendColors(red, blue, 0), red);
        QCOMPARE(blendColors(red, blue, 1), blue);
        const QColor middle = blendColors(red, blue, 0.5);
        QVERIFY(std::abs(middle.red() - 128) <= 1 && middle.green() == 0 && std::abs(middle.blue() - 128) <= 1);
        // Any colour spec in, opaque RGB out.
        QCOMPARE(blendColors(QColor::fromHsv(0, 255, 255), QColor(Qt::white), 0), red);
    }

    void contrastRatioIsWcags()
    {
        QCOMPARE(contrastRatio(Qt::black, Qt::white), 21.0);
        QCOMPARE(contrastRatio(Qt::white, Qt::black), 21.0);
        QCOMPARE(contrastRatio(QColor(0x77, 0x77, 0x77), QColor(0x77, 0x77, 0x77)), 1.0);
        // #767676 on white is the classic "just AA" grey: 4.54.
        QVERIFY(std::abs(contrastRatio(QColor(0x76, 0x76, 0x76), Qt::white) - 4.54) < 0.01);
    }

    void readableColorMovesTowardTextUntilItReads()
    {
        const QColor yellow(0xf0, 0xe0, 0x40); // hopeless on white
        const QColor readable = readableColor(yellow, Qt::black, Qt::white, 4.5);
        QVERIFY(contrastRatio(readable, Qt::white) >= 4.5);
        QVERIFY(readable != QColor(Qt::black)); // it stops as soon as it reads
        QCOMPARE(readableColor(Qt::black, Qt::black, Qt::white, 4.5), QColor(Qt::black));
        // A text colour that itself cannot reach the contrast: the text colour.
        QCOMPARE(readableColor(yellow, QColor(0xc0, 0xc0, 0xc0), Qt::white, 4.5), QColor(0xc0, 0xc0, 0xc0));
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestColorMath)
#include "tst_colormath.moc"
