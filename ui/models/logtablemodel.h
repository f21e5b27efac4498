#pragma once

#include "run/buildlog.h"
#include "models/modelroles.h"
#include "models/palettetints.h"

#include <QAbstractTableModel>
#include <QList>
#include <QString>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

namespace buildscope {

// The build log as a table of at most maxRows lines, newest last. Batches arrive on a
// timer (from BuildLog::copySince); each batch is one insert and, once the bound is
// reached, one removal of the oldest lines, so a build printing millions of lines
// costs the view two signals per tick and the model a bounded amount of memory.
class LogTableModel : public QAbstractTableModel
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

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "1:05.250" (minutes:seconds.milliseconds) or "1:02:03.456" past an hour.
    static QString formatLogTime(double seconds);

public slots:
    // Call on QEvent::PaletteChange/ApplicationPaletteChange: level colours follow the palette.
    void paletteChanged();

private:
    // Compact: the step name is interned (a build has a handful of steps, the log many lines).
    struct Row
    {
        QString text;
        double seconds = 0;
        std::uint32_t step = 0; // index into m_stepNames
        LogLevel level = LogLevel::Info;
        LogStream stream = LogStream::Engine;
    };

    std::uint32_t internStep(const std::string& step);
    QVariant levelColor(LogLevel level) const;

    int m_maxRows;
    std::deque<Row> m_rows;
    QList<QString> m_stepNames;
    std::unordered_map<std::string, std::uint32_t> m_stepIndex; // keyed like LogEntry: no QString per line
    mutable PaletteTints m_tints;
};

} // namespace buildscope
