#include "engine/processrunner.h"
#include "run/runresult.h"
#include "engine/contextlabels.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cstdlib>

namespace buildscope {

namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

// Runs git in `directory` with a fixed identity, returning its stdout lines.
std::vector<std::string> git(const std::filesystem::path& directory, std::vector<std::string> arguments)
{
    ProcessSpec spec;
    spec.argv = {"git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"};
    spec.argv.insert(spec.argv.end(), arguments.begin(), arguments.end());
    spec.workingDirectory = directory;
    spec.environment = currentEnvironment();
    spec.timeout = std::chrono::seconds(30);
    std::vector<std::string> lines;
    const std::atomic<bool> cancel {false};
    const ProcessOutcome outcome = ProcessRunner::run(
        spec,
        [&](LogStream stream, std::string_view line) {
            if (stream == LogStream::Stdout)
                lines.emplace_back(line);
        },
        cancel);
    if (outcome.end != ProcessOutcome::End::Exited || outcome.exitCode != 0)
        throw std::runtime_error("git failed");
    return lines;
}

Labels hostOnly()
{
    return {{"host", HostInfo::current().hostname}};
}

} // namespace

class TestContextLabels : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (ProcessRunner::findInPath("git").empty())
            QSKIP("git is not installed");
    }

    void commitBranchAndHost()
    {
        QTemporaryDir temporary;
        const std::filesystem::path repository(temporary.path().toStdString());
        git(repository, {"init", "-q", "-b", "feature/x"});
        // No commit yet: nothing to label but the host.
        QCOMPARE(detectContextLabels(repository), hostOnly());

        std::filesystem::create_directories(repository / "sub" / "dir");
        // A committer time in another zone: the label is UTC.
        ::setenv("GIT_COMMITTER_DATE", "2026-11-30T14:05:09+01:00", 1);
        git(repository, {"commit", "-q", "--allow-empty", "-m", "first"});
        ::unsetenv("GIT_COMMITTER_DATE");
        const std::string commit = git(repository, {"rev-parse", "HEAD"}).at(0);
        QCOMPARE(commit.size(), std::size_t {40});
        const Labels expected {{"git.commit", commit}, {"git.commit_time", "2026-11-30T13:05:09Z"},
            {"git.branch", "feature/x"}, {"host", HostInfo::current().hostname}};
        QCOMPARE(detectContextLabels(repository), expected);
        QCOMPARE(detectContextLabels(repository / "sub" / "dir"), expected); // anywhere inside the work tree

        // Detached HEAD: a commit but no branch.
        git(repository, {"checkout", "-q", "--detach"});
        QCOMPARE(detectContextLabels(repository),
            (Labels {{"git.commit", commit}, {"git.commit_time", "2026-11-30T13:05:09Z"},
                {"host", HostInfo::current().hostname}}));
    }

    void notARepository()
    {
        QTemporaryDir temporary;
        QCOMPARE(detectContextLabels(temporary.path().toStdString()), hostOnly());
        QCOMPARE(detectContextLabels("/nonexistent/context"), hostOnly());
    }

    void ignoresInheritedGitDir()
    {
        QTemporaryDir other;
        git(other.path().toStdString(), {"init", "-q"});
        git(other.path().toStdString(), {"commit", "-q", "--allow-empty", "-m", "other"});
        QTemporaryDir plain;
        const QByteArray gitDir = (other.path() + "/.git").toUtf8();
        ::setenv("GIT_DIR", gitDir.constData(), 1);
        const Labels labels = detectContextLabels(plain.path().toStdString());
        ::unsetenv("GIT_DIR");
        QCOMPARE(labels, hostOnly());
    }

    void gitMissing()
    {
        const std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
        QTemporaryDir empty;
        ::setenv("PATH", empty.path().toUtf8().constData(), 1);
        const Labels labels = detectContextLabels(empty.path().toStdString());
        ::setenv("PATH", path.c_str(), 1);
        QCOMPARE(labels, hostOnly());
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestContextLabels)
#include "tst_contextlabels.moc"
