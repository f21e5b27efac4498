#pragma once

#include <QAbstractItemModel>
#include <QList>
#include <QString>

namespace buildscope {

// Rows of a table as text a spreadsheet or an editor takes as it is (Edit > Copy): the
// header titles, then one line per row, cells as the table shows them, separated by tabs.
// Tabs and line breaks inside a cell become spaces, so every row stays one line.
QString rowsAsText(const QAbstractItemModel& model, const QList<int>& rows);

} // namespace buildscope
