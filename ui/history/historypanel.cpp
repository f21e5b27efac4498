#include "history/historypanel.h"

#include "compare/runsetdescription.h"
#include "history/historyerror.h"
#include "history/historytablemodel.h"
#include "history/runfilterproxy.h"
#include "history/runhistory.h"
#include "models/filterdebouncer.h"
#include "theme/palettetints.h"

#include <QAction>
#include <QComboBox>
#include <QEvent>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <exception>
#include <map>
#include <set>

namespace buildscope {

namespace {

const char* const kStatuses[] = {"succeeded", "failed", "cancelled", "interrupted", "running"};

bool askWithMessageBox(QWidget* parent, const QString& question, const QString& detail)
{
    QMessageBox box(QMessageBox::Warning, HistoryPanel::tr("Delete runs"), question, QMessageBox::NoButton, parent);
    box.setInformativeText(detail);
    QPushButton* remove = box.addButton(HistoryPanel::tr("Delete"), QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel); // Return must not destroy data
    box.exec();
    return box.clickedButton() == remove;
}

QPixmap swatch(const QColor& color, int size, qreal ratio)
{
    QPixmap pixmap(QSize(size, size) * ratio);
    pixmap.setDevicePixelRatio(ratio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawRoundedRect(QRectF(1, 1, size - 2, size - 2), 2, 2);
    return pixmap;
}

std::vector<std::int64_t> without(std::vector<std::int64_t> ids, const std::vector<std::int64_t>& removed)
{
    std::erase_if(ids, [&](std::int64_t id) { return std::find(removed.begin(), removed.end(), id) != removed.end(); });
    return ids;
}

} // namespace

HistoryPanel::HistoryPanel(QWidget* parent)
    : QWidget(parent)
    , m_confirm(askWithMessageBox)
    , m_jobs(new JobTracker(this))
    , m_watcher(new QFileSystemWatcher(this))
    , m_watchDebounce(new QTimer(this))
{
    // A build writes its run about once a second: list again at most twice a second.
    m_watchDebounce->setSingleShot(true);
    m_watchDebounce->setInterval(500);
    connect(m_watchDebounce, &QTimer::timeout, this, &HistoryPanel::refresh);
    auto changed = [this] {
        if (m_history)
            watchStore(); // a -wal file that appeared, or was replaced at a checkpoint
        m_watchDebounce->start();
    };
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, changed);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, changed);
    buildUi();
    setHistory(nullptr);
}

HistoryPanel::~HistoryPanel() = default;

QSize HistoryPanel::sizeHint() const
{
    const QSize hint = QWidget::sizeHint();
    const int rows = m_table->verticalHeader()->defaultSectionSize() * 10;
    return {hint.width(), std::max(hint.height(), rows + 140)};
}

