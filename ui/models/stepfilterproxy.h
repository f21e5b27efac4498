#pragma once

#include "models/numericsortproxy.h"

namespace buildscope {

// The steps table's proxy: NumericSortProxy's sorting plus one filter, whether engine
// operations are listed below the build steps (they are BuildScope's own cost, which
// most users do not want mixed with their build).
class StepFilterProxy : public NumericSortProxy
{
    Q_OBJECT

public:
    explicit StepFilterProxy(QObject* parent = nullptr);

    bool showOperations() const { return m_showOperations; }

public slots:
    void setShowOperations(bool show);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool m_showOperations = true;
};

} // namespace buildscope
