#include "history/historytablemodel.h"

#include "models/numberformat.h"
#include "theme/chartpalette.h"

#include <QDateTime>
#include <QGuiApplication>
#include <QPalette>
#include <QStringList>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace buildscope {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kShortCommit = 10; // hex digits of git.commit shown in the table (the filter sees all)

bool sameRun(const RunRecord& a, const RunRecord& b)
{
    return a.id == b.id;
}

bool sameValues(const RunRecord& a, const RunRecord& b)
{
    return a.specName == b.specName && a.specFile == b.specFile && a.status == b.status && a.startedAt == b.startedAt
        && a.durationSeconds == b.durationSeconds && a.treePeakRssBytes == b.treePeakRssBytes
        && a.hostname == b.hostname && a.labels == b.labels;
}

qint64 startedMs(const RunRecord& run)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(run.startedAt.time_since_epoch()).count();
}

QDateTime startedLocal(const RunRecord& run)
{
    return QDateTime::fromMSecsSinceEpoch(startedMs(run)).toLocalTime();
}

bool finished(const RunRecord& run)
{
    return run.status != "running" && run.status != "interrupted";
}

QString shortLabels(const RunRecord& run)
{
    QStringList labels;
    for (const auto& [key, value] : run.labels) {
        QString shown = QString::fromStdString(value);
        if (key == "git.commit" && shown.size() > kShortCommit)
            shown.truncate(kShortCommit);
        labels << QString::fromStdString(key) + QLatin1Char('=') + shown;
    }
    return labels.join(QStringLiteral(", "));
}

} // namespace

