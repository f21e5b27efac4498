// Light, dark or the system's: what Preferences and --dark-palette set.
#include "theme/appearance.h"
#include "theme/darkpalette.h"

#include <QApplication>
#include <QStyle>
#include <QtTest>

namespace buildscope {

class TestAppearance : public QObject
{
    Q_OBJECT

private slots:
    void namesRoundTrip()
    {
        for (const Appearance appearance : {Appearance::System, Appearance::Light, Appearance::Dark})
            QCOMPARE(appearanceFromName(appearanceName(appearance)), appearance);
        QCOMPARE(appearanceFromName(QStringLiteral("purple")), Appearance::System);
        QCOMPARE(appearanceName(Appearance::Dark), QStringLiteral("dark"));
    }

    void setsTheApplicationPalette()
    {
        QWidget widget; // gets QEvent::PaletteChange, as every widget of the window does
        widget.show();
        QVERIFY(QTest::qWaitForWindowExposed(&widget));
        applyAppearance(Appearance::Dark);
        QCOMPARE(QApplication::palette().color(QPalette::Base), darkPalette().color(QPalette::Base));
        QTRY_COMPARE(widget.palette().color(QPalette::Base), darkPalette().color(QPalette::Base));
        applyAppearance(Appearance::Light);
        QCOMPARE(QApplication::palette().color(QPalette::Base),
            QApplication::style()->standardPalette().color(QPalette::Base));
        applyAppearance(Appearance::Dark);
        applyAppearance(Appearance::System);
        QVERIFY(QApplication::palette().color(QPalette::Base) != darkPalette().color(QPalette::Base));
    }
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestAppearance)
#include "tst_appearance.moc"
