#include "theme/appearance.h"

#include "theme/darkpalette.h"

#include <QApplication>
#include <QStyle>

namespace buildscope {

void applyAppearance(Appearance appearance)
{
    switch (appearance) {
    case Appearance::System:
        // A palette that resolves nothing falls back to the platform theme's (which follows
        // the system's dark mode where the platform has one).
        QApplication::setPalette(QPalette());
        return;
    case Appearance::Light:
        QApplication::setPalette(QApplication::style()->standardPalette());
        return;
    case Appearance::Dark:
        QApplication::setPalette(darkPalette());
        return;
    }
}

QString appearanceName(Appearance appearance)
{
    switch (appearance) {
    case Appearance::System:
        break;
    case Appearance::Light:
        return QStringLiteral("light");
    case Appearance::Dark:
        return QStringLiteral("dark");
    }
    return QStringLiteral("system");
}

Appearance appearanceFromName(const QString& name)
{
    if (name == QLatin1String("light"))
        return Appearance::Light;
    if (name == QLatin1String("dark"))
        return Appearance::Dark;
    return Appearance::System;
}

} // namespace buildscope
