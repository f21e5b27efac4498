// A chart's header row: title and legend side by side while they fit; on a narrow chart
// the legend wraps and the title is elided, never cut off by the edge (the issue: the
// compare view's "candidate vs bas" and "improvemen").
#include "charts/chartstyle.h"

#include <QtTest>

namespace buildscope {

class TestChartHeader : public QObject
{
    Q_OBJECT

private:
    static QCustomPlot* makePlot(QCPTextElement** title)
    {
        auto* plot = new QCustomPlot;
        *title = addChartHeader(*plot, QStringLiteral("Change per step, candidate vs base"));
        for (const char* name : {"regression", "improvement", "no significant change"}) {
            auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
            bars->setName(QString::fromLatin1(name));
        }
        return plot;
    }

    static void verifyNothingClipped(QCustomPlot& plot, QCPTextElement& title)
    {
        plot.replot();
        const QRect viewport = plot.viewport();
        const QRect legend = plot.legend->outerRect();
        QVERIFY2(viewport.contains(legend),
            qPrintable(QStringLiteral("legend %1 px wide in %2 px").arg(legend.width()).arg(viewport.width())));
        // Every entry gets at least the width of its text.
        for (int i = 0; i < plot.legend->itemCount(); ++i) {
            auto* item = qobject_cast<QCPPlottableLegendItem*>(plot.legend->item(i));
            const int needed = QFontMetrics(item->font()).horizontalAdvance(item->plottable()->name());
            QVERIFY(item->outerRect().width() >= needed);
            QVERIFY(viewport.contains(item->outerRect()));
        }
        const int titleWidth = QFontMetrics(title.font()).horizontalAdvance(title.text());
        QVERIFY2(titleWidth <= title.outerRect().width(), qPrintable(title.text()));
        QVERIFY(!title.outerRect().intersects(legend));
    }

private slots:
    void wideChartOneRow()
    {
        QCPTextElement* title = nullptr;
        std::unique_ptr<QCustomPlot> plot(makePlot(&title));
        plot->resize(1200, 300);
        plot->show();
        QVERIFY(QTest::qWaitForWindowExposed(plot.get()));
        verifyNothingClipped(*plot, *title);
        QCOMPARE(title->text(), QStringLiteral("Change per step, candidate vs base"));
        QCOMPARE(plot->legend->rowCount(), 1);
    }

    void narrowChartWrapsTheLegend()
    {
        QCPTextElement* title = nullptr;
        std::unique_ptr<QCustomPlot> plot(makePlot(&title));
        plot->resize(460, 300);
        plot->show();
        QVERIFY(QTest::qWaitForWindowExposed(plot.get()));
        verifyNothingClipped(*plot, *title);
        QCOMPARE(title->text(), QStringLiteral("Change per step, candidate vs base"));
        QVERIFY(plot->legend->rowCount() > 1);
    }

    void veryNarrowChartElidesTheTitle()
    {
        QCPTextElement* title = nullptr;
        std::unique_ptr<QCustomPlot> plot(makePlot(&title));
        plot->resize(330, 300);
        plot->show();
        QVERIFY(QTest::qWaitForWindowExposed(plot.get()));
        verifyNothingClipped(*plot, *title);
        QVERIFY(title->text().endsWith(QChar(0x2026)));
        // Wide again: the whole title comes back.
        plot->resize(1200, 300);
        QTRY_COMPARE(plot->viewport().width(), 1200);
        plot->replot();
        QCOMPARE(title->text(), QStringLiteral("Change per step, candidate vs base"));
        setChartTitle(*title, QStringLiteral("Other"));
        plot->replot();
        QCOMPARE(title->text(), QStringLiteral("Other"));
    }
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestChartHeader)
#include "tst_chartheader.moc"
