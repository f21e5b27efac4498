#include "history/historypanel.h"
#include "history/historytablemodel.h"
#include "history/runfilterproxy.h"
#include "history/runhistory.h"
#include "models/filterdebouncer.h"
#include "report/reportwriter.h"
#include "syntheticruns.h"
#include "theme/darkpalette.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>
#include <filesystem>

namespace buildscope {

namespace {

using Ids = std::vector<std::int64_t>;

} // namespace

class TestHistoryPanel : public QObject
{
    Q_OBJECT

private:
    static void setHistoryAndWait(HistoryPanel& panel, RunHistory* history)
    {
        QSignalSpy listed(&panel, &HistoryPanel::listed);
        panel.setHistory(history);
        QVERIFY(listed.wait(5000));
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        const std::filesystem::path root = m_dir->path().toStdString();
        m_history = std::make_unique<RunHistory>(root / "history.sqlite");
        // Reports written and read back, as `buildscope history import` takes them.
        const auto import = [&](testing::RunShape shape) {
            const std::filesystem::path directory = root / ("report" + std::to_string(shape.index));
            const LoadedReport made = testing::makeReport(shape);
            writeRunReport(made.result, made.samples, directory);
            return m_history->importReport(readRunReport(directory));
        };
        for (int i = 0; i < 3; ++i)
            m_base.push_back(import({.index = i, .labels = {{"side", "base"}, {"git.branch", "main"}}}));
        for (int i = 3; i < 5; ++i)
            m_candidate.push_back(
                import({.index = i, .compilePeakBytes = 520e6, .labels = {{"side", "cand"}, {"git.branch", "main"}}}));
        m_other = import({.index = 5, .spec = "other", .status = RunStatus::Failed});
    }

    void cleanup()
    {
        m_history.reset();
        m_dir.reset();
        m_base.clear();
        m_candidate.clear();
    }