void HistoryPanel::buildUi()
{
    m_model = new HistoryTableModel(this);
    m_proxy = new RunFilterProxy(this);
    m_proxy->setSourceModel(m_model);
    m_debouncer = new FilterDebouncer(this);

    m_controls = new QWidget(this);

    m_specCombo = new QComboBox;
    m_specCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_specCombo->setMinimumContentsLength(12);
    m_specCombo->addItem(tr("All specs"), QString());
    m_specCombo->setToolTip(tr("List the runs of one build spec"));
    m_labelEdit = new QLineEdit;
    m_labelEdit->setClearButtonEnabled(true);
    m_labelEdit->setPlaceholderText(tr("Filter labels, e.g. side=base branch=main"));
    m_labelEdit->setToolTip(tr("Every word must appear in a run's labels (key=value, case-insensitive); "
                               "a commit can be given by its prefix"));
    m_statusCombo = new QComboBox;
    m_statusCombo->addItem(tr("Any status"), QString());
    for (const char* status : kStatuses)
        m_statusCombo->addItem(QString::fromLatin1(status), QString::fromLatin1(status));
    m_countLabel = new QLabel;
    m_countLabel->setObjectName(QStringLiteral("runCount"));
    m_countLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_countLabel->setMinimumWidth(m_countLabel->fontMetrics().horizontalAdvance(QStringLiteral("0000 of 0000 runs")));

    auto* specLabel = new QLabel(tr("&Spec:"));
    specLabel->setBuddy(m_specCombo);
    auto* labelsLabel = new QLabel(tr("&Labels:"));
    labelsLabel->setBuddy(m_labelEdit);
    auto* statusLabel = new QLabel(tr("S&tatus:"));
    statusLabel->setBuddy(m_statusCombo);
    auto* filters = new QHBoxLayout;
    filters->setSpacing(6);
    filters->addWidget(specLabel);
    filters->addWidget(m_specCombo);
    filters->addSpacing(10);
    filters->addWidget(labelsLabel);
    filters->addWidget(m_labelEdit, 1);
    filters->addSpacing(10);
    filters->addWidget(statusLabel);
    filters->addWidget(m_statusCombo);
    filters->addSpacing(10);
    filters->addWidget(m_countLabel);

    m_table = new QTableView;
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setIconSize(QSize(9, 9)); // the baseline/candidate swatch: a mark, not a tile
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setStretchLastSection(true); // the labels take what is left
    m_table->horizontalHeader()->setSortIndicator(HistoryTableModel::StartedColumn, Qt::DescendingOrder);
    m_table->setSortingEnabled(true);
    const QFontMetrics metrics = m_table->fontMetrics();
    const auto width
        = [&metrics](const char* sample) { return metrics.horizontalAdvance(QString::fromUtf8(sample)) + 28; };
    m_table->setColumnWidth(HistoryTableModel::IdColumn, width("\u25a0 00000"));
    m_table->setColumnWidth(HistoryTableModel::StartedColumn, width("0000-00-00 00:00:00"));
    m_table->setColumnWidth(HistoryTableModel::SpecColumn, width("a spec name here"));
    m_table->setColumnWidth(HistoryTableModel::StatusColumn, width("interrupted"));
    m_table->setColumnWidth(HistoryTableModel::DurationColumn, width("00m 00s"));
    m_table->setColumnWidth(HistoryTableModel::PeakRssColumn, width("Peak tree RSS \u25b2"));
    // However the dock is sized, the list shows a handful of runs to pick from.
    m_table->setMinimumHeight(
        m_table->verticalHeader()->defaultSectionSize() * 5 + m_table->horizontalHeader()->sizeHint().height() + 4);

    m_baselineButton = new QPushButton(tr("Set as &baseline"));
    m_baselineButton->setToolTip(tr("Compare against the selected runs (one run, or several to test significance)"));
    m_candidateButton = new QPushButton(tr("Set as c&andidate"));
    m_candidateButton->setToolTip(tr("Compare the selected runs against the baseline"));
    m_clearBaselineButton = new QToolButton;
    m_clearBaselineButton->setText(tr("Clear"));
    m_clearBaselineButton->setAutoRaise(true);
    m_clearBaselineButton->setToolTip(tr("Forget the baseline runs"));
    m_clearCandidateButton = new QToolButton;
    m_clearCandidateButton->setText(tr("Clear"));
    m_clearCandidateButton->setAutoRaise(true);
    m_clearCandidateButton->setToolTip(tr("Forget the candidate runs"));
    m_baselineLabelButton = new QToolButton;
    m_baselineLabelButton->setText(tr("By Label"));
    m_baselineLabelButton->setPopupMode(QToolButton::InstantPopup);
    m_baselineLabelButton->setMenu(new QMenu(m_baselineLabelButton));
    m_baselineLabelButton->setToolTip(tr("Use every run with a label as the baseline"));
    m_candidateLabelButton = new QToolButton;
    m_candidateLabelButton->setText(tr("By Label"));
    m_candidateLabelButton->setPopupMode(QToolButton::InstantPopup);
    m_candidateLabelButton->setMenu(new QMenu(m_candidateLabelButton));
    m_candidateLabelButton->setToolTip(tr("Use every run with a label as the candidate"));
    auto* baselineSwatch = new QLabel;
    baselineSwatch->setObjectName(QStringLiteral("baselineSwatch"));
    auto* candidateSwatch = new QLabel;
    candidateSwatch->setObjectName(QStringLiteral("candidateSwatch"));
    m_baselineLabel = new QLabel;
    m_baselineLabel->setObjectName(QStringLiteral("baselineSet"));
    m_baselineLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_candidateLabel = new QLabel;
    m_candidateLabel->setObjectName(QStringLiteral("candidateSet"));
    m_candidateLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_deleteButton = new QPushButton(tr("&Delete\u2026"));
    m_deleteButton->setToolTip(tr("Delete the selected runs from the history"));
    m_compareButton = new QPushButton(tr("&Compare"));
    m_compareButton->setToolTip(tr("Compare the candidate runs with the baseline runs"));
    m_compareButton->setDefault(true);

    auto* sets = new QGridLayout;
    sets->setHorizontalSpacing(8);
    sets->setVerticalSpacing(4);
    sets->addWidget(m_baselineButton, 0, 0);
    sets->addWidget(m_baselineLabelButton, 0, 1);
    sets->addWidget(baselineSwatch, 0, 2);
    sets->addWidget(m_baselineLabel, 0, 3);
    sets->addWidget(m_clearBaselineButton, 0, 4);
    sets->addWidget(m_candidateButton, 1, 0);
    sets->addWidget(m_candidateLabelButton, 1, 1);
    sets->addWidget(candidateSwatch, 1, 2);
    sets->addWidget(m_candidateLabel, 1, 3);
    sets->addWidget(m_clearCandidateButton, 1, 4);
    sets->setColumnStretch(5, 1);
    sets->addWidget(m_deleteButton, 0, 6);
    sets->addWidget(m_compareButton, 1, 6);

    m_messageLabel = new QLabel(this);
    m_messageLabel->setObjectName(QStringLiteral("historyMessage"));
    m_messageLabel->setWordWrap(true);
    m_messageLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_messageLabel->hide();

    auto* controls = new QVBoxLayout(m_controls);
    controls->setContentsMargins(0, 0, 0, 0);
    controls->setSpacing(6);
    controls->addLayout(filters);
    controls->addWidget(m_table, 1);
    controls->addLayout(sets);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);
    layout->addWidget(m_messageLabel);
    layout->addWidget(m_controls, 1);

    m_deleteAction = new QAction(tr("Delete\u2026"), this);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_deleteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_table->addAction(m_deleteAction);
    m_refreshAction = new QAction(tr("&Refresh History"), this);
    m_refreshAction->setToolTip(tr("List the runs in the history again (new runs also appear by themselves)"));
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_refreshAction);

    connect(m_specCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setSpecName(m_specCombo->currentData().toString());
        updateCount();
    });
    connect(m_statusCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setStatus(m_statusCombo->currentData().toString());
        updateCount();
    });
    connect(m_labelEdit, &QLineEdit::textChanged, m_debouncer, &FilterDebouncer::setText);
    connect(m_labelEdit, &QLineEdit::returnPressed, m_debouncer, &FilterDebouncer::flush);
    connect(m_debouncer, &FilterDebouncer::textSettled, this, [this](const QString& text) {
        m_proxy->setLabelFilter(text);
        updateCount();
    });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &HistoryPanel::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &HistoryPanel::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &HistoryPanel::updateCount);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HistoryPanel::updateActions);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        emit openRunRequested(index.data(HistoryTableModel::RunIdRole).toLongLong());
    });
    connect(m_table, &QWidget::customContextMenuRequested, this, &HistoryPanel::showContextMenu);
    connect(m_baselineButton, &QPushButton::clicked, this, &HistoryPanel::useSelectionAsBaseline);
    connect(m_candidateButton, &QPushButton::clicked, this, &HistoryPanel::useSelectionAsCandidate);
    connect(m_clearBaselineButton, &QToolButton::clicked, this, &HistoryPanel::clearBaseline);
    connect(m_clearCandidateButton, &QToolButton::clicked, this, &HistoryPanel::clearCandidate);
    connect(m_baselineLabelButton->menu(), &QMenu::aboutToShow, this,
        [this] { fillLabelMenu(m_baselineLabelButton->menu(), true); });
    connect(m_candidateLabelButton->menu(), &QMenu::aboutToShow, this,
        [this] { fillLabelMenu(m_candidateLabelButton->menu(), false); });
    connect(m_deleteButton, &QPushButton::clicked, this, &HistoryPanel::deleteSelected);
    connect(m_deleteAction, &QAction::triggered, this, &HistoryPanel::deleteSelected);
    connect(m_refreshAction, &QAction::triggered, this, &HistoryPanel::refresh);
    connect(m_compareButton, &QPushButton::clicked, this, &HistoryPanel::requestCompare);

    applyPalette();
    updateSets();
    updateActions();
    updateCount();
}

