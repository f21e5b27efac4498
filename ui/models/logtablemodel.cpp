#include "models/logtablemodel.h"

#include <algorithm>
#include <cmath>

namespace buildscope {

namespace {

// Messages can be up to BuildLog::kMaxLineBytes; a tooltip that tall is no help.
constexpr qsizetype kMaxToolTipChars = 2000;

} // namespace

LogTableModel::LogTableModel(QObject* parent)
    : LogTableModel(kDefaultMaxRows, parent)
{ }

LogTableModel::LogTableModel(int maxRows, QObject* parent)
    : ColumnTableModel(parent)
    , m_maxRows(std::max(1, maxRows))
{
    setColumns({
        ColumnSpec(
            tr("Time"), tr("Time since the run started"), [](const LogRow& r) { return formatLogTime(r.seconds); })
            .withUnit(tr("minutes:seconds.milliseconds"))
            .withSortKey([](const LogRow& r) { return r.seconds; })
            .alignedAsNumber(),
        ColumnSpec(tr("Level"), tr("Severity: debug, info, warning or error"),
            [](const LogRow& r) { return QString::fromLatin1(logLevelName(r.level)); })
            .withSortKey([](const LogRow& r) { return static_cast<int>(r.level); }),
        ColumnSpec(tr("Step"), tr("Step that printed the line; empty for engine messages outside a step"),
            [this](const LogRow& r) { return m_stepNames.at(r.step); }),
        ColumnSpec(tr("Stream"), tr("engine (BuildScope's own messages), stdout or stderr of the step's processes"),
            [](const LogRow& r) { return QString::fromLatin1(logStreamName(r.stream)); }),
        ColumnSpec(tr("Message"), tr("One line of output"), [](const LogRow& r) { return r.text; })
            .withToolTip([](const LogRow& r) {
                return r.text.size() > kMaxToolTipChars ? r.text.left(kMaxToolTipChars) + QChar(0x2026) : r.text;
            }),
    });
    Q_ASSERT(columns().size() == ColumnCount);
}

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
        LogRow row;
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
    std::deque<LogRow>().swap(m_rows); // give the blocks back, not just the elements
    m_stepNames.clear();
    m_stepIndex.clear();
    endResetModel();
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

QVariant LogTableModel::cellData(const LogRow& row, int, int role) const
{
    if (role != Qt::ForegroundRole)
        return {};
    // The whole line takes its level's colour, as a terminal would print it.
    switch (row.level) {
    case LogLevel::Error:
        return tints().color(PaletteTints::Tint::Error);
    case LogLevel::Warning:
        return tints().color(PaletteTints::Tint::Warning);
    case LogLevel::Debug:
        return tints().color(PaletteTints::Tint::Muted);
    case LogLevel::Info:
        break;
    }
    return {}; // the view's own text colour
}

} // namespace buildscope
