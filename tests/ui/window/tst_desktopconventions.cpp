// What a desktop user expects of the window, without running a build: a welcome panel on
// first launch, Edit (copy rows, find), View > Refresh History, engine internals on
// demand, Help > Documentation, and Preferences for dark mode and the store's location.
#include "charts/chartpanel.h"
#include "history/historypanel.h"
#include "models/steptablemodel.h"
#include "theme/darkpalette.h"
#include "window/documentationwindow.h"
#include "window/logpanel.h"
#include "window/mainwindow.h"
#include "window/preferencesdialog.h"
#include "window/welcomepanel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QCommandLinkButton>
#include <QDockWidget>
#include <QLineEdit>
#include <QMenuBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStyle>
#include <QTableView>
#include <QTextBrowser>
#include <QtTest>

namespace buildscope {

namespace {

QAction* menuAction(QMainWindow& window, const QString& menu, const QString& text)
{
    for (QAction* top : window.menuBar()->actions()) {
        if (top->text().remove(QLatin1Char('&')) != menu)
            continue;
        const auto find = [&text](QMenu* in, const auto& self) -> QAction* {
            for (QAction* action : in->actions()) {
                if (action->text().remove(QLatin1Char('&')) == text)
                    return action;
                if (action->menu())
                    if (QAction* inner = self(action->menu(), self))
                        return inner;
            }
            return nullptr;
        };
        return find(top->menu(), find);
    }
    return nullptr;
}

} // namespace

class TestDesktopConventions : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("BuildScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_desktopconventions"));
        qputenv("BUILDSCOPE_LIVE_DIR", m_dir.filePath(QStringLiteral("live")).toUtf8());
    }

    void init()
    {
        QSettings().clear();
        qputenv("BUILDSCOPE_STORE", m_dir.filePath(QStringLiteral("history.sqlite")).toUtf8());
    }

    void cleanup() { QApplication::setPalette(QApplication::style()->standardPalette()); }

    void welcomePanelUntilSomethingIsOpen()
    {
        MainWindow window;
        window.show();
        QVERIFY(window.showsWelcome());
        // Open, Run a Command, Attach: the window's own actions, as big buttons.
        const QList<QCommandLinkButton*> buttons = window.welcomePanel().findChildren<QCommandLinkButton*>();
        QCOMPARE(buttons.size(), 3);
        QCOMPARE(buttons[0]->text(), QStringLiteral("Open…"));
        QCOMPARE(buttons[1]->text(), QStringLiteral("Run a Command…"));
        QCOMPARE(buttons[2]->text(), QStringLiteral("Attach to a Running Build…"));
        QAction* attach = window.findChild<QAction*>(QStringLiteral("attachAction"));
        QVERIFY(attach);
        attach->setEnabled(false); // the buttons follow their actions
        QVERIFY(!buttons[2]->isEnabled());
        attach->setEnabled(true);

        QString error;
        QVERIFY2(window.openPath(QStringLiteral(BUILDSCOPE_SOURCE_DIR "/examples/demo/buildscope.yaml"), &error),
            qPrintable(error));
        QVERIFY(!window.showsWelcome());
        QCOMPARE(window.windowTitle(), QStringLiteral("demo — BuildScope"));

        // The next launch lists it under Recent.
        MainWindow again;
        const QList<QPushButton*> recent = again.welcomePanel().findChildren<QPushButton*>();
        bool listed = false;
        for (const QPushButton* button : recent)
            listed = listed || button->toolTip().endsWith(QStringLiteral("examples/demo/buildscope.yaml"));
        QVERIFY(listed);
    }

    void editCopiesRowsAndFinds()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(menuAction(window, QStringLiteral("Edit"), QStringLiteral("Copy")));
        QVERIFY(menuAction(window, QStringLiteral("Edit"), QStringLiteral("Find…")));
        QCOMPARE(window.copyAction()->shortcut(), QKeySequence(QKeySequence::Copy));
        QCOMPARE(window.findAction()->shortcut(), QKeySequence(QKeySequence::Find));

        QVERIFY(window.openPath(QStringLiteral(BUILDSCOPE_SOURCE_DIR "/examples/demo/buildscope.yaml")));
        QTableView* steps = window.stepView();
        steps->selectRow(2);
        const QString text = window.copyRows(steps);
        QVERIFY2(text.startsWith(QStringLiteral("Name\tPeak RSS\t")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("\ncompile\t")), qPrintable(text));
        QCOMPARE(text.count(QLatin1Char('\n')), 2);
        QCOMPARE(QApplication::clipboard()->text(), text);

        // Find filters the log, or the history when the focus is there.
        QApplication::setActiveWindow(&window);
        steps->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), steps);
        window.findAction()->trigger();
        QTRY_COMPARE(window.focusWidget(), window.logPanel().filterEdit());
        QVERIFY(window.findChild<QDockWidget*>(QStringLiteral("logDock"))->isVisible());
        window.findChild<QDockWidget*>(QStringLiteral("historyDock"))->raise();
        window.historyPanel().table()->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), window.historyPanel().table());
        window.findAction()->trigger();
        QTRY_COMPARE(window.focusWidget(), window.historyPanel().labelFilterEdit());
    }

    void viewMenuRefreshesTheHistoryAndShowsEngineInternalsOnDemand()
    {
        MainWindow window;
        QAction* refresh = menuAction(window, QStringLiteral("View"), QStringLiteral("Refresh History"));
        QVERIFY(refresh);
        QCOMPARE(refresh, window.refreshHistoryAction());
        QCOMPARE(refresh->shortcut(), QKeySequence(QKeySequence::Refresh));
        QCOMPARE(refresh->shortcutContext(), Qt::WindowShortcut);
        QSignalSpy listed(&window.historyPanel(), &HistoryPanel::listed);
        refresh->trigger();
        QVERIFY(listed.wait(5000));

        // Engine internals take no room until asked for.
        ChartPanel& charts = window.charts();
        QVERIFY(!charts.chartShown(ChartPanel::Chart::AllocationRate));
        QVERIFY(!charts.chartShown(ChartPanel::Chart::PoolHitRate));
        QVERIFY(!charts.engineHeapShown());
        QAction* hitRates = menuAction(window, QStringLiteral("View"), QStringLiteral("Engine Pool Hit Rates"));
        QVERIFY(hitRates);
        hitRates->trigger();
        QVERIFY(charts.chartShown(ChartPanel::Chart::PoolHitRate));
        // Remembered.
        MainWindow again;
        QVERIFY(again.charts().chartShown(ChartPanel::Chart::PoolHitRate));
        QVERIFY(!again.charts().chartShown(ChartPanel::Chart::AllocationRate));
        // Steps and the engine's operations are separate tables.
        QVERIFY(window.findChild<QDockWidget*>(QStringLiteral("stepsDock")));
        QVERIFY(window.findChild<QDockWidget*>(QStringLiteral("operationsDock")));
    }

    void helpOpensTheDocumentation()
    {
        MainWindow window;
        QAction* documentation = menuAction(window, QStringLiteral("Help"), QStringLiteral("BuildScope Documentation"));
        QVERIFY(documentation);
        QCOMPARE(documentation->shortcut(), QKeySequence(QKeySequence::HelpContents));
        QVERIFY(!DocumentationWindow::findIndex().isEmpty()); // the source tree's, for this build
        DocumentationWindow* docs = window.showDocumentation();
        QVERIFY(docs);
        QVERIFY(docs->browser()->toPlainText().contains(QStringLiteral("BuildScope")));
        // A link to another document is followed inside the window.
        docs->follow(QUrl(QStringLiteral("docs/METRICS.md")));
        QVERIFY(docs->browser()->source().toLocalFile().endsWith(QStringLiteral("docs/METRICS.md")));
        QVERIFY(!docs->browser()->toPlainText().isEmpty());
        // A flattened installation: "docs/X.md" from the README is found beside it.
        QTemporaryDir installed;
        QFile::copy(
            QStringLiteral(BUILDSCOPE_SOURCE_DIR "/README.md"), installed.filePath(QStringLiteral("README.md")));
        QFile::copy(
            QStringLiteral(BUILDSCOPE_SOURCE_DIR "/docs/SPEC.md"), installed.filePath(QStringLiteral("SPEC.md")));
        DocumentationWindow flat(installed.filePath(QStringLiteral("README.md")));
        flat.follow(QUrl(QStringLiteral("docs/SPEC.md")));
        QCOMPARE(flat.browser()->source().toLocalFile(), installed.filePath(QStringLiteral("SPEC.md")));
    }

    void preferencesChooseDarkModeAndTheStore()
    {
        PreferencesDialog dialog;
        QCOMPARE(PreferencesDialog::appearance(), Appearance::System);
        dialog.appearanceCombo()->setCurrentIndex(dialog.appearanceCombo()->findData(QStringLiteral("dark")));
        const QString store = m_dir.filePath(QStringLiteral("elsewhere/runs.sqlite"));
        QDir().mkpath(m_dir.filePath(QStringLiteral("elsewhere")));
        dialog.storeEdit()->setText(store);
        dialog.accept();
        QCOMPARE(PreferencesDialog::appearance(), Appearance::Dark);
        QCOMPARE(PreferencesDialog::chosenStore(), store);
        // BUILDSCOPE_STORE, when set, wins: builds from the same shell record there.
        QCOMPARE(QString::fromStdString(PreferencesDialog::storePath().string()),
            m_dir.filePath(QStringLiteral("history.sqlite")));
        qunsetenv("BUILDSCOPE_STORE");
        QCOMPARE(QString::fromStdString(PreferencesDialog::storePath().string()), store);
        MainWindow window;
        QVERIFY(window.history());
        QCOMPARE(QString::fromStdString(window.history()->file().string()), store);
        // An empty store field means the default one again.
        PreferencesDialog reset;
        reset.storeEdit()->clear();
        reset.accept();
        QVERIFY(PreferencesDialog::chosenStore().isEmpty());
    }
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestDesktopConventions)
#include "tst_desktopconventions.moc"
