#include "models/tablemodelbase.h"

namespace buildscope {

void TableModelBase::paletteChanged()
{
    m_tints.invalidate();
    if (rowCount() > 0 && columnCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1),
            {Qt::ForegroundRole, Qt::BackgroundRole, Qt::DecorationRole});
}

} // namespace buildscope
