#include "window/documentationwindow.h"

#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QTextBrowser>
#include <QToolBar>
#include <QVBoxLayout>

namespace buildscope {

DocumentationWindow::DocumentationWindow(const QString& index, QWidget* parent)
    : QWidget(parent, Qt::Window)
    , m_folder(QFileInfo(index).absolutePath())
    , m_browser(new QTextBrowser(this))
{
    setWindowTitle(tr("BuildScope Documentation"));
    setAttribute(Qt::WA_DeleteOnClose);
    resize(900, 760);
    m_browser->setOpenLinks(false);
    m_browser->setSearchPaths({m_folder});
    auto* tools = new QToolBar(this);
    tools->addAction(tr("Back"), m_browser, &QTextBrowser::backward);
    tools->addAction(tr("Contents"), m_browser, &QTextBrowser::home);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(tools);
    layout->addWidget(m_browser);
    connect(m_browser, &QTextBrowser::anchorClicked, this, &DocumentationWindow::follow);
    m_browser->setSource(QUrl::fromLocalFile(index), QTextDocument::MarkdownResource);
}

QString DocumentationWindow::findIndex()
{
    const QDir programs(QCoreApplication::applicationDirPath());
    const QStringList candidates {
        programs.filePath(QStringLiteral("../share/doc/buildscope/README.md")), // installed (bin/ and share/)
        programs.filePath(QStringLiteral("../Resources/doc/README.md")), // BuildScope.app/Contents/MacOS on macOS
        QStringLiteral(BUILDSCOPE_SOURCE_DIR "/README.md"), // the source tree of a build run in place
    };
    for (const QString& candidate : candidates) {
        if (QFileInfo(candidate).isFile())
            return QFileInfo(candidate).canonicalFilePath();
    }
    return {};
}

QUrl DocumentationWindow::onlineDocumentation()
{
    return QUrl(QStringLiteral(BUILDSCOPE_HOMEPAGE_URL "/tree/main/docs"));
}

void DocumentationWindow::follow(const QUrl& link)
{
    if (!link.isRelative() && !link.isLocalFile()) {
        QDesktopServices::openUrl(link); // the web: the user's browser
        return;
    }
    const QUrl resolved = m_browser->source().resolved(link);
    if (resolved.path() == m_browser->source().path() && resolved.hasFragment()) {
        m_browser->scrollToAnchor(resolved.fragment());
        return;
    }
    QString file = resolved.toLocalFile();
    // Installed docs sit in one folder ("docs/SPEC.md" from the README is "SPEC.md" there).
    if (!QFileInfo(file).isFile())
        file = QDir(m_folder).filePath(QFileInfo(file).fileName());
    if (!QFileInfo(file).isFile()) {
        QDesktopServices::openUrl(resolved);
        return;
    }
    QUrl target = QUrl::fromLocalFile(file);
    target.setFragment(resolved.fragment());
    const bool markdown = file.endsWith(QLatin1String(".md"), Qt::CaseInsensitive);
    if (markdown)
        m_browser->setSource(target, QTextDocument::MarkdownResource);
    else
        QDesktopServices::openUrl(target); // a picture, a CSV: whatever opens it
}

} // namespace buildscope
