#include "window/recentfiles.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace buildscope {

namespace {
const char* const kKey = "recentFiles";
}

RecentFiles::RecentFiles(QMenu* menu, QObject* parent)
    : QObject(parent)
    , m_menu(menu)
{
    rebuildMenu();
}

QStringList RecentFiles::entries() const
{
    return QSettings().value(kKey).toStringList();
}

void RecentFiles::add(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = entries();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kMaxEntries)
        list.removeLast();
    QSettings().setValue(kKey, list);
    rebuildMenu();
    emit changed();
}

void RecentFiles::clear()
{
    QSettings().remove(kKey);
    rebuildMenu();
    emit changed();
}

void RecentFiles::rebuildMenu()
{
    m_menu->clear();
    const QStringList list = entries();
    for (const QString& path : list) {
        QAction* action = m_menu->addAction(QDir::toNativeSeparators(path));
        action->setEnabled(QFileInfo::exists(path));
        connect(action, &QAction::triggered, this, [this, path] { emit openRequested(path); });
    }
    if (!list.isEmpty())
        m_menu->addSeparator();
    QAction* clearAction = m_menu->addAction(tr("Clear Menu"));
    clearAction->setEnabled(!list.isEmpty());
    connect(clearAction, &QAction::triggered, this, &RecentFiles::clear);
}

} // namespace buildscope
