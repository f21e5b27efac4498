#include "models/logtablemodel.h"

#include "models/tableheader.h"

#include <algorithm>
#include <cmath>

namespace buildscope {

namespace {

// Messages can be up to BuildLog::kMaxLineBytes; a tooltip that tall is no help.
constexpr qsizetype kMaxToolTipChars = 2000;

const char* columnTitle(int column)
{
    switch (column) {
    case LogTableModel::TimeColumn:
        return "Time";
    case LogTableModel::LevelColumn:
        return "Level";
    case LogTableModel::StepColumn:
        return "Step";
    case LogTableModel::StreamColumn:
        return "Stream";
    case LogTableModel::MessageColumn:
        return "Message";
    }
    return "";
}

const char* columnDescription(int column)
{
    switch (column) {
    case LogTableModel::TimeColumn:
        return "Time since the run started (minutes:seconds.milliseconds)";
    case LogTableModel::LevelColumn:
        return "Severity: debug, info, warning or error";
    case LogTableModel::StepColumn:
        return "Step that printed the line; empty for engine messages outside a step";
    case LogTableModel::StreamColumn:
        return "engine (BuildScope's own messages), stdout or stderr of the step's processes";
    case LogTableModel::MessageColumn:
        return "One line of output";
    }
    return "";
}

} // namespace

LogTableModel::LogTableModel(QObject* parent)
    : LogTableModel(kDefaultMaxRows, parent)
{ }

LogTableModel::LogTableModel(int maxRows, QObject* parent)
    : QAbstractTableModel(parent)
    , m_maxRows(std::max(1, maxRows))
{ }

std::uint32_t LogTableModel::internStep(const std::string& step)
{
    const auto it = m_stepIndex.find(step);
    if (it != m_stepIndex.end())
        return it->second;
    const auto index = static_cast<std::uint32_t>(m_stepNames.size());
    m_stepNames.append(QString::fromStdString(step));
    m_stepIndex.emplace(step, index);
    return index;
}

void LogTableModel::appendEntries(const std::vector<LogEntry>& entries)
{
    if (entries.empty())
        return;
    const auto maxRows = static_cast<std::size_t>(m_maxRows);
    const std::size_t incoming = std::min(entries.size(), maxRows);
    const std::size_t total = m_rows.size() + incoming;
    if (total > maxRows) {
        const std::size_t drop = total - maxRows; // never more than m_rows holds
        beginRemoveRows({}, 0, static_cast<int>(drop) - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + static_cast<std::ptrdiff_t>(drop));
        endRemoveRows();
    }
    const int first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + static_cast<int>(incoming) - 1);
    for (auto it = entries.end() - static_cast<std::ptrdiff_t>(incoming); it != entries.end(); ++it) {
        Row row;
        row.text = QString::fromStdString(it->text);
        row.seconds = it->seconds;
        row.step = internStep(it->step);
        row.level = it->level;
        row.stream = it->stream;
        m_rows.push_back(std::move(row));
    }
    endInsertRows();
}

void LogTableModel::clear()
{
    beginResetModel();
    std::deque<Row>().swap(m_rows); // give the blocks back, not just the elements
    m_stepNames.clear();
    m_stepIndex.clear();
    endResetModel();
}

int LogTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int LogTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString LogTableModel::formatLogTime(double seconds)
{
    const long long totalMs = std::llround(std::max(0.0, seconds) * 1000.0);
    const long long ms = totalMs % 1000;
    const long long totalSeconds = totalMs / 1000;
    const long long secs = totalSeconds % 60;
    const long long minutes = totalSeconds / 60 % 60;
    const long long hours = totalSeconds / 3600;
    if (hours > 0)
        return QString::asprintf("%lld:%02lld:%02lld.%03lld", hours, minutes, secs, ms);
    return QString::asprintf("%lld:%02lld.%03lld", minutes, secs, ms);
}

QVariant LogTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[static_cast<std::size_t>(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case TimeColumn:
            return formatLogTime(row.seconds);
        case LevelColumn:
            return QString::fromLatin1(logLevelName(row.level));
        case StepColumn:
            return m_stepNames.at(row.step);
        case StreamColumn:
            return QString::fromLatin1(logStreamName(row.stream));
        case MessageColumn:
            return row.text;
        }
        return {};
    case SortRole:
        switch (column) {
        case TimeColumn:
            return row.seconds;
        case LevelColumn:
            return static_cast<int>(row.level);
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::ToolTipRole:
        if (column == MessageColumn && !row.text.isEmpty())
            return row.text.size() > kMaxToolTipChars ? row.text.left(kMaxToolTipChars) + QChar(0x2026) : row.text;
        return QString::fromUtf8(columnDescription(column));
    case Qt::ForegroundRole:
        return levelColor(row.level);
    case Qt::TextAlignmentRole:
        if (column == TimeColumn)
            return Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter).toInt();
        return {};
    default:
        return {};
    }
}

QVariant LogTableModel::levelColor(LogLevel level) const
{
    switch (level) {
    case LogLevel::Error:
        return m_tints.color(PaletteTints::Tint::Error);
    case LogLevel::Warning:
        return m_tints.color(PaletteTints::Tint::Warning);
    case LogLevel::Debug:
        return m_tints.color(PaletteTints::Tint::Muted);
    case LogLevel::Info:
        break;
    }
    return {}; // the view's own text colour
}

QVariant LogTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    return tableHeaderData(role, columnTitle(section), columnDescription(section), false);
}

void LogTableModel::paletteChanged()
{
    m_tints.invalidate();
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::ForegroundRole});
}

} // namespace buildscope
