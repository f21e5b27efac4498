#include "models/rowstext.h"

#include <QStringList>

namespace buildscope {

namespace {

QString cell(const QVariant& value)
{
    QString text = value.toString();
    text.replace(QLatin1Char('\t'), QLatin1Char(' '));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    return text;
}

} // namespace

QString rowsAsText(const QAbstractItemModel& model, const QList<int>& rows)
{
    const int columns = model.columnCount();
    QStringList lines;
    QStringList header;
    for (int column = 0; column < columns; ++column)
        header << cell(model.headerData(column, Qt::Horizontal, Qt::DisplayRole));
    lines << header.join(QLatin1Char('\t'));
    for (const int row : rows) {
        QStringList cells;
        for (int column = 0; column < columns; ++column)
            cells << cell(model.index(row, column).data(Qt::DisplayRole));
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace buildscope
