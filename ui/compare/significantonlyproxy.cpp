#include "compare/significantonlyproxy.h"

#include "compare/comparisontablemodel.h"

namespace buildscope {

SignificantOnlyProxy::SignificantOnlyProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{ }

void SignificantOnlyProxy::setEnabled(bool enabled)
{
    if (enabled == m_enabled)
        return;
    m_enabled = enabled;
    invalidateFilter();
}

bool SignificantOnlyProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (!m_enabled)
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    return index.data(ComparisonTableModel::VerdictRole).toInt() != static_cast<int>(Verdict::NoChange);
}

} // namespace buildscope