void HistoryPanel::setHistory(RunHistory* history)
{
    m_history = history;
    m_jobs->cancel();
    m_controls->setEnabled(history != nullptr);
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    if (!m_watcher->directories().isEmpty())
        m_watcher->removePaths(m_watcher->directories());
    if (history)
        watchStore();
    if (!history) {
        m_model->setRuns({});
        updateSpecs();
        setBaseline({});
        setCandidate({});
        showMessage(tr("No run history is open, so there are no runs to list or compare. Runs are recorded in "
                       "the history when BuildScope can open its store (%1).")
                        .arg(QString::fromStdString(RunHistory::defaultPath().string())),
            false);
        return;
    }
    showMessage({}, false);
    refresh();
}

void HistoryPanel::watchStore()
{
    // Runs recorded by other processes (the engine, a CLI in a terminal) appear without a
    // refresh. SQLite commits land in the -wal file (created by the first writer), and in
    // the store itself at checkpoints; the folder tells when a -wal file appears.
    const QString store = QString::fromStdString(m_history->file().string());
    for (const QString& path : {store, store + QStringLiteral("-wal")}) {
        if (QFileInfo::exists(path) && !m_watcher->files().contains(path))
            m_watcher->addPath(path);
    }
    const QString folder = QFileInfo(store).absolutePath();
    if (!m_watcher->directories().contains(folder))
        m_watcher->addPath(folder);
}

