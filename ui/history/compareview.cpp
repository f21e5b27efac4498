#include "history/compareview.h"

#include "compare/comparisonformat.h"
#include "history/comparisontablemodel.h"
#include "history/memoryoverlaychart.h"
#include "history/significantonlyproxy.h"
#include "history/stepdeltachart.h"
#include "models/numericsortproxy.h"
#include "models/palettetints.h"

#include <QCheckBox>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <numeric>
#include <sstream>

namespace buildscope {

namespace {

QString plural(std::size_t count, const QString& one, const QString& many)
{
    return QStringLiteral("%1 %2").arg(count).arg(count == 1 ? one : many);
}

QString names(const std::vector<std::string>& steps)
{
    QStringList list;
    for (const std::string& step : steps)
        list << QString::fromStdString(step);
    return list.join(QStringLiteral(", "));
}

QString colored(const QString& text, const QColor& color)
{
    return QStringLiteral("<span style=\"color:%1\">%2</span>").arg(color.name(), text.toHtmlEscaped());
}

} // namespace

CompareView::CompareView(QWidget* parent)
    : QWidget(parent)
{
    buildUi();
    clear();
}

CompareView::~CompareView() = default;

void CompareView::buildUi()
{
    m_model = new ComparisonTableModel(this);
    m_significant = new SignificantOnlyProxy(this);
    m_significant->setSourceModel(m_model);
    m_sort = new NumericSortProxy(this);
    m_sort->setSourceModel(m_significant);

    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("comparisonSummary"));
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont summaryFont = m_summary->font();
    summaryFont.setPointSizeF(summaryFont.pointSizeF() * 1.1);
    m_summary->setFont(summaryFont);
    m_details = new QLabel;
    m_details->setObjectName(QStringLiteral("comparisonDetails"));
    m_details->setTextFormat(Qt::RichText);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_significantOnly = new QCheckBox(tr("&Significant only"));
    m_significantOnly->setToolTip(tr("Show only regressions and improvements"));
    m_exportButton = new QPushButton(tr("&Export CSV\u2026"));
    m_exportButton->setToolTip(tr("Save the table as CSV, as `buildscope compare --csv` writes it"));

    m_table = new QTableView;
    m_table->setModel(m_sort);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    // Regressions first, then improvements; the model's order (steps as they ran) within each.
    m_table->horizontalHeader()->setSortIndicator(ComparisonTableModel::VerdictColumn, Qt::DescendingOrder);
    m_table->setSortingEnabled(true);

    auto* tableBar = new QHBoxLayout;
    tableBar->addWidget(m_significantOnly);
    tableBar->addStretch(1);
    tableBar->addWidget(m_exportButton);
    auto* tablePane = new QWidget;
    auto* tableLayout = new QVBoxLayout(tablePane);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->setSpacing(4);
    tableLayout->addLayout(tableBar);
    tableLayout->addWidget(m_table, 1);

    m_memory = new MemoryOverlayChart;
    m_memory->setMinimumHeight(200);
    m_deltas = new StepDeltaChart;
    m_deltas->setMinimumHeight(200);
    auto* charts = new QSplitter(Qt::Horizontal);
    charts->setChildrenCollapsible(false);
    charts->addWidget(m_memory);
    charts->addWidget(m_deltas);
    charts->setStretchFactor(0, 3);
    charts->setStretchFactor(1, 2);

    m_splitter = new QSplitter(Qt::Vertical);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(tablePane);
    m_splitter->addWidget(charts);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    // Stretch factors only share out space beyond the size hints, and a table's hint is
    // tall: start at 45 / 55, scaled to the real height on the first layout.
    m_splitter->setSizes({450, 550});

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(4);
    layout->addWidget(m_summary);
    layout->addWidget(m_details);
    layout->addSpacing(4);
    layout->addWidget(m_splitter, 1);

    connect(m_significantOnly, &QCheckBox::toggled, m_significant, &SignificantOnlyProxy::setEnabled);
    connect(m_exportButton, &QPushButton::clicked, this, &CompareView::exportWithDialog);
}

void CompareView::clear()
{
    m_hasComparison = false;
    m_model->setComparison({});
    m_memory->clearRuns();
    m_deltas->setComparison({});
    m_exportButton->setEnabled(false);
    updateSummary();
}

const Comparison& CompareView::comparison() const
{
    return m_model->comparison();
}

int CompareView::medianDurationRun(const std::vector<LoadedReport>& runs)
{
    if (runs.empty())
        return -1;
    std::vector<int> order(runs.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&runs](int a, int b) {
        return runs[static_cast<std::size_t>(a)].result.durationSeconds()
            < runs[static_cast<std::size_t>(b)].result.durationSeconds();
    });
    return order[(order.size() - 1) / 2];
}

