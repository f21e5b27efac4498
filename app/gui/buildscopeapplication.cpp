#include "buildscopeapplication.h"

#include "window/mainwindow.h"

#include <QFileOpenEvent>

namespace buildscope {

BuildScopeApplication::BuildScopeApplication(int& argc, char** argv)
    : QApplication(argc, argv)
{ }

bool BuildScopeApplication::event(QEvent* event)
{
    if (event->type() == QEvent::FileOpen) {
        const QString path = static_cast<QFileOpenEvent*>(event)->file();
        if (m_window)
            m_window->openPath(path);
        return true;
    }
    return QApplication::event(event);
}

} // namespace buildscope