void HistoryPanel::setHistoryUnavailable(const QString& reason)
{
    setHistory(nullptr);
    showMessage(tr("The run history cannot be used: %1").arg(reason), true);
}

void HistoryPanel::refresh()
{
    if (!m_history)
        return;
    // Read on a pool thread with a connection of its own (a connection belongs to one
    // thread): a slow or locked store never freezes the window.
    struct Listing
    {
        std::vector<RunRecord> runs;
        std::string error;
    };
    const std::filesystem::path file = m_history->file();
    m_jobs->run<Listing>(
        [file] {
            Listing listing;
            try {
                listing.runs = RunHistory(file).list();
            } catch (const std::exception& error) {
                listing.error = error.what();
            }
            return listing;
        },
        [this](Listing listing) { showListing(std::move(listing.runs), listing.error); });
}

void HistoryPanel::showListing(std::vector<RunRecord> runs, const std::string& error)
{
    if (!error.empty()) {
        // Keep the last listing: it is still what the user was looking at.
        showMessage(QString::fromLocal8Bit(error.c_str()), true);
        emit listed();
        return;
    }
    m_model->setRuns(std::move(runs));
    if (m_messageIsError)
        showMessage({}, false); // the store answers again
    updateSpecs();
    pruneSets();
    m_model->setMarkedRuns(m_baseline, m_candidate);
    updateSets();
    updateActions();
    updateCount();
    emit listed();
}

std::vector<std::int64_t> HistoryPanel::selectedRuns() const
{
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    std::vector<std::int64_t> ids;
    ids.reserve(static_cast<std::size_t>(rows.size()));
    for (const QModelIndex& index : rows)
        ids.push_back(index.data(HistoryTableModel::RunIdRole).toLongLong());
    return ids;
}

void HistoryPanel::setBaselineRuns(std::vector<std::int64_t> ids)
{
    std::erase_if(ids, [this](std::int64_t id) { return m_model->rowOfRun(id) < 0; });
    setCandidate(without(m_candidate, ids)); // a run is on one side only
    setBaseline(std::move(ids));
}

void HistoryPanel::setCandidateRuns(std::vector<std::int64_t> ids)
{
    std::erase_if(ids, [this](std::int64_t id) { return m_model->rowOfRun(id) < 0; });
    setBaseline(without(m_baseline, ids));
    setCandidate(std::move(ids));
}

std::vector<std::int64_t> HistoryPanel::runsWithLabel(const std::string& key, const std::string& value) const
{
    const std::pair<std::string, std::string> label {key, value};
    std::vector<std::int64_t> ids;
    for (const RunRecord& run : m_model->runs()) {
        if (std::find(run.labels.begin(), run.labels.end(), label) != run.labels.end())
            ids.push_back(run.id);
    }
    return ids;
}

void HistoryPanel::setBaselineToLabel(const std::string& key, const std::string& value)
{
    setBaselineRuns(runsWithLabel(key, value));
}

void HistoryPanel::setCandidateToLabel(const std::string& key, const std::string& value)
{
    setCandidateRuns(runsWithLabel(key, value));
}

std::vector<std::pair<std::pair<std::string, std::string>, std::size_t>> HistoryPanel::pickableLabels() const
{
    std::map<std::pair<std::string, std::string>, std::size_t> counts;
    for (const RunRecord& run : m_model->runs()) {
        for (const auto& label : run.labels)
            ++counts[label];
    }
    const std::size_t total = m_model->runs().size();
    const auto rank = [](const std::string& key) {
        return key == "git.branch" ? 1 : key == "git.commit" ? 2 : key == "host" ? 3 : 0;
    };
    std::vector<std::pair<std::pair<std::string, std::string>, std::size_t>> labels;
    for (const auto& [label, count] : counts) {
        if (count < total) // a label every run has picks nothing apart
            labels.emplace_back(label, count);
    }
    std::stable_sort(labels.begin(), labels.end(),
        [&rank](const auto& a, const auto& b) { return rank(a.first.first) < rank(b.first.first); });
    return labels;
}

