#include "history/historytablemodel.h"

#include "run/units.h"
#include "history/prependupdateplan.h"
#include "models/tableheader.h"

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

const char* columnTitle(int column)
{
    switch (column) {
    case HistoryTableModel::IdColumn:
        return "Id";
    case HistoryTableModel::StartedColumn:
        return "Started";
    case HistoryTableModel::SpecColumn:
        return "Spec";
    case HistoryTableModel::StatusColumn:
        return "Status";
    case HistoryTableModel::DurationColumn:
        return "Duration";
    case HistoryTableModel::PeakRssColumn:
        return "Peak tree RSS";
    case HistoryTableModel::LabelsColumn:
        return "Labels";
    }
    return "";
}

const char* columnDescription(int column)
{
    switch (column) {
    case HistoryTableModel::IdColumn:
        return "Run id in the history; `buildscope compare` and `buildscope history` accept it";
    case HistoryTableModel::StartedColumn:
        return "When the run started, in local time";
    case HistoryTableModel::SpecColumn:
        return "Name of the build spec that ran";
    case HistoryTableModel::StatusColumn:
        return "How the run ended; \"interrupted\" runs stopped with the process that recorded them";
    case HistoryTableModel::DurationColumn:
        return "Wall-clock time from start to end; for running or interrupted runs, up to the last recorded sample";
    case HistoryTableModel::PeakRssColumn:
        return "Highest resident set size of a step's build process tree, in binary units (1 MiB = 1024 KiB); "
               "\u2014 until the run finishes, or when no step ran a process";
    case HistoryTableModel::LabelsColumn:
        return "Labels recorded with the run (git.commit, git.branch, host, and any given with --label)";
    }
    return "";
}

bool isNumeric(int column)
{
    return column == HistoryTableModel::IdColumn || column == HistoryTableModel::DurationColumn
        || column == HistoryTableModel::PeakRssColumn;
}

} // namespace

HistoryTableModel::HistoryTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void HistoryTableModel::setRuns(std::vector<RunRecord> runs)
{
    const PrependUpdatePlan plan = planPrependUpdate(m_runs, runs, sameRun, sameValues);
    if (plan.kind == PrependUpdatePlan::Kind::Reset) {
        beginResetModel();
        m_runs = std::move(runs);
        endResetModel();
        return;
    }
    const auto offset = static_cast<std::size_t>(plan.inserted);
    for (const auto& [first, last] : plan.changedRanges) {
        for (int row = first; row <= last; ++row)
            m_runs[static_cast<std::size_t>(row)] = std::move(runs[static_cast<std::size_t>(row) + offset]);
        emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
    }
    if (plan.inserts()) {
        beginInsertRows({}, 0, plan.inserted - 1);
        m_runs.insert(m_runs.begin(), std::make_move_iterator(runs.begin()),
            std::make_move_iterator(runs.begin() + plan.inserted));
        endInsertRows();
    }
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
    return m_tints.color(PaletteTints::Tint::Muted);
}

QColor HistoryTableModel::candidateMarkColor() const
{
    // The charts draw the candidate in the Okabe-Ito blue; lighter on a dark base, as they do.
    const QColor base = QGuiApplication::palette().color(QPalette::Active, QPalette::Base);
    return base.lightnessF() < 0.5f ? QColor(0x56, 0xb4, 0xe9) : QColor(0x00, 0x72, 0xb2);
}

int HistoryTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int HistoryTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunRecord& run = m_runs[static_cast<std::size_t>(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayText(run, column);
    case SortRole:
        return sortValue(run, column);
    case RunIdRole:
        return QVariant::fromValue(static_cast<qint64>(run.id));
    case SpecNameRole:
        return QString::fromStdString(run.specName);
    case StatusRole:
        return QString::fromStdString(run.status);
    case LabelsRole:
        return labelsText(run);
    case Qt::ToolTipRole:
        return toolTip(run, column);
    case Qt::ForegroundRole:
        return column == StatusColumn ? statusColor(run) : QVariant();
    case Qt::DecorationRole:
        return column == IdColumn ? mark(run) : QVariant();
    case Qt::TextAlignmentRole:
        if (isNumeric(column))
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter).toInt());
        return {};
    default:
        return {};
    }
}

