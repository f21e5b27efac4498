#pragma once

#include "charts/qcustomplotinclude.h"
#include "theme/chartpalette.h"
#include "trends/trendseries.h"

#include <QString>
#include <vector>

namespace buildscope {

// One series of history trends: a key's metric for every successful run, oldest commit on
// the left (one point per run, so a commit run five times is five points side by side),
// each segment's median as a level line, and each change point as a dashed line between
// the last run before it and the first after, labelled with its size and p (red: the
// figure grew; green: it shrank). Hovering a point names its run and commit; clicking a
// change's line emits changeClicked (the view opens Compare on the two segments).
class TrendChart : public QCustomPlot
{
    Q_OBJECT

public:
    explicit TrendChart(QWidget* parent = nullptr);
    ~TrendChart() override;

    void setSeries(const TrendSeries& series);
    void clearSeries();
    const TrendSeries& series() const noexcept { return m_series; }
    // Emphasises one change (a row picked in the table); -1: none.
    void setHighlightedChange(int change);

    // What is drawn, for tests: the points, the change at a pixel (-1: none; within a few
    // pixels of its line), the text of a change's label, the segments' median levels.
    QCPGraph* pointsGraph() const noexcept { return m_points; }
    int changeAt(const QPointF& pixel) const;
    int pointAt(const QPointF& pixel) const;
    QString changeLabel(int change) const;
    std::vector<double> segmentLevels() const;
    // "run 42 · 4f3a9c1 · 2026-11-30 14:05 · 412.3 MiB"
    QString pointText(int point) const;

signals:
    void changeClicked(int change);

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuild();
    void restyle();
    void showTooltip(QMouseEvent* event);
    QString valueText(double value) const;

    TrendSeries m_series;
    QCPGraph* m_points = nullptr;
    QCPTextElement* m_title = nullptr;
    QCPItemText* m_empty = nullptr;
    std::vector<QCPItemStraightLine*> m_changeLines;
    std::vector<QCPItemText*> m_changeLabels;
    std::vector<QCPItemLine*> m_levels;
    std::vector<double> m_levelValues;
    int m_highlighted = -1;
    ChartPalette m_palette;
};

// The run ids either side of a change, as its segments reach (for Compare).
struct ChangeSides
{
    std::vector<std::int64_t> before;
    std::vector<std::int64_t> after;
};
ChangeSides changeSides(const TrendSeries& series, std::size_t change);

} // namespace buildscope