void HistoryPanel::fillLabelMenu(QMenu* menu, bool baseline)
{
    menu->clear();
    const auto labels = pickableLabels();
    if (labels.empty()) {
        menu->addAction(tr("No label tells the listed runs apart"))->setEnabled(false);
        return;
    }
    for (const auto& [label, count] : labels) {
        const auto& [key, value] = label;
        QString shown = QString::fromStdString(value);
        if (key == "git.commit" && shown.size() > 10)
            shown.truncate(10);
        const QString text
            = tr("%1=%2 (%3)")
                  .arg(QString::fromStdString(key), shown, count == 1 ? tr("1 run") : tr("%1 runs").arg(count));
        menu->addAction(text, this, [this, baseline, key = key, value = value] {
            if (baseline)
                setBaselineToLabel(key, value);
            else
                setCandidateToLabel(key, value);
        });
    }
}

void HistoryPanel::useSelectionAsBaseline()
{
    const std::vector<std::int64_t> ids = selectedRuns();
    if (!ids.empty())
        setBaselineRuns(ids);
}

void HistoryPanel::useSelectionAsCandidate()
{
    const std::vector<std::int64_t> ids = selectedRuns();
    if (!ids.empty())
        setCandidateRuns(ids);
}

void HistoryPanel::clearBaseline()
{
    setBaseline({});
}

void HistoryPanel::clearCandidate()
{
    setCandidate({});
}

void HistoryPanel::setBaseline(std::vector<std::int64_t> ids)
{
    if (ids == m_baseline)
        return;
    m_baseline = std::move(ids);
    m_model->setMarkedRuns(m_baseline, m_candidate);
    updateSets();
    updateActions();
    emit baselineChanged(m_baseline);
}

void HistoryPanel::setCandidate(std::vector<std::int64_t> ids)
{
    if (ids == m_candidate)
        return;
    m_candidate = std::move(ids);
    m_model->setMarkedRuns(m_baseline, m_candidate);
    updateSets();
    updateActions();
}

void HistoryPanel::pruneSets()
{
    // Runs deleted elsewhere (the CLI, another window) leave the sets.
    const auto listed = [this](const std::vector<std::int64_t>& ids) {
        std::vector<std::int64_t> kept;
        for (const std::int64_t id : ids) {
            if (m_model->rowOfRun(id) >= 0)
                kept.push_back(id);
        }
        return kept;
    };
    setBaseline(listed(m_baseline));
    setCandidate(listed(m_candidate));
}

void HistoryPanel::deleteSelected()
{
    if (!m_history)
        return;
    const std::vector<std::int64_t> ids = selectedRuns();
    if (ids.empty())
        return;
    const QString question = ids.size() == 1 ? tr("Delete run #%1 from the history?").arg(ids.front())
                                             : tr("Delete %1 runs from the history?").arg(ids.size());
    const QString detail = tr("Their samples, steps and log are removed from %1. This cannot be undone.")
                               .arg(QString::fromStdString(m_history->file().string()));
    if (!m_confirm || !m_confirm(this, question, detail))
        return;
    std::size_t deleted = 0;
    QString failure;
    for (const std::int64_t id : ids) {
        try {
            m_history->deleteRun(id);
            ++deleted;
        } catch (const std::exception& error) {
            failure = QString::fromLocal8Bit(error.what());
            break;
        }
    }
    refresh();
    if (!failure.isEmpty())
        showMessage(failure, true);
    else
        showMessage(
            deleted == 1 ? tr("Deleted run #%1.").arg(ids.front()) : tr("Deleted %1 runs.").arg(deleted), false);
}

void HistoryPanel::requestCompare()
{
    if (m_baseline.empty() || m_candidate.empty())
        return;
    emit compareRequested(m_baseline, m_candidate);
}

void HistoryPanel::setConfirmFunction(ConfirmFunction confirm)
{
    m_confirm = std::move(confirm);
}

QString HistoryPanel::message() const
{
    return m_messageLabel->text();
}

void HistoryPanel::showMessage(const QString& text, bool error)
{
    m_messageIsError = error && !text.isEmpty();
    m_messageLabel->setText(text);
    m_messageLabel->setVisible(!text.isEmpty());
    applyPalette();
}

