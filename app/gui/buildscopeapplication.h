#pragma once

#include "window/mainwindow.h"

#include <QApplication>
#include <QPointer>

namespace buildscope {

// The dashboard's application object: forwards QEvent::FileOpen (a spec or report
// opened from Finder, or dropped on the Dock icon) to the main window.
class BuildScopeApplication : public QApplication
{
    Q_OBJECT

public:
    BuildScopeApplication(int& argc, char** argv);
    void setMainWindow(MainWindow* window) { m_window = window; }

protected:
    bool event(QEvent* event) override;

private:
    QPointer<MainWindow> m_window;
    QString m_pendingOpen; // a FileOpen that arrived before the window existed
};

} // namespace buildscope
