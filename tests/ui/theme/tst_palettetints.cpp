// Status and log-level tints: readable on light, dark and unusual palettes, and following
// the application palette when it changes.
#include "theme/colormath.h"
#include "theme/darkpalette.h"
#include "theme/palettetints.h"

#include <QApplication>
#include <QStyle>
#include <QtTest>

namespace buildscope {

namespace {
constexpr PaletteTints::Tint kTints[]
    = {PaletteTints::Tint::Error, PaletteTints::Tint::Success, PaletteTints::Tint::Warning, PaletteTints::Tint::Muted};
}

class TestPaletteTints : public QObject
{
    Q_OBJECT

private slots:
    void cleanup() { QApplication::setPalette(QApplication::style()->standardPalette()); }

    void tintsAreReadableOnAnyPalette_data()
    {
        QTest::addColumn<QColor>("text");
        QTest::addColumn<QColor>("base");
        QTest::newRow("light") << QColor(Qt::black) << QColor(Qt::white);
        QTest::newRow("dark") << QColor(0xe6, 0xe6, 0xe6) << QColor(0x1e, 0x1e, 0x1e);
        QTest::newRow("the dashboard's dark")
            << darkPalette().color(QPalette::Text) << darkPalette().color(QPalette::Base);
        QTest::newRow("solarized dark") << QColor(0x83, 0x94, 0x96) << QColor(0x00, 0x2b, 0x36);
        QTest::newRow("solarized light") << QColor(0x58, 0x6e, 0x75) << QColor(0xfd, 0xf6, 0xe3);
    }

    void tintsAreReadableOnAnyPalette()
    {
        QFETCH(QColor, text);
        QFETCH(QColor, base);
        QPalette palette;
        palette.setColor(QPalette::Text, text);
        palette.setColor(QPalette::Base, base);
        const double textContrast = contrastRatio(text, base);
        for (const auto tint : kTints) {
            const QColor color = PaletteTints::tint(palette, tint);
            QVERIFY2(contrastRatio(color, base) >= std::min(textContrast, PaletteTints::kMinimumContrast) - 1e-9,
                qPrintable(color.name()));
        }
    }

    void accentsKeepTheirHue()
    {
        QVERIFY(PaletteTints::accent(PaletteTints::Tint::Error).red() > 200);
        QVERIFY(PaletteTints::accent(PaletteTints::Tint::Success).green() > 150);
        QVERIFY(!PaletteTints::accent(PaletteTints::Tint::Muted).isValid());
        const QColor error = PaletteTints::tint(darkPalette(), PaletteTints::Tint::Error);
        QVERIFY(error.red() > error.green() && error.red() > error.blue());
    }

    void cachedTintsFollowTheApplicationPalette()
    {
        PaletteTints tints;
        QApplication::setPalette(QApplication::style()->standardPalette());
        const QColor light = tints.color(PaletteTints::Tint::Error);
        QApplication::setPalette(darkPalette());
        const QColor dark = tints.color(PaletteTints::Tint::Error);
        QVERIFY(light != dark);
        QCOMPARE(dark, PaletteTints::tint(darkPalette(), PaletteTints::Tint::Error));
        tints.invalidate();
        QCOMPARE(tints.color(PaletteTints::Tint::Error), dark);
    }
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestPaletteTints)
#include "tst_palettetints.moc"
