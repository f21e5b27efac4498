#pragma once

#include "models/numericsortproxy.h"

namespace buildscope {

// The Processes table as the user narrows it: rows whose command or step contains the
// filter text (case-insensitive), sorted by raw values. Bound to a debounced filter box.
class ProcessFilterProxy : public NumericSortProxy
{
    Q_OBJECT

public:
    explicit ProcessFilterProxy(QObject* parent = nullptr);
    void setFilterText(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_text;
};

} // namespace buildscope
