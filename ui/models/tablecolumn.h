#pragma once

#include <QString>
#include <QVariant>
#include <Qt>
#include <functional>
#include <utility>

namespace buildscope {

// One column of a BuildScope table, described once: its header, what its values mean and
// in which unit, how a row's cell is shown, sorted and explained. ColumnTableModel serves
// every role from a list of these, so a table is its column list, not a switch per role:
//
//     Column(tr("Wall p50"), tr("Median wall-clock time"), [](const StepRow& r) { ... })
//         .withUnit(tr("time: µs, ms, s or minutes"))
//         .withSortKey([](const StepRow& r) { return r.wallP50Seconds; })
//         .alignedAsNumber()
template<typename Row>
struct TableColumn
{
    using Value = std::function<QVariant(const Row&)>;
    using Text = std::function<QString(const Row&)>;

    TableColumn(QString header, QString meaning, Value shown)
        : title(std::move(header))
        , description(std::move(meaning))
        , display(std::move(shown))
    { }

    // e.g. "bytes, binary units (1 MiB = 1024 KiB)"; none for text columns.
    TableColumn& withUnit(QString text)
    {
        unit = std::move(text);
        return *this;
    }
    // kSortRole: a raw number (NaN when unknown) or text; without one, what is displayed.
    TableColumn& withSortKey(Value key)
    {
        sortKey = std::move(key);
        return *this;
    }
    // A cell's own tooltip; without one (or when it returns nothing), the header's.
    TableColumn& withToolTip(Text text)
    {
        toolTip = std::move(text);
        return *this;
    }
    // Numbers read best right-aligned, like a spreadsheet, in the cells and the header.
    TableColumn& alignedAsNumber()
    {
        alignment = Qt::AlignRight | Qt::AlignVCenter;
        return *this;
    }

    QString title;
    QString description; // the header's tooltip, and the cells' unless `toolTip` says more
    Value display;
    QString unit;
    Value sortKey;
    Text toolTip;
    Qt::Alignment alignment; // none: the view's default (text columns)
};

} // namespace buildscope
