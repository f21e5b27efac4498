#pragma once

#include "theme/palettetints.h"

#include <QAbstractTableModel>

namespace buildscope {

// What every BuildScope table model shares that needs no row type (Q_OBJECT cannot be a
// template): the palette slot, and the status tints the models colour cells with.
class TableModelBase : public QAbstractTableModel
{
    Q_OBJECT

public:
    using QAbstractTableModel::QAbstractTableModel;

public slots:
    // Call on QEvent::PaletteChange/ApplicationPaletteChange: the tints are recomputed and
    // every cell's colours repainted (one dataChanged for the whole table).
    void paletteChanged();

protected:
    PaletteTints& tints() const noexcept { return m_tints; }

private:
    mutable PaletteTints m_tints; // a cache: asked for from data(), which is const
};

} // namespace buildscope
