#pragma once

#include "charts/qcustomplotinclude.h"

#include <QString>

namespace buildscope {

// Ticks at whole clock steps (5 s, 15 s, 1 min, 5 min, 1 h, ...) rather than decimal
// ones (25 s, 50 s), labelled as a stopwatch reads ("1:15", "1:02:30") for the run's
// time axis, or as a duration ("45 s", "2m 30s") for step wall times.
class ElapsedTimeAxisTicker : public QCPAxisTicker
{
public:
    enum class Style
    {
        Clock,
        Duration
    };

    explicit ElapsedTimeAxisTicker(Style style = Style::Clock);

    // "0:07", "1:15", "1:02:30"; `decimals` digits of fractional seconds; hours shown
    // when `withHours` or the value needs them.
    static QString formatClock(double seconds, int decimals = 0, bool withHours = false);
    // "0 s", "0.5 s", "45 s", "2m", "2m 30s", "1h 05m".
    static QString formatDurationTick(double seconds, int decimals = 0);

protected:
    double getTickStep(const QCPRange& range) override;
    int getSubTickCount(double tickStep) override;
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision) override;

private:
    Style m_style;
    int m_decimals = 0; // for sub-second steps
    bool m_withHours = false; // all labels of an axis that reaches an hour show hours
};

} // namespace buildscope
