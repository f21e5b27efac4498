#pragma once

#include <QString>
#include <QUrl>
#include <QWidget>

class QTextBrowser;

namespace buildscope {

// Help > Documentation: the Markdown docs read in a window of their own, links between them
// followed, links out opened in the web browser. The docs come from where this dashboard
// is: installed beside it (share/doc/buildscope), or the source tree it was built from.
class DocumentationWindow : public QWidget
{
    Q_OBJECT

public:
    explicit DocumentationWindow(const QString& index, QWidget* parent = nullptr);

    // The README.md of the documentation on this machine, or empty when there is none.
    static QString findIndex();
    // Where the documentation is online, for a dashboard without local docs.
    static QUrl onlineDocumentation();

    QTextBrowser* browser() const noexcept { return m_browser; }
    // Follows a link as a click would: another document here, or the web browser.
    void follow(const QUrl& link);

private:
    QString m_folder; // of the index: where flattened (installed) docs are found by name
    QTextBrowser* m_browser;
};

} // namespace buildscope
