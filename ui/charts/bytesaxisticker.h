#pragma once

#include "charts/qcustomplotinclude.h"

#include <QString>

namespace buildscope {

// Ticks at powers of two bytes (64 MiB, 128 MiB, ...) labelled in binary units, so the
// labels read like RSS figures do ("512 MiB", "1.5 GiB") rather than "5.36871e+08".
// A suffix turns it into a rate axis ("MiB/s").
class BytesAxisTicker : public QCPAxisTicker
{
public:
    explicit BytesAxisTicker(QString suffix = {});

    // The label for `bytes` on an axis whose ticks are `step` apart: the unit is the
    // largest in which the step is still at least 1/8 of a unit, so no label needs more
    // than three decimals and neighbouring labels share a unit where they can.
    static QString formatTick(double bytes, double step, const QString& suffix = {});

protected:
    double getTickStep(const QCPRange& range) override;
    int getSubTickCount(double tickStep) override;
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision) override;

private:
    QString m_suffix;
    double m_step = 1; // of the ticks being labelled (getTickStep runs before the labels)
};

} // namespace buildscope
