#include "compare/compareview.h"

#include "compare/compareoptionsbar.h"
#include "compare/comparisonformat.h"
#include "compare/comparisontablemodel.h"
#include "compare/memoryoverlaychart.h"
#include "compare/significantonlyproxy.h"
#include "compare/stepdeltachart.h"
#include "models/jobtracker.h"
#include "models/numericsortproxy.h"
#include "theme/palettetints.h"

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

// Below this many runs on a side the two-sided Mann-Whitney U test cannot reach p < 0.05:
// with 3 + 3 runs its smallest p-value is 2 / C(6, 3) = 0.1.
constexpr std::size_t kRunsForSignificance = 4;

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

// The engine's own small-sample warning names a command-line option; the dashboard says
// the same in its own words (see updateSummary), so that one is left out here.
bool saidInOwnWords(const std::string& warning)
{
    return warning.starts_with("fewer than 4 runs on a side");
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
    m_jobs = new JobTracker(this);

    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("comparisonSummary"));
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont summaryFont = m_summary->font();
    summaryFont.setPointSizeF(summaryFont.pointSizeF() * 1.1);
    m_summary->setFont(summaryFont);
    m_sides = new QLabel;
    m_sides->setObjectName(QStringLiteral("comparisonSides"));
    m_sides->setWordWrap(true);
    m_sides->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details = new QLabel;
    m_details->setObjectName(QStringLiteral("comparisonDetails"));
    m_details->setTextFormat(Qt::RichText);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_options = new CompareOptionsBar;
    m_significantOnly = new QCheckBox(tr("&Significant only"));
    m_significantOnly->setToolTip(tr("Show only regressions and improvements"));
    m_exportButton = new QPushButton(tr("&Export CSV\u2026"));
    m_exportButton->setToolTip(tr("Save the table as CSV: one row per subject and metric, in the same columns as "
                                  "the command line's compare writes"));

    m_table = new QTableView;
    m_table->setModel(m_sort);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    // Regressions first, then unknown rows, then improvements; the model's order (the rows
    // that decide first, then the largest change first) within each.
    m_table->horizontalHeader()->setSortIndicator(ComparisonTableModel::VerdictColumn, Qt::DescendingOrder);
    m_table->setSortingEnabled(true);

    auto* tableBar = new QHBoxLayout;
    tableBar->addWidget(m_options);
    tableBar->addSpacing(12);
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
    layout->addWidget(m_sides);
    layout->addWidget(m_details);
    layout->addSpacing(4);
    layout->addWidget(m_splitter, 1);

    connect(m_significantOnly, &QCheckBox::toggled, m_significant, &SignificantOnlyProxy::setEnabled);
    connect(m_exportButton, &QPushButton::clicked, this, &CompareView::exportWithDialog);
    connect(m_options, &CompareOptionsBar::optionsChanged, this, &CompareView::compare);
}

