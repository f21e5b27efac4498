#include "window/logpanel.h"

#include "models/filterdebouncer.h"
#include "models/logfilterproxy.h"
#include "models/logtablemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

namespace buildscope {

LogPanel::LogPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new LogTableModel(LogTableModel::kDefaultMaxRows, this))
    , m_proxy(new LogFilterProxy(this))
    , m_debouncer(new FilterDebouncer(this))
    , m_filter(new QLineEdit(this))
    , m_level(new QComboBox(this))
    , m_follow(new QCheckBox(tr("Follow"), this))
    , m_view(new QTableView(this))
{
    m_proxy->setSourceModel(m_model);
    m_filter->setPlaceholderText(tr("Filter log…"));
    m_filter->setClearButtonEnabled(true);
    m_level->addItem(tr("All levels"), static_cast<int>(LogLevel::Debug));
    m_level->addItem(tr("Info and above"), static_cast<int>(LogLevel::Info));
    m_level->addItem(tr("Warnings and errors"), static_cast<int>(LogLevel::Warning));
    m_level->addItem(tr("Errors"), static_cast<int>(LogLevel::Error));
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep the newest line in view as the build prints"));

    // Never sorted: a sorting view would put lines of the same millisecond in any order.
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(false);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setSortIndicatorShown(false);

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_level);
    bar->addWidget(m_follow);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view);

    connect(m_filter, &QLineEdit::textChanged, m_debouncer, &FilterDebouncer::setText);
    connect(m_filter, &QLineEdit::returnPressed, m_debouncer, &FilterDebouncer::flush);
    connect(m_debouncer, &FilterDebouncer::textSettled, m_proxy, &LogFilterProxy::setFilterText);
    connect(m_level, &QComboBox::currentIndexChanged, this,
        [this] { m_proxy->setMinimumLevel(static_cast<LogLevel>(m_level->currentData().toInt())); });
    connect(m_follow, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            scrollToNewest();
    });
    // Only the user's own scrolling (wheel, drag, keys, clicks on the bar) moves Follow;
    // rows arriving or the oldest rows leaving move the bar too, and must not.
    QScrollBar* scroll = m_view->verticalScrollBar();
    connect(scroll, &QAbstractSlider::actionTriggered, this, [this, scroll] {
        // actionTriggered comes before the move: judge where the bar ends up.
        QMetaObject::invokeMethod(
            this, [this, scroll] { m_follow->setChecked(scroll->value() >= scroll->maximum()); }, Qt::QueuedConnection);
    });
}

void LogPanel::appendEntries(const std::vector<LogEntry>& entries)
{
    if (entries.empty())
        return;
    m_model->appendEntries(entries);
    if (m_follow->isChecked())
        scrollToNewest();
}

void LogPanel::clear()
{
    m_model->clear();
}

bool LogPanel::follows() const
{
    return m_follow->isChecked();
}

void LogPanel::setFollow(bool follow)
{
    m_follow->setChecked(follow);
}

void LogPanel::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void LogPanel::paletteChanged()
{
    m_model->paletteChanged();
}

void LogPanel::scrollToNewest()
{
    // scrollToBottom() lays out pending rows first, so the new last line is what shows.
    m_view->scrollToBottom();
}

} // namespace buildscope
