#include "history/runfilterproxy.h"

#include "history/historytablemodel.h"

#include <QRegularExpression>

namespace buildscope {

RunFilterProxy::RunFilterProxy(QObject* parent)
    : NumericSortProxy(parent)
{ }

void RunFilterProxy::setSpecName(const QString& spec)
{
    if (spec == m_spec)
        return;
    m_spec = spec;
    invalidateFilter();
}

void RunFilterProxy::setLabelFilter(const QString& text)
{
    static const QRegularExpression separators(QStringLiteral("[\\s,]+"));
    const QStringList terms = text.split(separators, Qt::SkipEmptyParts);
    m_labels = text;
    if (terms == m_terms)
        return;
    m_terms = terms;
    invalidateFilter();
}

void RunFilterProxy::setStatus(const QString& status)
{
    if (status == m_status)
        return;
    m_status = status;
    invalidateFilter();
}

bool RunFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_spec.isEmpty() && index.data(HistoryTableModel::SpecNameRole).toString() != m_spec)
        return false;
    if (!m_status.isEmpty() && index.data(HistoryTableModel::StatusRole).toString() != m_status)
        return false;
    if (m_terms.isEmpty())
        return true;
    const QString labels = index.data(HistoryTableModel::LabelsRole).toString();
    for (const QString& term : m_terms) {
        if (!labels.contains(term, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

} // namespace buildscope
