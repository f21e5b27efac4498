#pragma once

#include "compare/runcomparison.h"
#include "history/verdictcolors.h"
#include "models/modelroles.h"

#include <QAbstractTableModel>
#include <QColor>

namespace buildscope {

// The rows of a comparison (compareRuns()), one per subject and metric, formatted as
// `buildscope compare` prints them (formatMetricValue). A regression's row is tinted red,
// an improvement's green (VerdictColors). setComparison() resets the model: a comparison
// is replaced whole and rarely.
class ComparisonTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        SubjectColumn,
        MetricColumn,
        BaseColumn,
        CandidateColumn,
        DeltaColumn,
        PValueColumn,
        RunsColumn,
        VerdictColumn,
        ColumnCount
    };
    enum Roles
    {
        SortRole = kSortRole, // raw value: double (NaN when unknown) or string; Verdict: 2 regression, 1 improvement, 0
        VerdictRole // int (Verdict), on any column
    };

    explicit ComparisonTableModel(QObject* parent = nullptr);

    void setComparison(const Comparison& comparison);
    const Comparison& comparison() const noexcept { return m_comparison; }
    const ComparisonRow& row(int row) const { return m_comparison.rows[static_cast<std::size_t>(row)]; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "peak RSS" for "peak_rss_bytes": the table's wording; CSV and CLI keep the raw names.
    static QString metricTitle(const std::string& metric);

public slots:
    // Call on QEvent::PaletteChange/ApplicationPaletteChange: the tints follow the palette.
    void paletteChanged();

private:
    QVariant displayText(const ComparisonRow& row, int column) const;
    QVariant sortValue(const ComparisonRow& row, int column) const;
    QString toolTip(const ComparisonRow& row, int column) const;
    const VerdictColors& colors(Verdict verdict) const;

    Comparison m_comparison;
    // Cached per palette (Text and Base), as PaletteTints does: data() runs per painted cell.
    mutable bool m_colorsValid = false;
    mutable QColor m_text;
    mutable QColor m_base;
    mutable VerdictColors m_colors[3];
};

} // namespace buildscope
