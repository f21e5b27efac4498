// Chart colours from the palette: the background and text of the widget, series hues that
// stay apart, status fills, on light and dark.
#include "theme/chartpalette.h"
#include "theme/colormath.h"
#include "theme/darkpalette.h"

#include <QApplication>
#include <QStyle>
#include <QtTest>

namespace buildscope {

class TestChartPalette : public QObject
{
    Q_OBJECT

private slots:
    void followsThePalette_data()
    {
        QTest::addColumn<QPalette>("palette");
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << QApplication::style()->standardPalette() << false;
        QTest::newRow("dark") << darkPalette() << true;
    }

    void followsThePalette()
    {
        QFETCH(QPalette, palette);
        QFETCH(bool, dark);
        const ChartPalette colors = ChartPalette::fromPalette(palette);
        QCOMPARE(colors.dark, dark);
        QCOMPARE(colors.background, palette.color(QPalette::Active, QPalette::Base));
        QCOMPARE(colors.text, palette.color(QPalette::Active, QPalette::Text));
        // Lines of 1 px must read on the background; hues must not collapse into one.
        for (std::size_t i = 0; i < ChartPalette::HueCount; ++i) {
            QVERIFY2(contrastRatio(colors.series(i), colors.background) >= 1.8, qPrintable(colors.series(i).name()));
            for (std::size_t j = i + 1; j < ChartPalette::HueCount; ++j)
                QVERIFY(colors.series(i) != colors.series(j));
        }
        QCOMPARE(colors.series(ChartPalette::HueCount), colors.series(0)); // wraps around
        QVERIFY(colors.status(StepStatus::Failed) != colors.status(StepStatus::Succeeded));
        QVERIFY(colors.status(StepStatus::Failed).red() > colors.status(StepStatus::Failed).green());
        // The grid sits between the background and the text, nearer the background.
        QVERIFY(contrastRatio(colors.grid, colors.background) < contrastRatio(colors.axis, colors.background));
    }
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestChartPalette)
#include "tst_chartpalette.moc"
