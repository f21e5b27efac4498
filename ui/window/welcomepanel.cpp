#include "window/welcomepanel.h"

#include <QAction>
#include <QCommandLinkButton>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace buildscope {

namespace {

constexpr int kRecentShown = 5;

QCommandLinkButton* actionButton(QAction* action, const QString& description, QWidget* parent)
{
    // The menu's own words ("Run a Command…"), without the mnemonic.
    auto* button = new QCommandLinkButton(QString(action->text()).remove(QLatin1Char('&')), description, parent);
    button->setObjectName(action->objectName());
    if (!action->icon().isNull())
        button->setIcon(action->icon());
    QObject::connect(button, &QAbstractButton::clicked, action, &QAction::trigger);
    QObject::connect(action, &QAction::enabledChanged, button, &QWidget::setEnabled);
    button->setEnabled(action->isEnabled());
    return button;
}

} // namespace

WelcomePanel::WelcomePanel(QAction* open, QAction* runCommand, QAction* attach, QWidget* parent)
    : QWidget(parent)
    , m_recent(new QVBoxLayout)
{
    auto* title = new QLabel(tr("Welcome to BuildScope"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    title->setFont(titleFont);
    auto* intro = new QLabel(tr("Watch what a build costs in memory, live and afterwards: its compiler, linker and "
                                "every other process, step by step."),
        this);
    intro->setWordWrap(true);

    auto* column = new QVBoxLayout;
    column->setSpacing(6);
    column->addWidget(title);
    column->addWidget(intro);
    column->addSpacing(12);
    column->addWidget(actionButton(open,
        tr("A buildscope.yaml spec of build steps, or a report folder a run wrote (run.json and its CSV files)."),
        this));
    column->addWidget(actionButton(runCommand,
        tr("Any build command — make -j8, ninja, cmake --build build — measured as it runs, no spec needed."), this));
    column->addWidget(actionButton(
        attach, tr("Watch a build started from a terminal or an IDE with buildscope run, from its start."), this));
    column->addSpacing(12);
    auto* recentTitle = new QLabel(tr("Recent"), this);
    recentTitle->setObjectName(QStringLiteral("recentTitle"));
    QFont bold = recentTitle->font();
    bold.setBold(true);
    recentTitle->setFont(bold);
    column->addWidget(recentTitle);
    m_recent->setSpacing(0);
    column->addLayout(m_recent);
    column->addStretch(1);

    // A readable column in the middle of however wide a window.
    auto* frame = new QWidget(this);
    frame->setMaximumWidth(640);
    frame->setLayout(column);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(24, 32, 24, 24);
    layout->addStretch(1);
    layout->addWidget(frame, 4);
    layout->addStretch(1);
    setRecentFiles({});
}

void WelcomePanel::setRecentFiles(const QStringList& paths)
{
    while (QLayoutItem* item = m_recent->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    if (auto* title = findChild<QLabel*>(QStringLiteral("recentTitle")))
        title->setVisible(!paths.isEmpty());
    for (const QString& path : paths.mid(0, kRecentShown)) {
        const QFileInfo info(path);
        const QString shown = info.fileName() == QLatin1String("buildscope.yaml") || info.isDir()
            ? QDir::toNativeSeparators(info.absoluteFilePath())
            : info.fileName();
        auto* button = new QPushButton(shown, this);
        button->setFlat(true);
        button->setToolTip(QDir::toNativeSeparators(path));
        button->setStyleSheet(QStringLiteral("text-align: left; padding: 3px 6px;"));
        button->setCursor(Qt::PointingHandCursor);
        connect(button, &QPushButton::clicked, this, [this, path] { emit openRecentRequested(path); });
        m_recent->addWidget(button);
    }
}

} // namespace buildscope