void CompareView::clear()
{
    m_jobs->cancel();
    m_hasComparison = false;
    m_base.clear();
    m_candidate.clear();
    m_baseName.clear();
    m_candidateName.clear();
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

CompareOptions CompareView::options() const
{
    return m_options->options();
}

void CompareView::setOptions(const CompareOptions& options)
{
    m_options->setOptions(options);
    compare();
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

void CompareView::setRuns(std::vector<LoadedReport> base, std::vector<LoadedReport> candidate, const QString& baseName,
    const QString& candidateName)
{
    m_base.clear();
    m_candidate.clear();
    for (const LoadedReport& run : base)
        m_base.push_back(run.result);
    for (const LoadedReport& run : candidate)
        m_candidate.push_back(run.result);
    m_baseName = baseName;
    m_candidateName = candidateName;
    const int baseRun = medianDurationRun(base);
    const int candidateRun = medianDurationRun(candidate);
    m_memory->setRuns(baseRun < 0 ? nullptr : &base[static_cast<std::size_t>(baseRun)],
        candidateRun < 0 ? nullptr : &candidate[static_cast<std::size_t>(candidateRun)]);
    compare();
}

void CompareView::compare()
{
    if (m_base.empty() || m_candidate.empty()) {
        m_jobs->cancel();
        return;
    }
    // A few dozen rows from each run's results: quick, but statistics and sorting stay off
    // the GUI thread like every other comparison.
    m_jobs->run<Comparison>(
        [base = m_base, candidate = m_candidate, options = options()] { return compareRuns(base, candidate, options); },
        [this](Comparison comparison) { showComparison(std::move(comparison)); });
}

void CompareView::showComparison(Comparison comparison)
{
    m_hasComparison = true;
    m_model->setComparison(comparison);
    m_deltas->setComparison(comparison);
    m_exportButton->setEnabled(true);
    updateSummary();

    m_table->resizeColumnsToContents();
    const int widest = m_table->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 36;
    for (int column = 0; column < ComparisonTableModel::ColumnCount; ++column)
        m_table->setColumnWidth(column, std::min(widest, m_table->columnWidth(column) + 12));
    emit comparisonChanged();
}

QString CompareView::summaryText() const
{
    return QStringList {m_summary->text(), m_sides->text(), m_details->text()}.join(QLatin1Char('\n'));
}

void CompareView::updateSummary()
{
    if (!m_hasComparison) {
        m_summary->setText(tr("No comparison yet"));
        m_sides->setText(tr("Choose a baseline and a candidate in the History panel, then press Compare."));
        m_details->hide();
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
    // The verdict first, in the gate's words, then the counts over every row.
    QString verdict;
    QColor verdictColor = PaletteTints::tint(own, PaletteTints::Tint::Warning);
    switch (comparison.gateVerdict()) {
    case GateVerdict::Fail:
        verdict = tr("Regressed: %1 in what the gate covers")
                      .arg(plural(comparison.gateRegressions(), tr("regression"), tr("regressions")));
        verdictColor = PaletteTints::tint(own, PaletteTints::Tint::Error);
        break;
    case GateVerdict::Pass:
        verdict = tr("Passes: no regression in what the gate covers");
        verdictColor = PaletteTints::tint(own, PaletteTints::Tint::Success);
        break;
    case GateVerdict::CannotTell:
        verdict = comparison.gateRows() == 0 ? tr("Cannot tell: nothing the gate covers was measured on both sides")
                                             : tr("Cannot tell: too few runs for what the gate covers");
        break;
    }
    m_summary->setText(tr("<b>%1</b> \u00b7 %2, %3 \u00b7 %4 vs %5 runs")
                           .arg(colored(verdict, verdictColor), regressionText, improvementText)
                           .arg(comparison.baseRuns)
                           .arg(comparison.candidateRuns));
    QStringList sides;
    if (!m_baseName.isEmpty())
        sides << tr("Baseline: %1.").arg(m_baseName);
    if (!m_candidateName.isEmpty())
        sides << tr("Candidate: %1.").arg(m_candidateName);
    m_sides->setText(sides.join(QLatin1Char(' ')));

    QStringList details;
    const QColor warning = PaletteTints::tint(own, PaletteTints::Tint::Warning);
    details << tr("The gate covers %1 of %2 (%3 rows); the other rows explain. Alpha %4 holds over the whole "
                  "comparison: Benjamini-Hochberg over the rows whose median moved by at least %5 % and the "
                  "metric's own floor.")
                   .arg(names(comparison.gateMetrics), names(comparison.gateKeys))
                   .arg(comparison.gateRows())
                   .arg(comparison.options.alpha)
                   .arg(comparison.options.thresholdPercent)
                   .toHtmlEscaped();
    // The rows that decided, largest first (the comparison's rows come in that order).
    QStringList deciding;
    std::size_t unknown = 0;
    const ComparisonRow* largestUnknown = nullptr;
    for (const ComparisonRow& row : comparison.rows) {
        if (row.verdict == Verdict::Unknown) {
            ++unknown;
            if (!largestUnknown)
                largestUnknown = &row;
        } else if (row.verdict != Verdict::NoChange && deciding.size() < 3) {
            deciding << tr("%1 %2 %3%4 %")
                            .arg(QString::fromStdString(row.subject), ComparisonTableModel::metricTitle(row.metric),
                                row.deltaPercent >= 0 ? QStringLiteral("+") : QString(),
                                QString::number(row.deltaPercent, 'f', 1));
        }
    }
    if (!deciding.isEmpty())
        details << tr("Largest changes: %1").arg(deciding.join(QStringLiteral("; "))).toHtmlEscaped();
    if (unknown > 0 && largestUnknown) {
        details << colored(tr("%1 need at least %2 runs a side to decide; the largest move: %3 %4 %5%6 %")
                               .arg(plural(unknown, tr("row"), tr("rows")))
                               .arg(std::max<std::size_t>(comparison.runsNeeded, kRunsForSignificance))
                               .arg(QString::fromStdString(largestUnknown->subject),
                                   ComparisonTableModel::metricTitle(largestUnknown->metric),
                                   largestUnknown->deltaPercent >= 0 ? QStringLiteral("+") : QString(),
                                   QString::number(largestUnknown->deltaPercent, 'f', 1)),
            warning);
    }
    if (comparison.baseRuns < kRunsForSignificance || comparison.candidateRuns < kRunsForSignificance) {
        details << colored(tr("\u26a0 Fewer than %1 runs on a side (%2 vs %3): no change can reach p < 0.05 with "
                              "so few, so only exact counts can show a verdict. Pick more runs for each side, or "
                              "make more with Run N Times.")
                               .arg(kRunsForSignificance)
                               .arg(comparison.baseRuns)
                               .arg(comparison.candidateRuns),
            warning);
    }
    for (const std::string& text : comparison.warnings) {
        if (!saidInOwnWords(text))
            details << colored(QStringLiteral("\u26a0 ") + QString::fromStdString(text), warning);
    }
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
