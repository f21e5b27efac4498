#include "context/contexterror.h"
#include "context/servicebuild.h"
#include "contextfixture.h"

#include <QTemporaryDir>
#include <QtTest>

namespace buildscope {

using namespace test;

namespace {

QStringList qlist(const std::vector<std::string>& values)
{
    QStringList out;
    for (const std::string& v : values)
        out << qs(v);
    return out;
}

} // namespace

class TestServiceBuild : public QObject
{
    Q_OBJECT

private slots:
    void findsProtoFilesAndTheirDirectories()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        writeFile(root, "api.proto", "syntax = \"proto3\";");
        writeFile(root, "a/x.proto", "");
        writeFile(root, "a/b/z.proto", "");
        writeFile(root, "a/b/y.proto", "");
        writeFile(root, "a-b/w.proto", "");
        writeFile(root, "a/readme.md", "");
        writeFile(root, "a/proto", "not a .proto file");
        writeFile(root, "a/x.proto.bak", "");
        makeDir(root, "dir.proto"); // a directory, not a file
        makeSymlink(root, "link.proto", "api.proto"); // links are not followed or counted

        const ServiceBuild build = discoverServiceBuild(root, IgnoreRules());
        const QStringList files {"a-b/w.proto", "a/b/y.proto", "a/b/z.proto", "a/x.proto", "api.proto"};
        QCOMPARE(qlist(build.protoFiles), files);
        const QStringList packages {".", "a", "a-b", "a/b"};
        QCOMPARE(qlist(build.protoPackages), packages);
    }

    void honoursIgnoreRules()
    {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        writeFile(root, "api/v1/service.proto", "");
        writeFile(root, "third_party/google/any.proto", "");
        writeFile(root, "third_party/keep/keep.proto", "");
        const ServiceBuild build
            = discoverServiceBuild(root, IgnoreRules::parse("third_party\n!third_party/keep/keep.proto\n"));
        QCOMPARE(qlist(build.protoFiles), QStringList({"api/v1/service.proto", "third_party/keep/keep.proto"}));
        QCOMPARE(qlist(build.protoPackages), QStringList({"api/v1", "third_party/keep"}));
    }

    void noProtoFiles()
    {
        QTemporaryDir dir;
        writeFile(fs::path(dir.path().toStdString()), "main.go", "package main");
        const ServiceBuild build = discoverServiceBuild(fs::path(dir.path().toStdString()), IgnoreRules());
        QVERIFY(build.protoFiles.empty());
        QVERIFY(build.protoPackages.empty());
    }

    void missingContextIsAnError()
    {
        QTemporaryDir dir;
        QVERIFY_THROWS_EXCEPTION(
            ContextError, discoverServiceBuild(fs::path(dir.path().toStdString()) / "absent", IgnoreRules()));
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestServiceBuild)
#include "tst_servicebuild.moc"
