#pragma once

#include "charts/qcustomplotinclude.h"

#include <QString>

namespace buildscope {

// The run's time axis, shared by every chart of the run: ticks at whole clock steps (5 s,
// 15 s, 1 min, 5 min, 1 h, ...) rather than decimal ones (25 s, 50 s), labelled as a
// stopwatch reads ("1:15", "1:02:30"). Below a second, steps of 1, 2 or 5 tenths,
// hundredths or thousandths, labelled with exactly the decimals they need ("0:00.25" never
// prints as "0:00.3").
class ElapsedTimeAxisTicker : public QCPAxisTicker
{
public:
    // "0:07", "1:15", "1:02:30"; `decimals` digits of fractional seconds; hours shown
    // when `withHours` or the value needs them.
    static QString formatClock(double seconds, int decimals = 0, bool withHours = false);

protected:
    double getTickStep(const QCPRange& range) override;
    int getSubTickCount(double tickStep) override;
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision) override;

private:
    int m_decimals = 0; // for sub-second steps
    bool m_withHours = false; // all labels of an axis that reaches an hour show hours
};

} // namespace buildscope
