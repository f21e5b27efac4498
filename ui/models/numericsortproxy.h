#pragma once

#include <QSortFilterProxyModel>

namespace buildscope {

// Sorts by kSortRole (raw numbers, not "1.2 MiB" text) with unknown values (NaN) last
// in both directions: "n/a" rows sink instead of landing among the biggest or smallest.
// Strings compare case-insensitively and locale-aware.
class NumericSortProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit NumericSortProxy(QObject* parent = nullptr);

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
};

} // namespace buildscope
