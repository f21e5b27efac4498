#pragma once

#include "compare/runcomparison.h"
#include "compare/verdictcolors.h"
#include "models/columntablemodel.h"

#include <QColor>

namespace buildscope {

// The rows of a comparison (compareRuns()), one per subject and metric, formatted as
// `buildscope compare` prints them (formatMetricValue). A regression's row is tinted red,
// an improvement's green (VerdictColors). setComparison() resets the model: a comparison
// is replaced whole and rarely.
class ComparisonTableModel : public ColumnTableModel<ComparisonRow>
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

    // "peak RSS" for "peak_rss_bytes": the table's wording; CSV and CLI keep the raw names.
    static QString metricTitle(const std::string& metric);

protected:
    int rowTotal() const override { return static_cast<int>(m_comparison.rows.size()); }
    const ComparisonRow& rowAt(int i) const override { return m_comparison.rows[static_cast<std::size_t>(i)]; }
    QVariant cellData(const ComparisonRow& row, int column, int role) const override;

private:
    const VerdictColors& colors(Verdict verdict) const;

    Comparison m_comparison;
    // Cached per palette (Text and Base), as PaletteTints does: data() runs per painted cell.
    mutable bool m_colorsValid = false;
    mutable QColor m_text;
    mutable QColor m_base;
    mutable VerdictColors m_colors[4]; // by Verdict
};

} // namespace buildscope