void CompareView::showComparison(
    const Comparison& comparison, const std::vector<LoadedReport>& base, const std::vector<LoadedReport>& candidate)
{
    m_hasComparison = true;
    m_model->setComparison(comparison);
    const int baseRun = medianDurationRun(base);
    const int candidateRun = medianDurationRun(candidate);
    m_memory->setRuns(baseRun < 0 ? nullptr : &base[static_cast<std::size_t>(baseRun)],
        candidateRun < 0 ? nullptr : &candidate[static_cast<std::size_t>(candidateRun)]);
    m_deltas->setComparison(comparison);
    m_exportButton->setEnabled(true);
    updateSummary();

    m_table->resizeColumnsToContents();
    const int widest = m_table->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 36;
    for (int column = 0; column < ComparisonTableModel::ColumnCount; ++column)
        m_table->setColumnWidth(column, std::min(widest, m_table->columnWidth(column) + 12));
}

QString CompareView::summaryText() const
{
    return QStringList {m_summary->text(), m_details->text()}.join(QLatin1Char('\n'));
}

void CompareView::updateSummary()
{
    if (!m_hasComparison) {
        m_summary->setText(tr("No comparison yet"));
        m_details->setText(tr("Choose a baseline and a candidate in the run history, then press Compare."));
        m_details->show();
        return;
    }
    const Comparison& comparison = m_model->comparison();
    const QPalette own = palette();
    const std::size_t regressions = comparison.regressions();
    const std::size_t improvements = comparison.improvements();
    QString regressionText = plural(regressions, tr("regression"), tr("regressions"));
    QString improvementText = plural(improvements, tr("improvement"), tr("improvements"));
    regressionText = regressions > 0
        ? QStringLiteral("<b>%1</b>").arg(colored(regressionText, PaletteTints::tint(own, PaletteTints::Tint::Error)))
        : regressionText.toHtmlEscaped();
    improvementText = improvements > 0
        ? QStringLiteral("<b>%1</b>")
              .arg(colored(improvementText, PaletteTints::tint(own, PaletteTints::Tint::Success)))
        : improvementText.toHtmlEscaped();
    m_summary->setText(tr("%1, %2; %3 vs %4 runs; alpha %5, threshold %6%")
                           .arg(regressionText, improvementText)
                           .arg(comparison.baseRuns)
                           .arg(comparison.candidateRuns)
                           .arg(comparison.options.alpha)
                           .arg(comparison.options.thresholdPercent));

    QStringList details;
    const QColor warning = PaletteTints::tint(own, PaletteTints::Tint::Warning);
    for (const std::string& text : comparison.warnings)
        details << colored(QStringLiteral("\u26a0 ") + QString::fromStdString(text), warning);
    QStringList oneSided;
    if (!comparison.onlyInBase.empty())
        oneSided << tr("steps only in the baseline: %1").arg(names(comparison.onlyInBase)).toHtmlEscaped();
    if (!comparison.onlyInCandidate.empty())
        oneSided << tr("steps only in the candidate: %1").arg(names(comparison.onlyInCandidate)).toHtmlEscaped();
    if (!oneSided.isEmpty())
        details << oneSided.join(QStringLiteral("; "));
    m_details->setText(details.join(QStringLiteral("<br>")));
    m_details->setVisible(!details.isEmpty());
}

bool CompareView::exportCsv(const QString& file, QString* error) const
{
    std::ostringstream out;
    writeComparisonCsv(m_model->comparison(), out);
    const std::string text = out.str();
    QSaveFile saved(file);
    const auto fail = [&](const QString& why) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(file, why);
        return false;
    };
    if (!saved.open(QIODevice::WriteOnly))
        return fail(saved.errorString());
    if (saved.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size()))
        return fail(saved.errorString());
    if (!saved.commit())
        return fail(saved.errorString());
    return true;
}

void CompareView::exportWithDialog()
{
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export Comparison"), QStringLiteral("comparison.csv"), tr("CSV files (*.csv);;All files (*)"));
    if (file.isEmpty())
        return;
    QString error;
    exportCsv(file, &error);
    emit exported(file, error);
    if (!error.isEmpty()) {
        m_details->setText(colored(error, PaletteTints::tint(palette(), PaletteTints::Tint::Error)));
        m_details->show();
    }
}

void CompareView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        m_model->paletteChanged();
        updateSummary();
    }
}

} // namespace buildscope
