// `buildscope bisect` end to end on generated git repositories: each commit's build step
// runs filehog, which allocates the MiB written in the commit's mib.txt, so the culprit
// and every verdict are known. The user's work tree must come out exactly as it went in.
#include "history/runhistory.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

namespace buildscope {

namespace {

struct CliResult
{
    int exitCode = -1;
    QString out;
    QString err;
    QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
};

void writeFile(const QString& path, const QByteArray& text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text);
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// git in `directory`, with an identity and no user or system configuration.
QString git(const QString& directory, const QStringList& arguments)
{
    QProcess process;
    process.setWorkingDirectory(directory);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("GIT_CONFIG_NOSYSTEM", "1");
    environment.insert("GIT_CONFIG_GLOBAL", "/dev/null");
    environment.insert("GIT_AUTHOR_NAME", "Bisect Test");
    environment.insert("GIT_AUTHOR_EMAIL", "bisect@example.org");
    environment.insert("GIT_COMMITTER_NAME", "Bisect Test");
    environment.insert("GIT_COMMITTER_EMAIL", "bisect@example.org");
    process.setProcessEnvironment(environment);
    process.start("git", arguments);
    if (!process.waitForFinished(60000) || process.exitCode() != 0)
        qWarning("git %s failed: %s", qPrintable(arguments.join(' ')), process.readAllStandardError().constData());
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
}

} // namespace

class TestCliBisect : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_repositories = 0;
    QString m_revisionsRepository;

    // TMPDIR of the CLI: where its scratch worktrees go, empty again after every bisection.
    QString scratch() const { return m_dir.filePath("scratch"); }

    CliResult bisect(const QStringList& arguments, const QString& workingDirectory, qint64 interruptAfterMs = -1)
    {
        QProcess process;
        process.setWorkingDirectory(workingDirectory);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("TMPDIR", scratch());
        environment.insert("BUILDSCOPE_STORE", m_dir.filePath("default-store.sqlite"));
        process.setProcessEnvironment(environment);
        process.start(BUILDSCOPE_CLI, QStringList {"bisect"} + arguments);
        if (interruptAfterMs >= 0) {
            // Once the scratch worktree exists and its first build is under way, as a
            // user's Ctrl-C would.
            QElapsedTimer timer;
            timer.start();
            while (scratchIsEmpty() && timer.elapsed() < 20000)
                QTest::qWait(20);
            QTest::qWait(static_cast<int>(interruptAfterMs));
            ::kill(static_cast<pid_t>(process.processId()), SIGINT);
        }
        if (!process.waitForFinished(240000)) {
            process.kill();
            process.waitForFinished();
        }
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
    }

    // A repository of `commits` commits; from commit `culprit` on (1-based; 0: never) the
    // step allocates `after` MiB instead of `before`. The step's command is `step`, with
    // FILEHOG replaced. Returns the repository's directory.
    QString makeRepository(
        int commits, int culprit, int before = 40, int after = 52, const QByteArray& step = "exec \"FILEHOG\" mib.txt")
    {
        const QString directory = m_dir.filePath("repo-" + QString::number(++m_repositories));
        QDir().mkpath(directory);
        git(directory, {"init", "-q", "-b", "main", "."});
        QByteArray command = step;
        command.replace("FILEHOG", FILEHOG);
        writeFile(directory + "/buildscope.yaml",
            "version: 1\nname: hog\ncontext: .\nsample_hz: 50\nsteps:\n  - name: alloc\n    run: '" + command + "'\n");
        for (int commit = 1; commit <= commits; ++commit) {
            const int mib = culprit > 0 && commit >= culprit ? after : before;
            writeFile(directory + "/mib.txt", QByteArray::number(mib) + "\n");
            writeFile(directory + "/sub/mib.txt", QByteArray::number(mib) + "\n");
            writeFile(directory + "/history.txt", QByteArray::number(commit) + "\n");
            git(directory, {"add", "-A"});
            git(directory, {"commit", "-q", "-m", "commit " + QString::number(commit)});
        }
        return directory;
    }

    QString commitHash(const QString& repository, int commit) // 1-based, along main
    {
        return git(repository, {"rev-list", "--reverse", "main"}).split('\n').value(commit - 1);
    }

    int worktrees(const QString& repository)
    {
        return static_cast<int>(git(repository, {"worktree", "list", "--porcelain"}).count("worktree "));
    }

