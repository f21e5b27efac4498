#include "models/numericsortproxy.h"

#include "models/modelroles.h"

#include <cmath>

namespace buildscope {

namespace {

bool isNumber(const QVariant& value)
{
    switch (value.typeId()) {
    case QMetaType::Double:
    case QMetaType::Float:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
        return true;
    default:
        return false;
    }
}

} // namespace

NumericSortProxy::NumericSortProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(kSortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setSortLocaleAware(true);
}

bool NumericSortProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    if (!isNumber(a) || !isNumber(b))
        return QSortFilterProxyModel::lessThan(left, right);
    const double x = a.toDouble();
    const double y = b.toDouble();
    const bool xUnknown = std::isnan(x);
    const bool yUnknown = std::isnan(y);
    if (xUnknown || yUnknown) {
        // A descending sort asks lessThan(right, left), so "NaN is smallest" puts NaN last there.
        const bool unknownIsLargest = sortOrder() == Qt::AscendingOrder;
        if (xUnknown && yUnknown)
            return false;
        return unknownIsLargest ? yUnknown : xUnknown;
    }
    return x < y;
}

} // namespace buildscope
