#pragma once

#include "run/logentry.h"

#include <QWidget>
#include <vector>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QTableView;

namespace buildscope {

class FilterDebouncer;
class LogFilterProxy;
class LogTableModel;

// The Log dock: the build's lines oldest first, in the order they arrived (never sorted,
// so lines printed in the same millisecond keep their order), a filter box (debounced), a
// minimum level and Follow. While Follow is on, the newest line stays in view as lines
// arrive; scrolling up turns it off, scrolling back to the bottom turns it on again.
class LogPanel : public QWidget
{
    Q_OBJECT

public:
    explicit LogPanel(QWidget* parent = nullptr);

    void appendEntries(const std::vector<LogEntry>& entries);
    void clear();

    bool follows() const;
    void setFollow(bool follow);
    // Focuses the filter box with its text selected (Edit > Find).
    void focusFilter();

    LogTableModel* model() const noexcept { return m_model; }
    LogFilterProxy* proxy() const noexcept { return m_proxy; }
    FilterDebouncer* debouncer() const noexcept { return m_debouncer; }
    QTableView* view() const noexcept { return m_view; }
    QLineEdit* filterEdit() const noexcept { return m_filter; }
    QComboBox* levelCombo() const noexcept { return m_level; }
    QCheckBox* followBox() const noexcept { return m_follow; }

public slots:
    void paletteChanged();

private:
    void scrollToNewest();

    LogTableModel* m_model;
    LogFilterProxy* m_proxy;
    FilterDebouncer* m_debouncer;
    QLineEdit* m_filter;
    QComboBox* m_level;
    QCheckBox* m_follow;
    QTableView* m_view;
};

} // namespace buildscope
