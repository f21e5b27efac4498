#pragma once

#include <QMenu>
#include <QObject>
#include <QStringList>

namespace buildscope {

// The File > Open Recent menu: most recent first, at most kMaxEntries, kept in
// QSettings, with a "Clear Menu" entry as desktop users expect.
class RecentFiles : public QObject
{
    Q_OBJECT

public:
    static constexpr int kMaxEntries = 10;

    explicit RecentFiles(QMenu* menu, QObject* parent = nullptr);

    void add(const QString& path);
    void clear();
    QStringList entries() const;

signals:
    void openRequested(const QString& path);
    // The list changed (an entry added, or the menu cleared).
    void changed();

private:
    void rebuildMenu();

    QMenu* m_menu;
};

} // namespace buildscope
