#include "window/reportexporter.h"

#include "charts/qcustomplotinclude.h"
#include "report/reportwriter.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QTemporaryDir>
#include <functional>
#include <sstream>

namespace buildscope {

namespace {

bool saveAtomically(const QString& file, const QByteArray& bytes, QString* error)
{
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
        if (error)
            *error = QObject::tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(file), out.errorString());
        return false;
    }
    return true;
}

QByteArray render(const std::function<void(std::ostream&)>& write)
{
    std::ostringstream out;
    write(out);
    return QByteArray::fromStdString(out.str());
}

} // namespace

bool ReportExporter::exportReport(
    const RunResult& result, const TimeSeriesStore::Snapshot& samples, const QString& directory, QString* error)
{
    if (!QDir().mkpath(directory)) {
        if (error)
            *error = QObject::tr("Cannot create the folder %1").arg(QDir::toNativeSeparators(directory));
        return false;
    }
    const QDir dir(directory);
    const SampleTable table = SampleTable::fromSnapshot(result, samples);
    // In the CLI's order (run.json last: its presence marks a complete report).
    for (const ReportFile& file : reportFiles(result, table)) {
        if (!saveAtomically(dir.filePath(QLatin1String(file.name)), render(file.write), error))
            return false;
    }
    return true;
}

bool ReportExporter::exportChart(QCustomPlot* plot, const QString& file, QString* error)
{
    const QString suffix = QFileInfo(file).suffix().toLower();
    if (suffix == "png") {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        // Twice the widget's resolution, so the image stays sharp in documents.
        if (!plot->toPixmap(0, 0, 2.0).save(&buffer, "PNG")) {
            if (error)
                *error = QObject::tr("Cannot render the chart as PNG");
            return false;
        }
        return saveAtomically(file, bytes, error);
    }
    if (suffix == "pdf") {
        // QCustomPlot writes PDFs only to a file name: render into a temporary folder,
        // then move the bytes into place through QSaveFile.
        QTemporaryDir temporary;
        const QString pdf = temporary.filePath("chart.pdf");
        if (!temporary.isValid() || !plot->savePdf(pdf)) {
            if (error)
                *error = QObject::tr("Cannot render the chart as PDF");
            return false;
        }
        QFile rendered(pdf);
        if (!rendered.open(QIODevice::ReadOnly)) {
            if (error)
                *error = rendered.errorString();
            return false;
        }
        return saveAtomically(file, rendered.readAll(), error);
    }
    if (error)
        *error = QObject::tr("Unknown chart format '%1': use .png or .pdf").arg(suffix);
    return false;
}

} // namespace buildscope
