#include "charts/chartstyle.h"

#include <QFontMetrics>
#include <algorithm>

namespace buildscope {

namespace {

// The title as set (setChartTitle), while the element may show it elided, and what the
// header was last fitted for: a replot that changes none of it changes nothing.
const char* const kFullTitle = "buildscopeFullTitle";
const char* const kFittedFor = "buildscopeHeaderFittedFor";

int legendWidth(QCPLegend& legend, int wrap)
{
    if (legend.wrap() != wrap) {
        legend.setWrap(wrap);
        legend.setFillOrder(QCPLayoutGrid::foColumnsFirst, true); // re-flow the items
    }
    return legend.itemCount() == 0 ? 0 : legend.minimumOuterSizeHint().width();
}

void fitHeader(QCustomPlot& plot, QCPLayoutGrid& header, QCPTextElement& title)
{
    QString full = title.property(kFullTitle).toString();
    if (full.isEmpty())
        full = title.text();
    QCPLegend& legend = *plot.legend;
    const QMargins margins = header.margins();
    const int available = plot.viewport().width() - margins.left() - margins.right();
    const QString fittedFor = QStringLiteral("%1|%2|%3").arg(available).arg(legend.itemCount()).arg(full);
    if (plot.property(kFittedFor).toString() == fittedFor)
        return;
    plot.setProperty(kFittedFor, fittedFor);

    const QFontMetrics metrics(title.font());
    const int titleMargins = title.margins().left() + title.margins().right();
    const int titleWidth = metrics.horizontalAdvance(full) + titleMargins;
    // The fewest legend rows that leave the whole title room; one column at worst.
    int wrap = std::max(1, legend.itemCount());
    while (wrap > 1 && titleWidth + legendWidth(legend, wrap) > available)
        --wrap;
    const int room = available - legendWidth(legend, wrap) - titleMargins;
    const QString shown
        = metrics.horizontalAdvance(full) <= room ? full : metrics.elidedText(full, Qt::ElideRight, room);
    if (title.text() != shown)
        title.setText(shown);
}

} // namespace

void setChartTitle(QCPTextElement& title, const QString& text)
{
    if (title.property(kFullTitle).toString() == text)
        return;
    title.setProperty(kFullTitle, text);
    title.setText(text); // fitted to the width again before the next replot
}

QCPTextElement* addChartHeader(QCustomPlot& plot, const QString& title)
{
    plot.plotLayout()->insertRow(0);
    auto* header = new QCPLayoutGrid;
    plot.plotLayout()->addElement(0, 0, header);
    plot.plotLayout()->setRowStretchFactor(0, 0.001);
    plot.plotLayout()->setRowSpacing(0);
    QFont titleFont = plot.font();
    titleFont.setBold(true);
    auto* titleElement = new QCPTextElement(&plot, title, titleFont);
    titleElement->setProperty(kFullTitle, title);
    titleElement->setTextFlags(Qt::AlignLeft | Qt::AlignVCenter);
    titleElement->setMargins(QMargins(0, 2, 12, 0));
    header->addElement(0, 0, titleElement);
    header->addElement(0, 1, plot.legend); // takes it out of the axis rect's inset layout
    header->setColumnStretchFactor(0, 1);
    header->setColumnStretchFactor(1, 0.001);
    header->setAutoMargins(QCP::msNone);
    header->setMargins(QMargins(8, 4, 8, 0));

    QCPLegend* legend = plot.legend;
    legend->setVisible(true);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(Qt::NoBrush);
    legend->setIconSize(18, 10);
    legend->setIconTextPadding(5);
    legend->setColumnSpacing(14);
    legend->setRowSpacing(0);
    legend->setMargins(QMargins(0, 2, 0, 0));
    legend->setSelectableParts(QCPLegend::spNone);
    legend->setFont(plot.font());
    // Before each replot: widths change with the window, entries and titles with the data.
    QObject::connect(&plot, &QCustomPlot::beforeReplot, &plot,
        [&plot, header, titleElement] { fitHeader(plot, *header, *titleElement); });
    return titleElement;
}

void styleAxisTicks(QCPAxis& axis)
{
    axis.setTickLengthIn(0);
    axis.setTickLengthOut(4);
    axis.setSubTickLengthIn(0);
    axis.setSubTickLengthOut(2);
    axis.setTickLabelPadding(4);
}

void applyPaletteToPlot(QCustomPlot& plot, QCPTextElement* title, const ChartPalette& palette)
{
    plot.setBackground(palette.background);
    plot.axisRect()->setBackground(palette.background);
    for (QCPAxis* axis : plot.axisRect()->axes()) {
        axis->setBasePen(QPen(palette.axis, 1));
        axis->setTickPen(QPen(palette.axis, 1));
        axis->setSubTickPen(QPen(palette.axis, 1));
        axis->setTickLabelColor(palette.text);
        axis->setLabelColor(palette.text);
        axis->grid()->setPen(QPen(palette.grid, 1, Qt::SolidLine));
        axis->grid()->setSubGridPen(QPen(palette.subGrid, 1, Qt::SolidLine));
        axis->grid()->setZeroLinePen(Qt::NoPen);
    }
    if (title)
        title->setTextColor(palette.text);
    plot.legend->setTextColor(palette.text);
}

} // namespace buildscope
