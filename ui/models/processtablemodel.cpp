#include "models/processtablemodel.h"

#include "models/numberformat.h"
#include "run/commandline.h"

#include <QFont>

namespace buildscope {

namespace {

bool sameProcess(const ProcessRecord& a, const ProcessRecord& b)
{
    return a.pid == b.pid && a.startSeconds == b.startSeconds && a.execCount == b.execCount;
}

bool sameValues(const ProcessRecord& a, const ProcessRecord& b)
{
    return a.endSeconds == b.endSeconds && a.peakRssBytes == b.peakRssBytes && a.key == b.key;
}

QString endText(const ProcessRecord& record)
{
    if (record.exitCode)
        return *record.exitCode == 0 ? ProcessTableModel::tr("exit 0") : ProcessTableModel::tr("exit %1").arg(*record.exitCode);
    if (record.signal)
        return ProcessTableModel::tr("signal %1").arg(*record.signal);
    return ProcessTableModel::tr("exec");
}

QString durationUnit()
{
    return ProcessTableModel::tr("time: µs, ms, s or minutes");
}

} // namespace

ProcessTableModel::ProcessTableModel(QObject* parent)
    : ColumnTableModel(parent)
{
    setColumns({
        ColumnSpec(tr("Command"),
            tr("The command, as its key: a compile by its source and output (relative to the context), anything "
               "else by its command line. The same key in another run is the same command."),
            [](const ProcessRecord& r) { return QString::fromStdString(r.key); })
            .withToolTip([](const ProcessRecord& r) {
                return tr("%1\n\n%2\nin %3%4")
                    .arg(QString::fromStdString(r.key), QString::fromStdString(joinArguments(r.argv)),
                        QString::fromStdString(r.workingDirectory),
                        r.note.empty() ? QString() : QStringLiteral("\n\n") + QString::fromStdString(r.note));
            }),
        ColumnSpec(tr("Peak RSS"),
            tr("The process's peak resident memory after exec: the kernel's high-water mark, read as it exited "
               "(exact). Marked ~ where only the last value read is known (an image replaced by exec, a process "
               "killed before its exit could be seen)."),
            [](const ProcessRecord& r) {
                return (r.peakExact ? QString() : QStringLiteral("~ ")) + bytesText(static_cast<double>(r.peakRssBytes));
            })
            .withUnit(tr("bytes, binary units (1 MiB = 1024 KiB)"))
            .withSortKey([](const ProcessRecord& r) { return static_cast<double>(r.peakRssBytes); })
            .alignedAsNumber(),
        ColumnSpec(tr("Wall"), tr("From the process's start (its fork) to its end"),
            [](const ProcessRecord& r) { return durationText(r.wallSeconds()); })
            .withUnit(durationUnit())
            .withSortKey([](const ProcessRecord& r) { return r.wallSeconds(); })
            .alignedAsNumber(),
        ColumnSpec(tr("CPU"), tr("User + system CPU of this process (not its children)"),
            [](const ProcessRecord& r) { return durationText(r.cpuSeconds()); })
            .withUnit(durationUnit())
            .withSortKey([](const ProcessRecord& r) { return r.cpuSeconds(); })
            .alignedAsNumber(),
        ColumnSpec(tr("Start"), tr("When the process started, on the run's clock"),
            [](const ProcessRecord& r) { return durationText(r.startSeconds); })
            .withUnit(durationUnit())
            .withSortKey([](const ProcessRecord& r) { return r.startSeconds; })
            .alignedAsNumber(),
        ColumnSpec(tr("Step"), tr("The step whose process tree it belonged to"),
            [](const ProcessRecord& r) { return QString::fromStdString(r.step); }),
        ColumnSpec(tr("PID"), tr("Process id (and its parent's)"),
            [](const ProcessRecord& r) { return QString::number(r.pid); })
            .withToolTip([](const ProcessRecord& r) { return tr("pid %1, parent %2").arg(r.pid).arg(r.parentPid); })
            .withSortKey([](const ProcessRecord& r) { return static_cast<double>(r.pid); })
            .alignedAsNumber(),
        ColumnSpec(tr("End"), tr("How the process ended: its exit status, the signal that killed it, or an exec"),
            [](const ProcessRecord& r) { return endText(r); }),
    });
    Q_ASSERT(columns().size() == ColumnCount);
}

QVariant ProcessTableModel::cellData(const ProcessRecord& row, int column, int role) const
{
    switch (role) {
    case StartSecondsRole:
        return row.startSeconds;
    case EndSecondsRole:
        return row.endSeconds;
    case PeakBytesRole:
        return static_cast<double>(row.peakRssBytes);
    case Qt::FontRole:
        if (column == PeakColumn && !row.peakExact) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    default:
        return {};
    }
}

void ProcessTableModel::setProcesses(std::vector<ProcessRecord> processes)
{
    replaceRows(m_processes, std::move(processes), sameProcess, sameValues);
}

} // namespace buildscope
