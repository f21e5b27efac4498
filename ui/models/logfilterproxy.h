#pragma once

#include "run/buildlog.h"

#include <QSortFilterProxyModel>
#include <QString>

namespace buildscope {

// Filters a LogTableModel by text, minimum level and step. Each setter re-filters only
// when its value really changes; rows the log appends later are filtered as they arrive.
class LogFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit LogFilterProxy(QObject* parent = nullptr);

    QString filterText() const { return m_text; }
    LogLevel minimumLevel() const { return m_minimumLevel; }
    QString stepFilter() const { return m_step; }

public slots:
    // Case-insensitive substring of the message or the step name; empty: every line.
    void setFilterText(const QString& text);
    void setMinimumLevel(LogLevel level);
    // Exact step name; empty: every step.
    void setStepFilter(const QString& step);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_text;
    LogLevel m_minimumLevel = LogLevel::Debug;
    QString m_step;
};

} // namespace buildscope
