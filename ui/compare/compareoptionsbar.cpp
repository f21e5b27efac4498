#include "compare/compareoptionsbar.h"

#include "compare/comparisontablemodel.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QSettings>
#include <QSignalBlocker>
#include <QToolButton>
#include <algorithm>

namespace buildscope {

namespace {

const char* const kThreshold = "compare/thresholdPercent";
const char* const kAlpha = "compare/alpha";
const char* const kMetrics = "compare/metrics";

QString metricName(const QAction* action)
{
    return action->data().toString();
}

} // namespace

std::vector<std::string> CompareOptionsBar::memoryMetrics()
{
    return {"peak_rss_bytes", "tree_peak_rss_bytes", "engine_peak_rss_bytes", "heap_peak_live_bytes"};
}

CompareOptionsBar::CompareOptionsBar(QWidget* parent)
    : QWidget(parent)
    , m_threshold(new QDoubleSpinBox(this))
    , m_alpha(new QDoubleSpinBox(this))
    , m_metricsButton(new QToolButton(this))
    , m_metricsMenu(new QMenu(this))
{
    const CompareOptions defaults;
    m_threshold->setRange(0, 1000);
    m_threshold->setDecimals(1);
    m_threshold->setSingleStep(1);
    m_threshold->setSuffix(tr(" %"));
    m_threshold->setToolTip(tr("The smallest change of the median, in percent of the base median, that counts as "
                               "a regression or an improvement"));
    m_alpha->setRange(0.001, 0.5);
    m_alpha->setDecimals(3);
    m_alpha->setSingleStep(0.01);
    m_alpha->setToolTip(tr("Significance level: a change counts only when the Mann-Whitney U test's p-value is "
                           "below it"));

    m_metricsButton->setPopupMode(QToolButton::InstantPopup);
    m_metricsButton->setMenu(m_metricsMenu);
    m_metricsButton->setToolTip(tr("The metrics compared; a memory gate names only memory metrics, which the "
                                   "machine's load does not move"));
    m_metricsMenu->addAction(tr("All Metrics"), this, [this] {
        selectMetrics({});
        changed();
    });
    m_metricsMenu->addAction(tr("Memory Metrics Only"), this, [this] {
        selectMetrics(memoryMetrics());
        changed();
    });
    m_metricsMenu->addSeparator();
    for (const std::string& metric : comparisonMetrics()) {
        QAction* action = m_metricsMenu->addAction(
            QStringLiteral("%1 (%2)").arg(ComparisonTableModel::metricTitle(metric), QString::fromStdString(metric)));
        action->setCheckable(true);
        action->setData(QString::fromStdString(metric));
        connect(action, &QAction::triggered, this, [this, action] { metricToggled(action); });
        m_metricActions << action;
    }

    auto* thresholdLabel = new QLabel(tr("&Threshold:"), this);
    thresholdLabel->setBuddy(m_threshold);
    auto* alphaLabel = new QLabel(tr("&Alpha:"), this);
    alphaLabel->setBuddy(m_alpha);
    auto* metricsLabel = new QLabel(tr("&Metrics:"), this);
    metricsLabel->setBuddy(m_metricsButton);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(thresholdLabel);
    layout->addWidget(m_threshold);
    layout->addSpacing(8);
    layout->addWidget(alphaLabel);
    layout->addWidget(m_alpha);
    layout->addSpacing(8);
    layout->addWidget(metricsLabel);
    layout->addWidget(m_metricsButton);

    QSettings settings;
    CompareOptions saved;
    saved.thresholdPercent = settings.value(kThreshold, defaults.thresholdPercent).toDouble();
    saved.alpha = settings.value(kAlpha, defaults.alpha).toDouble();
    for (const QString& metric : settings.value(kMetrics).toStringList())
        saved.metrics.push_back(metric.toStdString());
    setOptions(saved);

    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, &CompareOptionsBar::changed);
    connect(m_alpha, &QDoubleSpinBox::valueChanged, this, &CompareOptionsBar::changed);
}

CompareOptions CompareOptionsBar::options() const
{
    CompareOptions options;
    options.thresholdPercent = m_threshold->value();
    options.alpha = m_alpha->value();
    const std::vector<std::string> checked = checkedMetrics();
    if (checked.size() < static_cast<std::size_t>(m_metricActions.size()))
        options.metrics = checked; // every metric checked: none named, as the CLI without --metrics
    return options;
}

void CompareOptionsBar::setOptions(const CompareOptions& options)
{
    const QSignalBlocker thresholdBlocker(m_threshold);
    const QSignalBlocker alphaBlocker(m_alpha);
    m_threshold->setValue(options.thresholdPercent);
    m_alpha->setValue(options.alpha);
    selectMetrics(options.metrics);
}

void CompareOptionsBar::selectMetrics(const std::vector<std::string>& metrics)
{
    bool any = false;
    for (QAction* action : m_metricActions) {
        const bool named = std::find(metrics.begin(), metrics.end(), metricName(action).toStdString()) != metrics.end();
        action->setChecked(named);
        any = any || named;
    }
    if (!any) { // none named (or none known): all, as the CLI without --metrics
        for (QAction* action : m_metricActions)
            action->setChecked(true);
    }
    updateMetricsText();
}

std::vector<std::string> CompareOptionsBar::checkedMetrics() const
{
    std::vector<std::string> metrics;
    for (const QAction* action : m_metricActions) {
        if (action->isChecked())
            metrics.push_back(metricName(action).toStdString());
    }
    return metrics;
}

void CompareOptionsBar::metricToggled(QAction* action)
{
    if (checkedMetrics().empty()) {
        action->setChecked(true); // a comparison of nothing: keep the last metric
        return;
    }
    updateMetricsText();
    changed();
}

void CompareOptionsBar::updateMetricsText()
{
    const std::vector<std::string> checked = checkedMetrics();
    std::vector<std::string> memory = memoryMetrics();
    std::vector<std::string> sorted = checked;
    std::sort(sorted.begin(), sorted.end());
    std::sort(memory.begin(), memory.end());
    if (checked.size() == static_cast<std::size_t>(m_metricActions.size()))
        m_metricsButton->setText(tr("All metrics"));
    else if (sorted == memory)
        m_metricsButton->setText(tr("Memory metrics"));
    else if (checked.size() == 1)
        m_metricsButton->setText(ComparisonTableModel::metricTitle(checked.front()));
    else
        m_metricsButton->setText(tr("%1 metrics").arg(checked.size()));
}

void CompareOptionsBar::changed()
{
    const CompareOptions current = options();
    QSettings settings;
    settings.setValue(kThreshold, current.thresholdPercent);
    settings.setValue(kAlpha, current.alpha);
    QStringList metrics;
    for (const std::string& metric : current.metrics)
        metrics << QString::fromStdString(metric);
    settings.setValue(kMetrics, metrics);
    emit optionsChanged(current);
}

} // namespace buildscope