HistoryTableModel::HistoryTableModel(QObject* parent)
    : ColumnTableModel(parent)
{
    setColumns({
        ColumnSpec(tr("Id"), tr("Run id in the history; the command line's compare and history accept it"),
            [](const RunRecord& r) { return QString::number(r.id); })
            .withSortKey([](const RunRecord& r) { return static_cast<double>(r.id); })
            .withToolTip([this](const RunRecord& r) { return idToolTip(r); })
            .alignedAsNumber(),
        ColumnSpec(tr("Started"), tr("When the run started, in local time"),
            [](const RunRecord& r) { return startedLocal(r).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")); })
            .withSortKey([](const RunRecord& r) { return static_cast<double>(startedMs(r)); })
            .withToolTip([](const RunRecord& r) {
                return tr("%1 local time\n%2 UTC\non %3")
                    .arg(startedLocal(r).toString(Qt::ISODate), startedLocal(r).toUTC().toString(Qt::ISODate),
                        r.hostname.empty() ? tr("an unknown host") : QString::fromStdString(r.hostname));
            }),
        ColumnSpec(tr("Spec"), tr("Name of the build spec that ran"),
            [](const RunRecord& r) { return QString::fromStdString(r.specName); })
            .withToolTip([](const RunRecord& r) { return QString::fromStdString(r.specFile.string()); }),
        ColumnSpec(tr("Peak tree RSS"),
            tr("Highest resident set size of a step's build process tree; \u2014 until the run "
               "finishes, or when no step ran a process"),
            [](const RunRecord& r) {
                return r.treePeakRssBytes == 0 ? QStringLiteral("\u2014")
                                               : bytesText(static_cast<double>(r.treePeakRssBytes));
            })
            .withUnit(tr("bytes, binary units (1 MiB = 1024 KiB)"))
            .withSortKey([](const RunRecord& r) {
                return r.treePeakRssBytes == 0 ? kNaN : static_cast<double>(r.treePeakRssBytes);
            })
            .alignedAsNumber(),
        ColumnSpec(tr("Duration"), tr("Wall-clock time from start to end"),
            [](const RunRecord& r) { return durationText(r.durationSeconds); })
            .withUnit(tr("time: µs, ms, s, minutes or hours"))
            .withSortKey([](const RunRecord& r) { return r.durationSeconds; })
            .withToolTip([](const RunRecord& r) {
                return finished(r) ? QString() : tr("Up to the last recorded sample (the run did not finish)");
            })
            .alignedAsNumber(),
        ColumnSpec(tr("Status"),
            tr("How the run ended; \"interrupted\" runs stopped with the process that recorded them"),
            [](const RunRecord& r) { return QString::fromStdString(r.status); }),
        ColumnSpec(tr("Labels"),
            tr("Labels recorded with the run: git.commit, git.branch, host, and any the run was "
               "given"),
            shortLabels)
            .withSortKey([](const RunRecord& r) { return labelsText(r); })
            .withToolTip([](const RunRecord& r) {
                if (r.labels.empty())
                    return tr("No labels");
                QStringList lines;
                for (const auto& [key, value] : r.labels)
                    lines << QString::fromStdString(key) + QLatin1Char('=') + QString::fromStdString(value);
                return lines.join(QLatin1Char('\n'));
            }),
    });
    Q_ASSERT(columns().size() == ColumnCount);
}

void HistoryTableModel::setRuns(std::vector<RunRecord> runs)
{
    prependRows(m_runs, std::move(runs), sameRun, sameValues);
}

int HistoryTableModel::rowOfRun(std::int64_t id) const
{
    const auto found = std::find_if(m_runs.begin(), m_runs.end(), [id](const RunRecord& run) { return run.id == id; });
    return found == m_runs.end() ? -1 : static_cast<int>(found - m_runs.begin());
}

void HistoryTableModel::setMarkedRuns(
    const std::vector<std::int64_t>& baseline, const std::vector<std::int64_t>& candidate)
{
    std::vector<std::int64_t> touched = m_baseline;
    touched.insert(touched.end(), m_candidate.begin(), m_candidate.end());
    touched.insert(touched.end(), baseline.begin(), baseline.end());
    touched.insert(touched.end(), candidate.begin(), candidate.end());
    m_baseline = baseline;
    m_candidate = candidate;
    emitMarksChanged(touched);
}

void HistoryTableModel::emitMarksChanged(const std::vector<std::int64_t>& ids)
{
    std::vector<int> rows;
    for (const std::int64_t id : ids) {
        const int row = rowOfRun(id);
        if (row >= 0)
            rows.push_back(row);
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    // One signal per contiguous range, as for any other batched change.
    for (std::size_t i = 0; i < rows.size();) {
        std::size_t j = i;
        while (j + 1 < rows.size() && rows[j + 1] == rows[j] + 1)
            ++j;
        emit dataChanged(index(rows[i], IdColumn), index(rows[j], IdColumn), {Qt::DecorationRole, Qt::ToolTipRole});
        i = j + 1;
    }
}

QColor HistoryTableModel::baselineMarkColor() const
{
    return tints().color(PaletteTints::Tint::Muted);
}

QColor HistoryTableModel::candidateMarkColor() const
{
    // The comparison's memory chart draws the candidate in the series blue: the same swatch.
    return ChartPalette::fromPalette(QGuiApplication::palette()).series(ChartPalette::Blue);
}

QString HistoryTableModel::labelsText(const RunRecord& run)
{
    QStringList labels;
    for (const auto& [key, value] : run.labels)
        labels << QString::fromStdString(key) + QLatin1Char('=') + QString::fromStdString(value);
    return labels.join(QStringLiteral(", "));
}

QVariant HistoryTableModel::cellData(const RunRecord& run, int column, int role) const
{
    switch (role) {
    case RunIdRole:
        return QVariant::fromValue(static_cast<qint64>(run.id));
    case SpecNameRole:
        return QString::fromStdString(run.specName);
    case StatusRole:
        return QString::fromStdString(run.status);
    case LabelsRole:
        return labelsText(run);
    case Qt::ForegroundRole:
        return column == StatusColumn ? statusColor(run) : QVariant();
    case Qt::DecorationRole:
        return column == IdColumn ? mark(run) : QVariant();
    default:
        return {};
    }
}

QVariant HistoryTableModel::statusColor(const RunRecord& run) const
{
    if (run.status == "failed" || run.status == "interrupted")
        return tints().color(PaletteTints::Tint::Error);
    if (run.status == "succeeded")
        return tints().color(PaletteTints::Tint::Success);
    if (run.status == "cancelled")
        return tints().color(PaletteTints::Tint::Muted);
    return {}; // running: the view's own text colour
}

QVariant HistoryTableModel::mark(const RunRecord& run) const
{
    if (std::find(m_candidate.begin(), m_candidate.end(), run.id) != m_candidate.end())
        return candidateMarkColor();
    if (std::find(m_baseline.begin(), m_baseline.end(), run.id) != m_baseline.end())
        return baselineMarkColor();
    return {};
}

QString HistoryTableModel::idToolTip(const RunRecord& run) const
{
    QString text = tr("Run %1").arg(run.id);
    if (std::find(m_baseline.begin(), m_baseline.end(), run.id) != m_baseline.end())
        text += tr(" \u2014 in the baseline");
    if (std::find(m_candidate.begin(), m_candidate.end(), run.id) != m_candidate.end())
        text += tr(" \u2014 in the candidate");
    return text;
}

} // namespace buildscope
