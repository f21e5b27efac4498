#include "trends/trendsview.h"

#include "history/runhistory.h"
#include "models/jobtracker.h"
#include "models/numericsortproxy.h"
#include "trends/changetablemodel.h"
#include "trends/historychanges.h"
#include "trends/trendchart.h"

#include <QComboBox>
#include <QCompleter>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <set>

namespace buildscope {

TrendsView::TrendsView(QWidget* parent)
    : QWidget(parent)
    , m_jobs(new JobTracker(this))
    , m_spec(new QComboBox(this))
    , m_key(new QComboBox(this))
    , m_metric(new QComboBox(this))
    , m_refresh(new QPushButton(tr("Refresh"), this))
    , m_summary(new QLabel(this))
    , m_chart(new TrendChart(this))
    , m_changes(new ChangeTableModel(this))
    , m_proxy(new NumericSortProxy(this))
    , m_table(new QTableView(this))
{
    m_spec->setToolTip(tr("The spec (or command) whose stored runs are shown"));
    m_spec->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    // A build has hundreds of commands: the key box is searchable by any part of the name.
    m_key->setEditable(true);
    m_key->setInsertPolicy(QComboBox::NoInsert);
    m_key->completer()->setFilterMode(Qt::MatchContains);
    m_key->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_key->setMinimumContentsLength(40);
    m_key->setToolTip(tr("A step (step/NAME), a command of the build (process/KEY) or the whole run"));
    m_metric->setToolTip(tr("The figure over time, as `buildscope compare` names it"));
    m_metric->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_refresh->setToolTip(tr("Read the run history again"));

    m_proxy->setSourceModel(m_changes);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ChangeTableModel::ChangeColumn, Qt::DescendingOrder);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(ChangeTableModel::KeyColumn, m_table->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 48);
    m_table->setToolTip(tr("Double-click a change to compare the runs before it with the runs after it"));

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Spec:"), this));
    bar->addWidget(m_spec);
    bar->addWidget(new QLabel(tr("Key:"), this));
    bar->addWidget(m_key, 1);
    bar->addWidget(new QLabel(tr("Metric:"), this));
    bar->addWidget(m_metric);
    bar->addWidget(m_refresh);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_chart);
    splitter->addWidget(m_table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    m_chart->setMinimumHeight(240);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);

    connect(m_refresh, &QPushButton::clicked, this, &TrendsView::refresh);
    connect(m_spec, &QComboBox::currentIndexChanged, this, [this] {
        if (m_filling)
            return;
        fillKeysAndMetrics();
        showChosen();
    });
    connect(m_key, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_filling)
            showChosen();
    });
    connect(m_metric, &QComboBox::currentIndexChanged, this, [this] {
        if (m_filling)
            return;
        fillChanges();
        showChosen();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            if (current.isValid())
                selectChange(current.row());
        });
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const ChangeRow& row = m_changes->changes()[static_cast<std::size_t>(m_proxy->mapToSource(index).row())];
        requestCompare(m_trends[row.series], row.change);
    });
    connect(m_chart, &TrendChart::changeClicked, this, [this](int change) {
        if (const TrendSeries* series = chosenSeries())
            requestCompare(*series, static_cast<std::size_t>(change));
    });
    m_summary->setText(tr("No run history"));
}

TrendsView::~TrendsView() = default;

void TrendsView::setStore(const std::filesystem::path& file)
{
    m_store = file;
    markStale();
}

void TrendsView::markStale()
{
    m_stale = true;
    if (isVisible())
        refresh();
}

void TrendsView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refresh();
}

void TrendsView::setOptions(const ChangePointOptions& options)
{
    m_options = options;
    refresh();
}

void TrendsView::refresh()
{
    m_stale = false;
    if (m_store.empty()) {
        showLoaded({{}, {}});
        m_summary->setText(tr("No run history: choose a store in Preferences"));
        return;
    }
    m_loading = true;
    m_refresh->setEnabled(false);
    m_summary->setText(tr("Reading the run history…"));
    const std::filesystem::path file = m_store;
    const ChangePointOptions options = m_options;
    m_jobs->run<Loaded>(
        [file, options] {
            Loaded loaded;
            try {
                const RunHistory history(file);
                loaded.trends = findHistoryChanges(history, TrendQuery {}, options);
            } catch (const std::exception& failure) {
                loaded.error = failure.what();
            }
            return loaded;
        },
        [this](Loaded loaded) { showLoaded(std::move(loaded)); });
}

void TrendsView::showLoaded(Loaded result)
{
    m_loading = false;
    m_refresh->setEnabled(true);
    m_trends = std::move(result.trends);
    fillSpecs();
    fillKeysAndMetrics();
    showChosen();
    if (!result.error.empty())
        m_summary->setText(tr("Cannot read the run history: %1").arg(QString::fromStdString(result.error)));
    emit loaded();
}

void TrendsView::fillSpecs()
{
    const QString current = m_spec->currentText();
    std::set<std::string> specs;
    for (const TrendSeries& series : m_trends)
        specs.insert(series.spec);
    m_filling = true;
    m_spec->clear();
    for (const std::string& spec : specs)
        m_spec->addItem(QString::fromStdString(spec));
    const int keep = m_spec->findText(current);
    m_spec->setCurrentIndex(keep >= 0 ? keep : 0);
    m_filling = false;
}