    void listsTheStore()
    {
        HistoryPanel panel;
        QAbstractItemModelTester modelTester(panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(panel.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        setHistoryAndWait(panel, m_history.get());
        QCOMPARE(panel.model()->rowCount(), 6);
        QVERIFY(panel.message().isEmpty());
        // Newest first: the view is sorted by start, descending.
        QCOMPARE(panel.table()->model()->index(0, 0).data(HistoryTableModel::RunIdRole).toLongLong(), m_other);
        // The spec combo offers every spec of the store.
        QCOMPARE(panel.specCombo()->count(), 3);
        QCOMPARE(panel.specCombo()->itemData(1).toString(), QStringLiteral("demo"));
        QCOMPARE(panel.specCombo()->itemData(2).toString(), QStringLiteral("other"));
        panel.specCombo()->setCurrentIndex(2);
        QCOMPARE(panel.proxy()->rowCount(), 1);
        panel.specCombo()->setCurrentIndex(0);
        panel.statusCombo()->setCurrentIndex(panel.statusCombo()->findData(QStringLiteral("failed")));
        QCOMPARE(panel.proxy()->rowCount(), 1);
        QCOMPARE(panel.proxy()->index(0, 0).data(HistoryTableModel::RunIdRole).toLongLong(), m_other);
    }

    void labelFilterIsDebounced()
    {
        HistoryPanel panel;
        setHistoryAndWait(panel, m_history.get());
        panel.labelFilterEdit()->setText(QStringLiteral("side=cand"));
        QVERIFY(panel.labelDebouncer()->isPending());
        QCOMPARE(panel.proxy()->rowCount(), 6); // not yet: the user may still be typing
        QTRY_COMPARE(panel.proxy()->rowCount(), 2);
        QCOMPARE(panel.proxy()->labelFilter(), QStringLiteral("side=cand"));
        panel.labelFilterEdit()->setText(QStringLiteral("side=base"));
        panel.labelDebouncer()->flush(); // Return
        QCOMPARE(panel.proxy()->rowCount(), 3);
    }

    void buttonsChooseTheSidesAndCompare()
    {
        HistoryPanel panel;
        setHistoryAndWait(panel, m_history.get());
        QSignalSpy compare(&panel, &HistoryPanel::compareRequested);
        QSignalSpy baselineChanged(&panel, &HistoryPanel::baselineChanged);
        QVERIFY(!panel.compareButton()->isEnabled());
        QVERIFY(!panel.baselineButton()->isEnabled()); // nothing selected

        panel.labelFilterEdit()->setText(QStringLiteral("side=base"));
        panel.labelDebouncer()->flush();
        panel.table()->selectAll();
        QVERIFY(panel.baselineButton()->isEnabled());
        QTest::mouseClick(panel.baselineButton(), Qt::LeftButton);
        Ids base = panel.baselineRuns();
        std::sort(base.begin(), base.end());
        QCOMPARE(base, m_base);
        QCOMPARE(baselineChanged.count(), 1);
        QCOMPARE(baselineChanged.at(0).at(0).value<Ids>(), panel.baselineRuns());
        QCOMPARE(panel.baselineLabel()->text(), QStringLiteral("baseline: 3 runs labelled side=base"));
        QVERIFY(!panel.compareButton()->isEnabled()); // no candidate yet

        // One candidate run, picked by hand.
        panel.labelFilterEdit()->setText(QStringLiteral("side=cand"));
        panel.labelDebouncer()->flush();
        panel.table()->clearSelection();
        panel.table()->selectRow(0);
        QTest::mouseClick(panel.candidateButton(), Qt::LeftButton);
        QCOMPARE(panel.candidateRuns().size(), std::size_t(1));
        QVERIFY(panel.candidateLabel()->text().startsWith(QStringLiteral("candidate: run #")));
        // Then both candidate runs.
        panel.table()->selectAll();
        QTest::mouseClick(panel.candidateButton(), Qt::LeftButton);
        Ids candidate = panel.candidateRuns();
        std::sort(candidate.begin(), candidate.end());
        QCOMPARE(candidate, m_candidate);
        QCOMPARE(panel.candidateLabel()->text(), QStringLiteral("candidate: 2 runs labelled side=cand"));
        QCOMPARE(baselineChanged.count(), 1); // the baseline did not change

        // The chosen runs carry a swatch in the table.
        const int baseRow = panel.model()->rowOfRun(m_base.front());
        QCOMPARE(panel.model()->index(baseRow, HistoryTableModel::IdColumn).data(Qt::DecorationRole).value<QColor>(),
            panel.model()->baselineMarkColor());

        QVERIFY(panel.compareButton()->isEnabled());
        QTest::mouseClick(panel.compareButton(), Qt::LeftButton);
        QCOMPARE(compare.count(), 1);
        QCOMPARE(compare.at(0).at(0).value<Ids>(), panel.baselineRuns());
        QCOMPARE(compare.at(0).at(1).value<Ids>(), panel.candidateRuns());

        // A run is on one side only: choosing it as baseline takes it from the candidate.
        panel.setBaselineRuns({m_candidate.front()});
        QCOMPARE(panel.baselineRuns(), Ids {m_candidate.front()});
        QCOMPARE(panel.candidateRuns().size(), std::size_t(1));
        QCOMPARE(baselineChanged.count(), 2);
        panel.clearBaseline();
        QVERIFY(panel.baselineRuns().empty());
        QCOMPARE(baselineChanged.count(), 3);
        QVERIFY(baselineChanged.at(2).at(0).value<Ids>().empty());
        QCOMPARE(panel.baselineLabel()->text(), QStringLiteral("baseline: none"));
    }

    void sidesCanBePickedByLabel()
    {
        // As the command line's label:side=base: every run with the label, in one step.
        HistoryPanel panel;
        setHistoryAndWait(panel, m_history.get());
        const auto labels = panel.pickableLabels();
        QCOMPARE(labels.size(), std::size_t(3));
        QCOMPARE(labels[0].first, (std::pair<std::string, std::string> {"side", "base"})); // user labels first
        QCOMPARE(labels[0].second, std::size_t(3));
        QCOMPARE(labels[1].first, (std::pair<std::string, std::string> {"side", "cand"}));
        QCOMPARE(labels[2].first, (std::pair<std::string, std::string> {"git.branch", "main"}));
        QCOMPARE(labels[2].second, std::size_t(5));

        QMenu* menu = panel.baselineLabelButton()->menu();
        QMetaObject::invokeMethod(menu, "aboutToShow");
        QCOMPARE(menu->actions().size(), 3);
        QCOMPARE(menu->actions().at(0)->text(), QStringLiteral("side=base (3 runs)"));
        menu->actions().at(0)->trigger();
        Ids base = panel.baselineRuns();
        std::sort(base.begin(), base.end());
        QCOMPARE(base, m_base);
        QCOMPARE(panel.baselineLabel()->text(), QStringLiteral("baseline: 3 runs labelled side=base"));

        panel.setCandidateToLabel("side", "cand");
        Ids candidate = panel.candidateRuns();
        std::sort(candidate.begin(), candidate.end());
        QCOMPARE(candidate, m_candidate);
        QVERIFY(panel.compareButton()->isEnabled());

        // Part of a label's runs says so, rather than naming the label as if it were all.
        panel.setBaselineRuns({m_base[0], m_base[1]});
        QCOMPARE(panel.baselineLabel()->text(), QStringLiteral("baseline: 2 of 3 runs labelled side=base"));
    }

    void refreshIsInTheWindowsViewMenuAsF5()
    {
        HistoryPanel panel;
        QCOMPARE(panel.refreshAction()->shortcut(), QKeySequence(QKeySequence::Refresh));
        QCOMPARE(panel.refreshAction()->text(), QStringLiteral("&Refresh History"));
        // A handful of runs is always in view, however the dock is sized.
        QVERIFY(panel.table()->minimumHeight() >= 5 * panel.table()->verticalHeader()->defaultSectionSize());
        QVERIFY(panel.sizeHint().height() >= 10 * panel.table()->verticalHeader()->defaultSectionSize());
    }

    void doubleClickOpensARun()
    {
        HistoryPanel panel;
        panel.resize(900, 400);
        setHistoryAndWait(panel, m_history.get());
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy open(&panel, &HistoryPanel::openRunRequested);
        QTableView* table = panel.table();
        const QRect cell = table->visualRect(table->model()->index(1, HistoryTableModel::SpecColumn));
        // The view only takes a double-click on the cell the press went to (QTest's double
        // click in Qt 6 brings no press of its own).
        QTest::mousePress(table->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.at(0).at(0).value<std::int64_t>(),
            table->model()->index(1, 0).data(HistoryTableModel::RunIdRole).toLongLong());
    }

    void deleteAsksThenRemoves()
    {
        HistoryPanel panel;
        setHistoryAndWait(panel, m_history.get());
        QStringList questions;
        bool answer = false;
        panel.setConfirmFunction([&](QWidget*, const QString& question, const QString&) {
            questions << question;
            return answer;
        });
        panel.setBaselineRuns(m_base);
        QSignalSpy baselineChanged(&panel, &HistoryPanel::baselineChanged);
        const int row = panel.proxy()->mapFromSource(panel.model()->index(panel.model()->rowOfRun(m_base[1]), 0)).row();
        panel.table()->selectRow(row);
        QCOMPARE(panel.selectedRuns(), Ids {m_base[1]});

        // Declined: nothing happens.
        panel.deleteAction()->trigger();
        QCOMPARE(questions.size(), 1);
        QCOMPARE(questions.front(), QStringLiteral("Delete run #%1 from the history?").arg(m_base[1]));
        QCOMPARE(m_history->list().size(), std::size_t(6));

        // Accepted: gone from the store, the table and the baseline.
        answer = true;
        panel.deleteAction()->trigger();
        QCOMPARE(questions.size(), 2);
        QCOMPARE(m_history->list().size(), std::size_t(5));
        QTRY_COMPARE(panel.model()->rowCount(), 5); // listed again in the background
        QCOMPARE(panel.model()->rowOfRun(m_base[1]), -1);
        QCOMPARE(panel.baselineRuns(), (Ids {m_base[0], m_base[2]}));
        QCOMPARE(baselineChanged.count(), 1);
        QVERIFY(panel.message().contains(QStringLiteral("Deleted")));
    }

    void storeErrorsAreShownNotThrown()
    {
        HistoryPanel panel;
        setHistoryAndWait(panel, m_history.get());
        panel.setConfirmFunction([](QWidget*, const QString&, const QString&) { return true; });
        const std::int64_t id = m_candidate.front();
        panel.table()->selectRow(
            panel.proxy()->mapFromSource(panel.model()->index(panel.model()->rowOfRun(id), 0)).row());
        m_history->deleteRun(id); // deleted behind the panel's back (the CLI, another window)
        panel.deleteSelected(); // HistoryError "there is no run N": on the message line
        QVERIFY2(panel.message().contains(QStringLiteral("no run")), qPrintable(panel.message()));
        QVERIFY(panel.message().contains(QStringLiteral("history.sqlite")));
        QTRY_COMPARE(panel.model()->rowOfRun(id), -1); // and the listing is current again
    }

    void withoutAHistoryThePanelIsDisabled()
    {
        HistoryPanel panel;
        QVERIFY(!panel.table()->isEnabled());
        QVERIFY(!panel.message().isEmpty());
        setHistoryAndWait(panel, m_history.get());
        QVERIFY(panel.table()->isEnabled());
        QVERIFY(panel.message().isEmpty());
        panel.setBaselineRuns(m_base);
        QSignalSpy baselineChanged(&panel, &HistoryPanel::baselineChanged);
        panel.setHistoryUnavailable(QStringLiteral("/x/history.sqlite: the store is locked"));
        QVERIFY(!panel.table()->isEnabled());
        QCOMPARE(panel.model()->rowCount(), 0);
        QVERIFY(panel.message().contains(QStringLiteral("locked")));
        QCOMPARE(baselineChanged.count(), 1); // the overlay must go too
        QVERIFY(panel.baselineRuns().empty());
    }

    void refreshInsertsNewRunsAtTheTop()
    {
        HistoryPanel panel;
        setHistoryAndWait(panel, m_history.get());
        QSignalSpy reset(panel.model(), &QAbstractItemModel::modelReset);
        QSignalSpy inserted(panel.model(), &QAbstractItemModel::rowsInserted);
        testing::RunShape shape {.index = 9, .labels = {{"side", "cand"}}};
        m_history->importReport(testing::makeReport(shape));
        QSignalSpy listed(&panel, &HistoryPanel::listed);
        panel.refresh();
        QVERIFY(listed.wait(5000));
        QCOMPARE(reset.count(), 0);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(panel.model()->rowCount(), 7);
    }

    // A run recorded by another process (here: another connection) shows up without a
    // refresh: the panel watches the store.
    void runsRecordedElsewhereAppearByThemselves()
    {
        HistoryPanel panel;
        setHistoryAndWait(panel, m_history.get());
        const int before = panel.model()->rowCount();
        {
            RunHistory elsewhere(m_history->file());
            testing::RunShape shape {.index = 10, .labels = {{"side", "base"}}};
            elsewhere.importReport(testing::makeReport(shape));
        }
        QTRY_COMPARE_WITH_TIMEOUT(panel.model()->rowCount(), before + 1, 10000);
    }

    void screenshots()
    {
        struct Variant
        {
            const char* name;
            QPalette palette;
        };
        const Variant variants[] = {{"light", QApplication::style()->standardPalette()}, {"dark", darkPalette()}};
        for (const Variant& variant : variants) {
            QApplication::setPalette(variant.palette);
            HistoryPanel panel;
            panel.resize(1100, 520);
            setHistoryAndWait(panel, m_history.get());
            panel.setBaselineRuns(m_base);
            panel.setCandidateRuns(m_candidate);
            panel.table()->selectRow(1);
            panel.show();
            QVERIFY(QTest::qWaitForWindowExposed(&panel));
            QCoreApplication::processEvents();
            const QImage image = panel.grab().toImage();
            const QString path = QDir::tempPath() + QStringLiteral("/buildscope_historypanel_")
                + QLatin1String(variant.name) + QStringLiteral(".png");
            QVERIFY(image.save(path));
            qInfo("screenshot: %s", qPrintable(path));
        }
        // Without a store: the explanation on the message line, the rest disabled.
        QApplication::setPalette(QApplication::style()->standardPalette());
        HistoryPanel unavailable;
        unavailable.resize(1100, 300);
        unavailable.setHistoryUnavailable(
            QStringLiteral("/home/me/.local/share/BuildScope/history.sqlite: the store is locked by another process"));
        unavailable.show();
        QVERIFY(QTest::qWaitForWindowExposed(&unavailable));
        const QString path = QDir::tempPath() + QStringLiteral("/buildscope_historypanel_unavailable.png");
        QVERIFY(unavailable.grab().toImage().save(path));
        qInfo("screenshot: %s", qPrintable(path));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<RunHistory> m_history;
    Ids m_base;
    Ids m_candidate;
    std::int64_t m_other = 0;
};

} // namespace buildscope

QTEST_MAIN(buildscope::TestHistoryPanel)
#include "tst_historypanel.moc"
