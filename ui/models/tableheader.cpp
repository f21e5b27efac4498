#include "models/tableheader.h"

#include <QString>

namespace buildscope {

QVariant tableHeaderData(int role, const char* title, const char* description, bool numeric)
{
    switch (role) {
    case Qt::DisplayRole:
        return QString::fromUtf8(title);
    case Qt::ToolTipRole:
        return QString::fromUtf8(description);
    case Qt::TextAlignmentRole:
        if (numeric)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter).toInt());
        return {};
    default:
        return {};
    }
}

} // namespace buildscope
