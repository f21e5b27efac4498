#include "window/processpanel.h"

#include "models/filterdebouncer.h"
#include "models/numberformat.h"
#include "models/processfilterproxy.h"
#include "models/processtablemodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace buildscope {

ProcessPanel::ProcessPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new ProcessTableModel(this))
    , m_proxy(new ProcessFilterProxy(this))
    , m_debouncer(new FilterDebouncer(this))
    , m_filter(new QLineEdit(this))
    , m_summary(new QLabel(this))
    , m_view(new QTableView(this))
{
    m_proxy->setSourceModel(m_model);
    m_filter->setPlaceholderText(tr("Filter commands and steps…"));
    m_filter->setClearButtonEnabled(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    // The question this table answers is "which command ate the memory": hungriest first.
    m_view->sortByColumn(ProcessTableModel::PeakColumn, Qt::DescendingOrder);
    m_view->setColumnWidth(ProcessTableModel::CommandColumn, m_view->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 60);

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_summary);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view);

    connect(m_filter, &QLineEdit::textChanged, m_debouncer, &FilterDebouncer::setText);
    connect(m_filter, &QLineEdit::returnPressed, m_debouncer, &FilterDebouncer::flush);
    connect(m_debouncer, &FilterDebouncer::textSettled, this, [this](const QString& text) {
        m_proxy->setFilterText(text);
        updateSummary();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ProcessPanel::emitSelection);
    updateSummary();
}

void ProcessPanel::setProcesses(std::shared_ptr<const std::vector<ProcessRecord>> processes)
{
    m_model->setProcesses(processes ? *processes : std::vector<ProcessRecord>());
    if (!m_sortedOnce && m_model->rowCount() > 0) {
        m_view->resizeColumnToContents(ProcessTableModel::PeakColumn);
        m_sortedOnce = true;
    }
    updateSummary();
}

void ProcessPanel::clear()
{
    m_running = 0;
    setProcesses(nullptr);
}

void ProcessPanel::setRunningCount(std::size_t running)
{
    if (running == m_running)
        return;
    m_running = running;
    updateSummary();
}

void ProcessPanel::selectProcess(pid_t pid, double startSeconds)
{
    const std::vector<ProcessRecord>& processes = m_model->processes();
    for (std::size_t row = 0; row < processes.size(); ++row) {
        if (processes[row].pid != pid || processes[row].startSeconds != startSeconds)
            continue;
        QModelIndex index = m_proxy->mapFromSource(m_model->index(static_cast<int>(row), 0));
        if (!index.isValid()) { // filtered out: show it rather than select nothing
            m_filter->clear();
            m_debouncer->flush();
            index = m_proxy->mapFromSource(m_model->index(static_cast<int>(row), 0));
        }
        m_view->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_view->scrollTo(index);
        return;
    }
}

void ProcessPanel::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void ProcessPanel::emitSelection()
{
    const QModelIndex current = m_proxy->mapToSource(m_view->selectionModel()->currentIndex());
    if (!current.isValid()) {
        emit processSelected(std::nullopt);
        return;
    }
    const ProcessRecord& process = m_model->processes()[static_cast<std::size_t>(current.row())];
    emit processSelected(std::make_pair(process.pid, process.startSeconds));
}

void ProcessPanel::updateSummary()
{
    const std::vector<ProcessRecord>& processes = m_model->processes();
    const QString running = m_running == 0 ? QString()
        : tr(" · %1 running (listed when they end, with their exact peaks)").arg(m_running);
    if (processes.empty()) {
        m_summary->setText(tr("No processes recorded (the ledger records them as they end)") + running);
        return;
    }
    std::size_t inexact = 0;
    for (const ProcessRecord& process : processes)
        inexact += process.peakExact ? 0 : 1;
    const auto hungriest = std::max_element(processes.begin(), processes.end(),
        [](const ProcessRecord& a, const ProcessRecord& b) { return a.peakRssBytes < b.peakRssBytes; });
    const QString total = m_model->rowCount() == 1 ? tr("1 process") : tr("%1 processes").arg(m_model->rowCount());
    QString text = m_proxy->rowCount() == m_model->rowCount() ? total : tr("%1 of %2").arg(m_proxy->rowCount()).arg(total);
    text += hungriest->peakExact
        ? tr(" · hungriest %1 (exact peak RSS after exec)").arg(bytesText(static_cast<double>(hungriest->peakRssBytes)))
        : tr(" · hungriest ~%1 (last value read, not exact)").arg(bytesText(static_cast<double>(hungriest->peakRssBytes)));
    if (inexact > 0)
        text += tr(" · %1 marked ~ (last value read, not exact)").arg(inexact);
    m_summary->setText(text + running);
}

} // namespace buildscope
