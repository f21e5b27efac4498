#pragma once

#include "models/columntablemodel.h"
#include "models/logrow.h"
#include "run/logentry.h"

#include <QList>
#include <QString>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

namespace buildscope {

// The build log as a table of at most maxRows lines, oldest first, in the order the lines
// arrived (lines printed in the same millisecond keep that order). Batches arrive on a
// timer (from BuildLog::copySince); each batch is one insert and, once the bound is
// reached, one removal of the oldest lines, so a build printing millions of lines costs
// the view two signals per tick and the model a bounded amount of memory.
class LogTableModel : public ColumnTableModel<LogRow>
{
    Q_OBJECT

public:
    static constexpr int kDefaultMaxRows = 50000;

    enum Column
    {
        TimeColumn,
        LevelColumn,
        StepColumn,
        StreamColumn,
        MessageColumn,
        ColumnCount
    };
    enum Roles
    {
        SortRole = kSortRole // Time: seconds (double); Level: LogLevel as int; others: the text
    };

    explicit LogTableModel(QObject* parent = nullptr);
    explicit LogTableModel(int maxRows, QObject* parent = nullptr);

    int maxRows() const { return m_maxRows; }

    // Appends a batch, oldest first. Batches larger than maxRows keep their newest maxRows lines.
    void appendEntries(const std::vector<LogEntry>& entries);
    void clear();

    // "1:05.250" (minutes:seconds.milliseconds) or "1:02:03.456" past an hour.
    static QString formatLogTime(double seconds);

protected:
    int rowTotal() const override { return static_cast<int>(m_rows.size()); }
    const LogRow& rowAt(int row) const override { return m_rows[static_cast<std::size_t>(row)]; }
    QVariant cellData(const LogRow& row, int column, int role) const override;

private:
    std::uint32_t internStep(const std::string& step);

    int m_maxRows;
    std::deque<LogRow> m_rows;
    QList<QString> m_stepNames;
    std::unordered_map<std::string, std::uint32_t> m_stepIndex; // keyed like LogEntry: no QString per line
};

} // namespace buildscope
