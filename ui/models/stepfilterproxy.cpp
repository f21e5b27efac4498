#include "models/stepfilterproxy.h"

#include "models/steptablemodel.h"

namespace buildscope {

StepFilterProxy::StepFilterProxy(QObject* parent)
    : NumericSortProxy(parent)
{ }

void StepFilterProxy::setShowOperations(bool show)
{
    if (show == m_showOperations)
        return;
    m_showOperations = show;
    invalidateFilter();
}

bool StepFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_showOperations)
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, StepTableModel::NameColumn, sourceParent);
    return !index.data(StepTableModel::IsOperationRole).toBool();
}

} // namespace buildscope
