#pragma once

#include "models/numericsortproxy.h"

#include <QString>
#include <QStringList>

namespace buildscope {

// The history table's proxy: NumericSortProxy's sorting (by SortRole, unknown values last)
// plus three filters that all must pass:
//  - spec: the spec name, exactly; empty lists every spec;
//  - labels: terms separated by spaces or commas, each found (case-insensitively) somewhere
//    in the run's labels written "key=value, key=value" with full values. So "side=base"
//    finds the label side=base, "branch=main" finds git.branch=main and "3f2a9c" a commit
//    by its prefix. A substring match rather than an exact label, so results narrow while
//    typing and a commit needs no more than a prefix (side=base also finds side=baseline).
//  - status: exactly (running, succeeded, failed, cancelled, interrupted); empty: any.
class RunFilterProxy : public NumericSortProxy
{
    Q_OBJECT

public:
    explicit RunFilterProxy(QObject* parent = nullptr);

    QString specName() const { return m_spec; }
    QString labelFilter() const { return m_labels; }
    QString status() const { return m_status; }
    bool isFiltering() const { return !m_spec.isEmpty() || !m_terms.isEmpty() || !m_status.isEmpty(); }

public slots:
    void setSpecName(const QString& spec);
    void setLabelFilter(const QString& text);
    void setStatus(const QString& status);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_spec;
    QString m_labels;
    QStringList m_terms;
    QString m_status;
};

} // namespace buildscope