QString HistoryTableModel::labelsText(const RunRecord& run)
{
    QStringList labels;
    for (const auto& [key, value] : run.labels)
        labels << QString::fromStdString(key) + QLatin1Char('=') + QString::fromStdString(value);
    return labels.join(QStringLiteral(", "));
}

QVariant HistoryTableModel::displayText(const RunRecord& run, int column) const
{
    switch (column) {
    case IdColumn:
        return QString::number(run.id);
    case StartedColumn:
        return startedLocal(run).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case SpecColumn:
        return QString::fromStdString(run.specName);
    case StatusColumn:
        return QString::fromStdString(run.status);
    case DurationColumn:
        return QString::fromStdString(formatDuration(run.durationSeconds));
    case PeakRssColumn:
        return run.treePeakRssBytes == 0
            ? QStringLiteral("\u2014")
            : QString::fromStdString(formatBytes(static_cast<double>(run.treePeakRssBytes)));
    case LabelsColumn: {
        QStringList labels;
        for (const auto& [key, value] : run.labels) {
            QString shown = QString::fromStdString(value);
            if (key == "git.commit" && shown.size() > kShortCommit)
                shown.truncate(kShortCommit);
            labels << QString::fromStdString(key) + QLatin1Char('=') + shown;
        }
        return labels.join(QStringLiteral(", "));
    }
    }
    return {};
}

QVariant HistoryTableModel::sortValue(const RunRecord& run, int column) const
{
    switch (column) {
    case IdColumn:
        return static_cast<double>(run.id);
    case StartedColumn:
        return static_cast<double>(startedMs(run));
    case SpecColumn:
        return QString::fromStdString(run.specName);
    case StatusColumn:
        return QString::fromStdString(run.status);
    case DurationColumn:
        return run.durationSeconds;
    case PeakRssColumn:
        return run.treePeakRssBytes == 0 ? kNaN : static_cast<double>(run.treePeakRssBytes);
    case LabelsColumn:
        return labelsText(run);
    }
    return {};
}

QVariant HistoryTableModel::statusColor(const RunRecord& run) const
{
    if (run.status == "failed" || run.status == "interrupted")
        return m_tints.color(PaletteTints::Tint::Error);
    if (run.status == "succeeded")
        return m_tints.color(PaletteTints::Tint::Success);
    if (run.status == "cancelled")
        return m_tints.color(PaletteTints::Tint::Muted);
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

QString HistoryTableModel::toolTip(const RunRecord& run, int column) const
{
    switch (column) {
    case IdColumn: {
        QString text = tr("Run %1").arg(run.id);
        const bool inBaseline = std::find(m_baseline.begin(), m_baseline.end(), run.id) != m_baseline.end();
        const bool inCandidate = std::find(m_candidate.begin(), m_candidate.end(), run.id) != m_candidate.end();
        if (inBaseline)
            text += tr(" \u2014 in the baseline");
        if (inCandidate)
            text += tr(" \u2014 in the candidate");
        return text;
    }
    case StartedColumn:
        return tr("%1 local time\n%2 UTC\non %3")
            .arg(startedLocal(run).toString(Qt::ISODate), startedLocal(run).toUTC().toString(Qt::ISODate),
                run.hostname.empty() ? tr("an unknown host") : QString::fromStdString(run.hostname));
    case SpecColumn:
        return run.specFile.empty() ? QString::fromUtf8(columnDescription(column))
                                    : QString::fromStdString(run.specFile.string());
    case DurationColumn:
        return finished(run) ? QString::fromUtf8(columnDescription(column))
                             : tr("Up to the last recorded sample (the run did not finish)");
    case LabelsColumn: {
        if (run.labels.empty())
            return tr("No labels");
        QStringList lines;
        for (const auto& [key, value] : run.labels)
            lines << QString::fromStdString(key) + QLatin1Char('=') + QString::fromStdString(value);
        return lines.join(QLatin1Char('\n'));
    }
    default:
        return QString::fromUtf8(columnDescription(column));
    }
}

QVariant HistoryTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    return tableHeaderData(role, columnTitle(section), columnDescription(section), isNumeric(section));
}

void HistoryTableModel::paletteChanged()
{
    m_tints.invalidate();
    if (!m_runs.empty()) {
        emit dataChanged(
            index(0, IdColumn), index(rowCount() - 1, StatusColumn), {Qt::ForegroundRole, Qt::DecorationRole});
    }
}

} // namespace buildscope
