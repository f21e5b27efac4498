#include "charts/chartstyle.h"

namespace buildscope {

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
