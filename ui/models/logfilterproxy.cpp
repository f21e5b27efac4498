#include "models/logfilterproxy.h"

#include "models/logtablemodel.h"

namespace buildscope {

LogFilterProxy::LogFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{ }

void LogFilterProxy::setFilterText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateFilter();
}

void LogFilterProxy::setMinimumLevel(LogLevel level)
{
    if (level == m_minimumLevel)
        return;
    m_minimumLevel = level;
    invalidateFilter();
}

void LogFilterProxy::setStepFilter(const QString& step)
{
    if (step == m_step)
        return;
    m_step = step;
    invalidateFilter();
}

bool LogFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QAbstractItemModel* model = sourceModel();
    // Cheapest test first: most lines fail the level or step test before any text search.
    if (m_minimumLevel != LogLevel::Debug) {
        const QModelIndex level = model->index(sourceRow, LogTableModel::LevelColumn, sourceParent);
        if (level.data(LogTableModel::SortRole).toInt() < static_cast<int>(m_minimumLevel))
            return false;
    }
    if (!m_step.isEmpty() || !m_text.isEmpty()) {
        const QString step = model->index(sourceRow, LogTableModel::StepColumn, sourceParent).data().toString();
        if (!m_step.isEmpty() && step != m_step)
            return false;
        if (!m_text.isEmpty() && !step.contains(m_text, Qt::CaseInsensitive)) {
            const QModelIndex message = model->index(sourceRow, LogTableModel::MessageColumn, sourceParent);
            return message.data().toString().contains(m_text, Qt::CaseInsensitive);
        }
    }
    return true;
}

} // namespace buildscope
