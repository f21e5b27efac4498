#pragma once

#include "run/processrecord.h"

#include <QWidget>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

class QLabel;
class QLineEdit;
class QTableView;

namespace buildscope {

class FilterDebouncer;
class ProcessFilterProxy;
class ProcessTableModel;

// The Processes dock: every process of the build the ledger recorded, hungriest first
// (sortable by any column), a filter box (debounced) over command and step, and a line
// saying how many are shown and what the peaks are. Selecting a row tells the charts
// which process to outline (processSelected); selectProcess() does the reverse when a
// bar is clicked on the timeline.
class ProcessPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ProcessPanel(QWidget* parent = nullptr);

    // The whole list, when it grew (RunUpdate::processes); nullptr or empty clears it.
    void setProcesses(std::shared_ptr<const std::vector<ProcessRecord>> processes);
    void clear();
    // How many processes run now (live): said in the summary, as they are not rows yet.
    void setRunningCount(std::size_t running);
    // Selects and shows the row of a process (its pid and start identify it).
    void selectProcess(pid_t pid, double startSeconds);
    void focusFilter();

    ProcessTableModel* model() const noexcept { return m_model; }
    ProcessFilterProxy* proxy() const noexcept { return m_proxy; }
    FilterDebouncer* debouncer() const noexcept { return m_debouncer; }
    QTableView* view() const noexcept { return m_view; }
    QLineEdit* filterEdit() const noexcept { return m_filter; }
    QLabel* summaryLabel() const noexcept { return m_summary; }

signals:
    // The selected process (pid, start on the run's clock), or nothing.
    void processSelected(std::optional<std::pair<pid_t, double>> process);

private:
    void updateSummary();
    void emitSelection();

    ProcessTableModel* m_model;
    ProcessFilterProxy* m_proxy;
    FilterDebouncer* m_debouncer;
    QLineEdit* m_filter;
    QLabel* m_summary;
    QTableView* m_view;
    bool m_sortedOnce = false;
    std::size_t m_running = 0;
};

} // namespace buildscope
