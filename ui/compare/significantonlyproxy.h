#pragma once

#include <QSortFilterProxyModel>

namespace buildscope {

// Over a ComparisonTableModel: when enabled, only the rows with a verdict (a regression or
// an improvement), which is what a triage starts from; disabled, every row. Filtering
// only: sort with a NumericSortProxy on top.
class SignificantOnlyProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit SignificantOnlyProxy(QObject* parent = nullptr);

    bool isEnabled() const noexcept { return m_enabled; }

public slots:
    void setEnabled(bool enabled);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool m_enabled = false;
};

} // namespace buildscope