    bool scratchIsEmpty() const
    {
        return QDir(scratch()).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir().mkpath(scratch()));
    }

    // The repository: 32 commits, the 19th makes the step 30 % hungrier (40 -> 52
    // MiB). Found in 5 steps (ceil(log2 31)); with 3 runs per commit the bad commit's
    // first comparison is 'unknown' and it runs 3 more of bad and good. The user's work
    // tree, with an uncommitted change and an untracked file, is left exactly as it was.
    void findsTheCommitThatMadeAStepHungrier()
    {
        const QString repository = makeRepository(32, 19);
        writeFile(repository + "/mib.txt", "80\n"); // uncommitted: a bisection must not build it
        writeFile(repository + "/notes.txt", "mine\n");
        const QString head = git(repository, {"rev-parse", "HEAD"});
        const QString statusBefore = git(repository, {"status", "--porcelain"});
        const QString store = m_dir.filePath("bisect-store.sqlite");

        QElapsedTimer timer;
        timer.start();
        const CliResult result = bisect({"--good", "main~31", "--bad", "main", "--repeat", "3", "--store", store,
                                            "--format", "json", "buildscope.yaml"},
            repository);
        qInfo("bisection of 32 commits took %lld ms", static_cast<long long>(timer.elapsed()));
        QVERIFY2(result.exitCode == 0, qPrintable(result.err.right(3000)));
        const QJsonObject json = result.json();
        QCOMPARE(json["outcome"].toString(), QString("found"));
        QCOMPARE(json["first_bad"].toObject()["hash"].toString(), commitHash(repository, 19));
        QCOMPARE(json["first_bad"].toObject()["subject"].toString(), QString("commit 19"));
        QCOMPARE(json["commits"].toInt(), 31);
        const int steps = json["steps"].toInt();
        QVERIFY2(steps >= 1 && steps <= 5, qPrintable(QString::number(steps)));
        const QJsonArray tested = json["tested"].toArray();
        QCOMPARE(tested.size(), steps + 2); // good, bad, then the steps

        // The evidence: good 40 MiB, bad regressed about 30 % on the step, each verdict
        // consistent with the commit's place before or after the culprit.
        QCOMPARE(tested[0].toObject()["role"].toString(), QString("good"));
        QCOMPARE(tested[0].toObject()["runs"].toInt(), 6);
        const QJsonObject bad = tested[1].toObject();
        QCOMPARE(bad["verdict"].toString(), QString("bad"));
        QCOMPARE(bad["runs"].toInt(), 6); // 3, then 3 more: 3 + 3 cannot reach p < 0.05
        QVERIFY2(bad["delta_percent"].toDouble() > 25 && bad["delta_percent"].toDouble() < 35,
            qPrintable(QString::number(bad["delta_percent"].toDouble())));
        QVERIFY(bad["base_median"].toDouble() > 40 * 1048576.0 && bad["base_median"].toDouble() < 44 * 1048576.0);
        QVERIFY(bad["p_value"].toDouble() < 0.05);
        const QStringList order = git(repository, {"rev-list", "--reverse", "main"}).split('\n');
        qint64 runs = 0;
        for (const QJsonValue& value : tested) {
            const QJsonObject commit = value.toObject();
            runs += commit["run_ids"].toArray().size();
            if (commit["role"].toString() != "step")
                continue;
            const qsizetype position = order.indexOf(commit["hash"].toString()) + 1;
            QCOMPARE(commit["verdict"].toString(), QString(position >= 19 ? "bad" : "good"));
            QCOMPARE(commit["runs"].toInt(), 3);
        }

        // Every run is in the store, labelled with the session and the commit it built.
        RunHistory history(store.toStdString());
        const std::vector<std::int64_t> ids
            = history.select("label:bisect=" + json["session"].toString().toStdString());
        QCOMPARE(static_cast<qint64>(ids.size()), runs);
        const RunResult first = history.loadResult(ids.front());
        const auto commitLabel = std::find_if(
            first.labels.begin(), first.labels.end(), [](const auto& label) { return label.first == "git.commit"; });
        QVERIFY(commitLabel != first.labels.end());

        // The user's tree: same HEAD, same branch, same uncommitted change and untracked
        // file, no worktree left, no scratch directory left.
        QCOMPARE(git(repository, {"rev-parse", "HEAD"}), head);
        QCOMPARE(git(repository, {"symbolic-ref", "--short", "HEAD"}), QString("main"));
        QCOMPARE(git(repository, {"status", "--porcelain"}), statusBefore);
        QCOMPARE(readFile(repository + "/mib.txt"), QByteArray("80\n"));
        QCOMPARE(readFile(repository + "/notes.txt"), QByteArray("mine\n"));
        QCOMPARE(worktrees(repository), 1);
        QVERIFY(scratchIsEmpty());
    }

    // The text form: progress per step on stderr, the first bad commit with its subject
    // and the table of tested commits on stdout. `-- CMD` runs in the current directory,
    // mapped to the same place in the scratch worktree (sub/, whose mib.txt is read).
    void aCommandInASubdirectoryIsBisectedWithTheDefaultRepeat()
    {
        const QString repository = makeRepository(8, 5);
        const CliResult result = bisect(
            {"--good", "main~7", "--bad", "main", "--no-store", "--", FILEHOG, "mib.txt"}, repository + "/sub");
        QVERIFY2(result.exitCode == 0, qPrintable(result.err.right(3000)));
        QVERIFY2(result.err.contains("measuring good "), qPrintable(result.err.left(2000)));
        QVERIFY(result.err.contains("step 1/3: testing "));
        QVERIFY(result.err.contains("(6 commits left, 5 runs)"));
        QVERIFY(!result.err.contains("again")); // 5 + 5 runs decide at once
        QVERIFY2(result.out.startsWith("first bad commit: " + commitHash(repository, 5) + "\n    commit 5\n"),
            qPrintable(result.out));
        QVERIFY(result.out.contains("tested as"));
        QVERIFY(result.out.contains("filehog"));
        QCOMPARE(worktrees(repository), 1);
        QVERIFY(scratchIsEmpty());
    }

    void outsideAGitWorkTreeIsBadInput()
    {
        const QString directory = m_dir.filePath("plain");
        writeFile(directory + "/buildscope.yaml", "version: 1\nname: plain\nsteps:\n  - name: a\n    run: 'true'\n");
        const CliResult result
            = bisect({"--good", "HEAD~1", "--bad", "HEAD", "--no-store", "buildscope.yaml"}, directory);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("is not inside a git work tree"), qPrintable(result.err));
        QVERIFY(scratchIsEmpty());
    }

    void revisionsThatCannotBeBisectedAreBadInput_data()
    {
        QTest::addColumn<QString>("good");
        QTest::addColumn<QString>("bad");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown good") << "no-such-rev"
                                      << "main"
                                      << "'no-such-rev' is not a commit";
        QTest::newRow("unknown bad") << "main~2"
                                     << "deadbeef"
                                     << "'deadbeef' is not a commit";
        QTest::newRow("good == bad") << "main"
                                     << "main"
                                     << "good and bad are the same commit";
        QTest::newRow("good after bad") << "main"
                                        << "main~2"
                                        << "is not an ancestor of bad";
    }

    void revisionsThatCannotBeBisectedAreBadInput()
    {
        QFETCH(QString, good);
        QFETCH(QString, bad);
        QFETCH(QString, message);
        if (m_revisionsRepository.isEmpty())
            m_revisionsRepository = makeRepository(4, 3);
        const QString& repository = m_revisionsRepository;
        const CliResult result = bisect({"--good", good, "--bad", bad, "--no-store", "buildscope.yaml"}, repository);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(message), qPrintable(result.err));
        QCOMPARE(worktrees(repository), 1);
        QVERIFY(scratchIsEmpty());
    }

    void missingOptionsAreUsageErrors()
    {
        const QString repository = makeRepository(2, 0);
        const CliResult noGood = bisect({"--bad", "main", "--no-store", "buildscope.yaml"}, repository);
        QCOMPARE(noGood.exitCode, 2);
        QVERIFY(noGood.err.contains("--good REV is required"));
        const CliResult noSpec = bisect({"--good", "main~1", "--bad", "main", "--no-store"}, repository);
        QCOMPARE(noSpec.exitCode, 2);
        QVERIFY(noSpec.err.contains("missing SPEC"));
        QCOMPARE(bisect({"--good", "main~1", "--no-store", "buildscope.yaml"}, repository).exitCode, 2);
        const CliResult metric
            = bisect({"--good", "main~1", "--bad", "main", "--metric", "rss", "buildscope.yaml"}, repository);
        QCOMPARE(metric.exitCode, 2);
        QVERIFY(metric.err.contains("unknown metric 'rss'"));
    }

    // Nothing regressed between good and bad: said so, exit 1, no commit tested between.
    void noRegressionBetweenGoodAndBad()
    {
        const QString repository = makeRepository(6, 0);
        const CliResult result = bisect(
            {"--good", "main~5", "--bad", "main", "--no-store", "--format", "json", "buildscope.yaml"}, repository);
        QCOMPARE(result.exitCode, 1);
        const QJsonObject json = result.json();
        QCOMPARE(json["outcome"].toString(), QString("no regression"));
        QVERIFY(json["message"].toString().contains("no regression between good"));
        QCOMPARE(json["tested"].toArray().size(), 2);
        QCOMPARE(json["steps"].toInt(), 0);
        QVERIFY(json["first_bad"].isNull());
        QCOMPARE(worktrees(repository), 1);
        QVERIFY(scratchIsEmpty());
    }

    // One run per commit and alpha 0.01: even 4 + 4 runs (the cap, 4 x repeat) cannot
    // reach it, so the answer is an honest "cannot tell", never a guess.
    void tooFewRunsToTellStopsAtTheCap()
    {
        const QString repository = makeRepository(4, 3);
        const CliResult result = bisect({"--good", "main~3", "--bad", "main", "--repeat", "1", "--alpha", "0.01",
                                            "--no-store", "--format", "json", "buildscope.yaml"},
            repository);
        QCOMPARE(result.exitCode, 1);
        const QJsonObject json = result.json();
        QCOMPARE(json["outcome"].toString(), QString("cannot tell"));
        QVERIFY(json["message"].toString().contains("cannot tell whether bad"));
        const QJsonObject bad = json["tested"].toArray()[1].toObject();
        QCOMPARE(bad["verdict"].toString(), QString("cannot tell"));
        QCOMPARE(bad["runs"].toInt(), 4);
        QCOMPARE(json["tested"].toArray()[0].toObject()["runs"].toInt(), 4);
        QVERIFY(scratchIsEmpty());
    }

    // A commit whose build fails cannot be judged: it is skipped and a neighbour tested,
    // and when it sits right before the culprit the answer is both commits, never a
    // guess. The spec is untracked here: the user's, resolved in each checkout.
    void aBrokenCommitBeforeTheCulpritLeavesARange()
    {
        const QString repository = makeRepository(8, 5);
        // After commit 4, a commit whose mib.txt filehog cannot read, then 5..8 again.
        git(repository, {"checkout", "-q", "main~4"});
        writeFile(repository + "/mib.txt", "broken\n");
        git(repository, {"commit", "-q", "-a", "-m", "commit 4 (broken)"});
        for (int commit = 5; commit <= 8; ++commit) {
            writeFile(repository + "/mib.txt", "52\n");
            writeFile(repository + "/history.txt", QByteArray::number(commit) + "\n");
            git(repository, {"commit", "-q", "-a", "--allow-empty", "-m", "commit " + QString::number(commit)});
        }
        git(repository, {"branch", "-f", "main", "HEAD"});
        git(repository, {"checkout", "-q", "main"});
        QByteArray step = "exec \"FILEHOG\" mib.txt";
        step.replace("FILEHOG", FILEHOG);
        writeFile(repository + "/local.yaml",
            "version: 1\nname: local\ncontext: .\nsteps:\n  - name: alloc\n    run: '" + step + "'\n");

        const CliResult result
            = bisect({"--good", "main~8", "--bad", "main", "--no-store", "--format", "json", "local.yaml"}, repository);
        QCOMPARE(result.exitCode, 1);
        const QJsonObject json = result.json();
        QCOMPARE(json["outcome"].toString(), QString("range"));
        const QJsonArray suspects = json["suspects"].toArray();
        QCOMPARE(suspects.size(), 2);
        QCOMPARE(suspects[0].toObject()["subject"].toString(), QString("commit 4 (broken)"));
        QCOMPARE(suspects[1].toObject()["subject"].toString(), QString("commit 5"));
        bool sawUntestable = false;
        for (const QJsonValue& value : json["tested"].toArray()) {
            const QJsonObject commit = value.toObject();
            if (commit["subject"].toString() == "commit 4 (broken)") {
                QCOMPARE(commit["verdict"].toString(), QString("untestable"));
                QCOMPARE(commit["failed_runs"].toInt(), 5);
                QVERIFY(commit["note"].toString().contains("build fails"));
                sawUntestable = true;
            }
        }
        QVERIFY(sawUntestable);
        QCOMPARE(worktrees(repository), 1);
        QVERIFY(scratchIsEmpty());
    }

    // Ctrl-C during a build: the build stops, exit 130, and the scratch worktree is gone.
    void anInterruptLeavesNoWorktreeBehind()
    {
        const QString repository = makeRepository(6, 4, 40, 52, "sleep 1; exec \"FILEHOG\" mib.txt");
        const CliResult result
            = bisect({"--good", "main~5", "--bad", "main", "--no-store", "buildscope.yaml"}, repository, 300);
        QCOMPARE(result.exitCode, 130);
        QVERIFY2(result.out.contains("interrupted"), qPrintable(result.out + result.err));
        QCOMPARE(worktrees(repository), 1);
        QVERIFY(scratchIsEmpty());
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestCliBisect)
#include "tst_clibisect.moc"
