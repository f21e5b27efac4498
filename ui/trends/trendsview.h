#pragma once

#include "compare/changepoints.h"
#include "trends/trendseries.h"

#include <QWidget>
#include <cstdint>
#include <filesystem>
#include <vector>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace buildscope {

class ChangeTableModel;
class JobTracker;
class NumericSortProxy;
class TrendChart;

// The Trends tab: a spec's history over commits. Pick a key (a step, a command, the whole
// run) and a metric: the chart draws every successful run in commit order with its change
// points (core/trends, the same as `buildscope history changes`); the table below lists
// every change of the spec in that metric, largest first. Picking a change shows its series with the
// change emphasised; clicking a change on the chart (or double-clicking its row) asks for
// a comparison of the runs either side (compareRequested), which the window opens in the
// Compare tab. The store is read on a pool thread (JobTracker): the view never waits.
class TrendsView : public QWidget
{
    Q_OBJECT

public:
    explicit TrendsView(QWidget* parent = nullptr);
    ~TrendsView() override;

    // The history store to read; an empty path: none (the view says so). Read when the view
    // is shown, not before: a store of 10,000 runs takes a second or two.
    void setStore(const std::filesystem::path& file);
    // Reads the store again (keeps the chosen spec, key and metric where they still exist).
    void refresh();
    // New runs were stored: read again now if shown, else when next shown.
    void markStale();
    void setOptions(const ChangePointOptions& options);

    // Selects what the chart shows; false if the history has no such series.
    bool showSeries(const QString& spec, const QString& key, const QString& metric);
    void selectChange(int row); // a row of changeModel(), in its order

    const std::vector<TrendSeries>& trends() const noexcept { return m_trends; }
    TrendChart* chart() const noexcept { return m_chart; }
    ChangeTableModel* changeModel() const noexcept { return m_changes; }
    QTableView* changeTable() const noexcept { return m_table; }
    QComboBox* specBox() const noexcept { return m_spec; }
    QComboBox* keyBox() const noexcept { return m_key; }
    QComboBox* metricBox() const noexcept { return m_metric; }
    QLabel* summaryLabel() const noexcept { return m_summary; }
    bool isLoading() const noexcept { return m_loading; }

signals:
    void compareRequested(std::vector<std::int64_t> base, std::vector<std::int64_t> candidate);
    void loaded(); // a refresh finished (its result is shown, or its error)

protected:
    void showEvent(QShowEvent* event) override;

private:
    struct Loaded
    {
        std::vector<TrendSeries> trends;
        std::string error;
    };

    void showLoaded(Loaded result);
    void fillSpecs();
    void fillKeysAndMetrics();
    void fillChanges();
    void showChosen();
    void requestCompare(const TrendSeries& series, std::size_t change);
    const TrendSeries* chosenSeries() const;

    std::filesystem::path m_store;
    ChangePointOptions m_options;
    std::vector<TrendSeries> m_trends;
    JobTracker* m_jobs;
    bool m_loading = false;
    bool m_stale = true; // the store changed since it was last read
    bool m_filling = false; // combos being refilled: their signals are ours

    QComboBox* m_spec;
    QComboBox* m_key;
    QComboBox* m_metric;
    QPushButton* m_refresh;
    QLabel* m_summary;
    TrendChart* m_chart;
    ChangeTableModel* m_changes;
    NumericSortProxy* m_proxy;
    QTableView* m_table;
};

} // namespace buildscope
