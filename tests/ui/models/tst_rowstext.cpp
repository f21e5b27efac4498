// Edit > Copy's text: what a spreadsheet pastes as rows and columns.
#include "models/rowstext.h"

#include <QStandardItemModel>
#include <QtTest>

namespace buildscope {

class TestRowsText : public QObject
{
    Q_OBJECT

private slots:
    void headerThenRowsTabSeparated()
    {
        QStandardItemModel model(3, 2);
        model.setHorizontalHeaderLabels({QStringLiteral("Name"), QStringLiteral("Peak RSS")});
        model.setData(model.index(0, 0), QStringLiteral("compile"));
        model.setData(model.index(0, 1), QStringLiteral("409.6 MiB"));
        model.setData(model.index(1, 0), QStringLiteral("link\tstep"));
        model.setData(model.index(1, 1), QStringLiteral("71.5\nMiB"));
        model.setData(model.index(2, 0), QStringLiteral("test"));
        QCOMPARE(
            rowsAsText(model, {0, 1}), QStringLiteral("Name\tPeak RSS\ncompile\t409.6 MiB\nlink step\t71.5 MiB\n"));
        QCOMPARE(rowsAsText(model, {2}), QStringLiteral("Name\tPeak RSS\ntest\t\n"));
    }
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestRowsText)
#include "tst_rowstext.moc"
