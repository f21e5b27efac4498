#pragma once

#include "charts/qcustomplotinclude.h"

#include <QString>

namespace buildscope {

// Decimal ticks labelled with SI prefixes ("250k", "1.5M") and an optional suffix
// ("%", "/s"): allocation counts reach millions per second, where QCustomPlot's default
// exponent notation is hard to read at a glance.
class CountAxisTicker : public QCPAxisTicker
{
public:
    explicit CountAxisTicker(QString suffix = {});

    // "950", "12.5k", "3.2M", "1.1G" with at most `maxDecimals` decimals, trailing zeros dropped.
    static QString formatCount(double value, int maxDecimals = 2);

protected:
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision) override;

private:
    QString m_suffix;
};

} // namespace buildscope
