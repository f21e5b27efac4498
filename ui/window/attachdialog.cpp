#include "window/attachdialog.h"

#include "live/livedirectory.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace buildscope {

AttachDialog::AttachDialog(QWidget* parent)
    : QDialog(parent)
    , m_list(new QListWidget(this))
    , m_note(new QLabel(this))
{
    setWindowTitle(tr("Attach to a Running Build"));
    m_note->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Attach"));
    QPushButton* refreshButton = buttons->addButton(tr("Refresh"), QDialogButtonBox::ActionRole);
    connect(refreshButton, &QPushButton::clicked, this, &AttachDialog::refresh);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::itemDoubleClicked, this, &QDialog::accept);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Builds started with <b>buildscope run</b> on this machine:"), this));
    layout->addWidget(m_list, 1);
    layout->addWidget(m_note);
    layout->addWidget(buttons);
    resize(640, 320);
    refresh();
}

bool AttachDialog::refresh()
{
    m_list->clear();
    std::vector<live::LiveRunInfo> runs;
    try {
        runs = live::listLiveRuns(live::liveDirectory());
    } catch (const live::LiveError& error) {
        m_note->setText(QString::fromStdString(error.what()));
        return false;
    }
    for (const live::LiveRunInfo& run : runs) {
        const QDateTime started = QDateTime::fromMSecsSinceEpoch(
            std::chrono::duration_cast<std::chrono::milliseconds>(run.startedAt.time_since_epoch()).count());
        auto* item = new QListWidgetItem(tr("%1 — started %2, pid %3\n%4 (in %5)")
                                             .arg(QString::fromStdString(run.specName),
                                                 started.toString(QStringLiteral("HH:mm:ss")))
                                             .arg(run.pid)
                                             .arg(QString::fromStdString(run.command),
                                                 QString::fromStdString(run.workingDirectory.string())),
            m_list);
        item->setData(Qt::UserRole, QString::fromStdString(run.socket.string()));
    }
    if (!runs.empty())
        m_list->setCurrentRow(0);
    m_note->setText(runs.empty() ? tr("No build is running. Start one in a terminal with "
                                      "<tt>buildscope run buildscope.yaml</tt> or <tt>buildscope run -- make -j8</tt>, "
                                      "then press Refresh.")
                                 : QString());
    return !runs.empty();
}

QString AttachDialog::socket() const
{
    const QListWidgetItem* item = m_list->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

} // namespace buildscope
