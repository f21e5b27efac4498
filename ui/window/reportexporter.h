#pragma once

#include "run/runresult.h"
#include "memory/timeseriesstore.h"

#include <QString>

class QCustomPlot;

namespace buildscope {

// Exports through QSaveFile only: a failed or cancelled export leaves no half-written
// file, and an existing file is replaced only when the new one is complete.
class ReportExporter
{
public:
    // run.json, samples.csv, steps.csv and pools.csv into `directory` (the CLI's --report
    // format). Returns false and a message naming the file on failure.
    static bool exportReport(
        const RunResult& result, const TimeSeriesStore::Snapshot& samples, const QString& directory, QString* error);

    // A chart as PNG or PDF, chosen by the file's suffix.
    static bool exportChart(QCustomPlot* plot, const QString& file, QString* error);
};

} // namespace buildscope
