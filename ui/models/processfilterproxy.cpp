#include "models/processfilterproxy.h"

#include "models/processtablemodel.h"

namespace buildscope {

ProcessFilterProxy::ProcessFilterProxy(QObject* parent)
    : NumericSortProxy(parent)
{ }

void ProcessFilterProxy::setFilterText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateRowsFilter();
}

bool ProcessFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_text.isEmpty())
        return true;
    for (const int column : {ProcessTableModel::CommandColumn, ProcessTableModel::StepColumn}) {
        const QString text = sourceModel()->index(sourceRow, column, sourceParent).data().toString();
        if (text.contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace buildscope