void TrendsView::fillKeysAndMetrics()
{
    const std::string spec = m_spec->currentText().toStdString();
    const QString currentKey = m_key->currentText();
    const QString currentMetric = m_metric->currentText();
    std::set<std::string> keys;
    std::set<std::string> metrics;
    for (const TrendSeries& series : m_trends) {
        if (series.spec != spec)
            continue;
        keys.insert(series.key);
        metrics.insert(series.metric);
    }
    m_filling = true;
    m_key->clear();
    for (const std::string& key : keys)
        m_key->addItem(QString::fromStdString(key));
    m_metric->clear();
    for (const std::string& metric : metrics)
        m_metric->addItem(QString::fromStdString(metric));
    // Keep the user's choice; else the steps' peak memory, what the product is about.
    auto choose = [](QComboBox* box, const QString& kept, const QString& preferred) {
        int index = box->findText(kept);
        if (index < 0)
            index = box->findText(preferred, Qt::MatchStartsWith);
        box->setCurrentIndex(std::max(index, 0));
    };
    choose(m_key, currentKey, QStringLiteral("step/"));
    choose(m_metric, currentMetric, QStringLiteral("peak_rss_bytes"));
    m_filling = false;

    fillChanges();
}

void TrendsView::fillChanges()
{
    // The table: every change of this spec in the chosen metric (all metrics mixed would
    // put a 2 ms step's timing noise above a compile's memory).
    const std::string spec = m_spec->currentText().toStdString();
    const std::string metric = m_metric->currentText().toStdString();
    std::vector<ChangeRow> rows;
    for (ChangeRow& row : changeRows(m_trends)) {
        if (m_trends[row.series].spec == spec && row.metric == metric)
            rows.push_back(std::move(row));
    }
    m_changes->setChanges(std::move(rows));
}

const TrendSeries* TrendsView::chosenSeries() const
{
    const std::string spec = m_spec->currentText().toStdString();
    const std::string key = m_key->currentText().toStdString();
    const std::string metric = m_metric->currentText().toStdString();
    for (const TrendSeries& series : m_trends) {
        if (series.spec == spec && series.key == key && series.metric == metric)
            return &series;
    }
    return nullptr;
}

void TrendsView::showChosen()
{
    const TrendSeries* series = chosenSeries();
    if (!series) {
        m_chart->clearSeries();
        m_summary->setText(m_trends.empty() ? tr("No successful runs in the history yet")
                                            : tr("No such series in the history"));
        return;
    }
    m_chart->setSeries(*series);
    std::set<std::string> commits;
    for (const TrendPoint& point : series->points)
        commits.insert(point.commit);
    m_summary->setText(tr("%1 successful runs of %2 commits, oldest commit left · %3 change(s) in this series, "
                          "%4 in the spec's %5 (Mann-Whitney U p < %6, at least %7 %, segments of %8 runs or more)")
                           .arg(series->points.size())
                           .arg(commits.size())
                           .arg(series->changes.size())
                           .arg(m_changes->rowCount())
                           .arg(QString::fromStdString(series->metric))
                           .arg(m_options.alpha)
                           .arg(m_options.thresholdPercent)
                           .arg(m_options.minSegment));
}

bool TrendsView::showSeries(const QString& spec, const QString& key, const QString& metric)
{
    const int specIndex = m_spec->findText(spec);
    if (specIndex < 0)
        return false;
    if (specIndex != m_spec->currentIndex()) {
        m_filling = true;
        m_spec->setCurrentIndex(specIndex);
        m_filling = false;
        fillKeysAndMetrics();
    }
    const int keyIndex = m_key->findText(key);
    const int metricIndex = m_metric->findText(metric);
    if (keyIndex < 0 || metricIndex < 0)
        return false;
    const bool metricChanged = metricIndex != m_metric->currentIndex();
    m_filling = true;
    m_key->setCurrentIndex(keyIndex);
    m_metric->setCurrentIndex(metricIndex);
    m_filling = false;
    if (metricChanged)
        fillChanges();
    showChosen();
    return chosenSeries() != nullptr;
}

void TrendsView::selectChange(int row)
{
    if (row < 0 || row >= m_proxy->rowCount())
        return;
    const ChangeRow& change = m_changes->changes()[static_cast<std::size_t>(m_proxy->mapToSource(m_proxy->index(row, 0)).row())];
    const TrendSeries& series = m_trends[change.series];
    showSeries(QString::fromStdString(series.spec), QString::fromStdString(series.key),
        QString::fromStdString(series.metric));
    m_chart->setHighlightedChange(static_cast<int>(change.change));
}

void TrendsView::requestCompare(const TrendSeries& series, std::size_t change)
{
    const ChangeSides sides = changeSides(series, change);
    if (!sides.before.empty() && !sides.after.empty())
        emit compareRequested(sides.before, sides.after);
}

} // namespace buildscope