void HistoryPanel::updateSpecs()
{
    std::set<QString> names;
    for (const RunRecord& run : m_model->runs())
        names.insert(QString::fromStdString(run.specName));
    const QString current = m_specCombo->currentData().toString();
    QStringList wanted(names.begin(), names.end());
    QStringList shown;
    for (int i = 1; i < m_specCombo->count(); ++i)
        shown << m_specCombo->itemData(i).toString();
    if (wanted == shown)
        return;
    const QSignalBlocker blocker(m_specCombo);
    m_specCombo->clear();
    m_specCombo->addItem(tr("All specs"), QString());
    for (const QString& name : wanted)
        m_specCombo->addItem(name.isEmpty() ? tr("(unnamed)") : name, name);
    const int index = m_specCombo->findData(current);
    m_specCombo->setCurrentIndex(std::max(0, index));
    m_proxy->setSpecName(m_specCombo->currentData().toString()); // a spec no longer listed: all again
}

void HistoryPanel::updateSets()
{
    m_baselineLabel->setText(tr("baseline: %1").arg(describeRunSet(m_baseline, m_model->runs())));
    m_candidateLabel->setText(tr("candidate: %1").arg(describeRunSet(m_candidate, m_model->runs())));
    m_clearBaselineButton->setVisible(!m_baseline.empty());
    m_clearCandidateButton->setVisible(!m_candidate.empty());
}

void HistoryPanel::updateActions()
{
    const bool selection = m_table->selectionModel()->hasSelection();
    m_baselineButton->setEnabled(selection);
    m_candidateButton->setEnabled(selection);
    m_deleteButton->setEnabled(selection && m_history && !m_history->isReadOnly());
    m_deleteAction->setEnabled(m_deleteButton->isEnabled());
    m_compareButton->setEnabled(!m_baseline.empty() && !m_candidate.empty());
    if (m_history && m_history->isReadOnly())
        m_deleteButton->setToolTip(tr("The history is read-only: runs cannot be deleted"));
}

void HistoryPanel::updateCount()
{
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    if (total == 0)
        m_countLabel->setText(tr("no runs"));
    else if (shown == total)
        m_countLabel->setText(total == 1 ? tr("1 run") : tr("%1 runs").arg(total));
    else
        m_countLabel->setText(tr("%1 of %2 runs").arg(shown).arg(total));
}

void HistoryPanel::showContextMenu(const QPoint& position)
{
    const QModelIndex index = m_table->indexAt(position);
    if (!index.isValid())
        return;
    QMenu menu(this);
    const std::int64_t id = index.data(HistoryTableModel::RunIdRole).toLongLong();
    menu.addAction(tr("Open Run #%1").arg(id), this, [this, id] { emit openRunRequested(id); });
    menu.addSeparator();
    menu.addAction(tr("Set as Baseline"), this, &HistoryPanel::useSelectionAsBaseline);
    menu.addAction(tr("Set as Candidate"), this, &HistoryPanel::useSelectionAsCandidate);
    menu.addSeparator();
    menu.addAction(m_deleteAction);
    menu.exec(m_table->viewport()->mapToGlobal(position));
}

void HistoryPanel::applyPalette()
{
    const qreal ratio = devicePixelRatioF();
    const int size = fontMetrics().height() - 4;
    if (auto* label = findChild<QLabel*>(QStringLiteral("baselineSwatch")))
        label->setPixmap(swatch(m_model->baselineMarkColor(), size, ratio));
    if (auto* label = findChild<QLabel*>(QStringLiteral("candidateSwatch")))
        label->setPixmap(swatch(m_model->candidateMarkColor(), size, ratio));
    // The message sits on the window, not in a view: the error tint must read on Window.
    QPalette onWindow = palette();
    onWindow.setColor(QPalette::Active, QPalette::Base, onWindow.color(QPalette::Active, QPalette::Window));
    onWindow.setColor(QPalette::Active, QPalette::Text, onWindow.color(QPalette::Active, QPalette::WindowText));
    QPalette messagePalette = m_messageLabel->palette();
    messagePalette.setColor(QPalette::WindowText,
        m_messageIsError ? PaletteTints::tint(onWindow, PaletteTints::Tint::Error)
                         : onWindow.color(QPalette::Active, QPalette::WindowText));
    m_messageLabel->setPalette(messagePalette);
}

void HistoryPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        m_model->paletteChanged();
        applyPalette();
    }
}

} // namespace buildscope
