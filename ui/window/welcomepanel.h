#pragma once

#include <QStringList>
#include <QWidget>

class QAction;
class QVBoxLayout;

namespace buildscope {

// What the window shows until something is open: the three ways in — open a spec or a
// report, run any build command, or attach to a build running elsewhere — as large
// buttons that trigger the window's own actions, and the recently opened files.
class WelcomePanel : public QWidget
{
    Q_OBJECT

public:
    WelcomePanel(QAction* open, QAction* runCommand, QAction* attach, QWidget* parent = nullptr);

    // Most recent first; each is a button that asks to open it.
    void setRecentFiles(const QStringList& paths);

signals:
    void openRecentRequested(const QString& path);

private:
    QVBoxLayout* m_recent;
};

} // namespace buildscope
