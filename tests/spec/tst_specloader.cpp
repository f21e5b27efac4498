#include "spec/specloader.h"

#include <QtTest>
#include <fstream>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace buildscope {

namespace {

// The two lines every valid spec starts with, so error rows can count lines from 3.
constexpr std::string_view kHead = "version: 1\nname: demo\n";
constexpr std::string_view kOneStep = "steps:\n  - name: sum\n    checksum: {}\n";

QByteArray spec(std::string_view body)
{
    return QByteArray(kHead.data(), static_cast<qsizetype>(kHead.size()))
        + QByteArray(body.data(), static_cast<qsizetype>(body.size()));
}

// A variable no test machine defines, for "undefined variable" cases.
constexpr const char* kUndefined = "BUILDSCOPE_TEST_SURELY_UNDEFINED";

} // namespace

class TestSpecLoader : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;

    fs::path dir() const { return fs::path(m_dir->path().toStdString()); }

    fs::path write(const fs::path& relative, std::string_view text)
    {
        const fs::path path = dir() / relative;
        fs::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }

    BuildSpec parse(const QByteArray& yaml) { return parseSpec(yaml.toStdString(), "buildscope.yaml", dir()); }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        // Things the fixtures refer to.
        fs::create_directories(dir() / "app" / "src");
        write("app/.dockerignore", "build/\n");
        write("notadir", "x");
        qputenv("BUILDSCOPE_TEST_DEFINED", "yes");
        qunsetenv(kUndefined);
    }

    void fullSpecRoundTrip()
    {
        const BuildSpec s = parse(R"(# every key, as docs/SPEC.md shows it
version: 1
name: demo service
context: app
ignore_file: .dockerignore
image: { registry: "localhost:5000", repository: demo/app, tag: "v1-{digest:12}" }
build_args:
  BUILD_TYPE: Release
  JOBS: 8
  ALPHA: "yes"
env:
  CXXFLAGS: -O2
  LDFLAGS: -s
  OPT: "${CXXFLAGS} -g"
sample_hz: 50
steps:
  - name: fingerprint
    checksum: {}
  - name: context
    tar: { output: build/context.tar }
  - name: compile
    run: c++ $CXXFLAGS -c src/heavy.cpp -o build/heavy.o && echo ${IMAGE_URI}
    timeout: 300s
    continue_on_error: true
  - name: image
    container: { runtime: podman, dockerfile: docker/Dockerfile }
    optional: true
    timeout: 1h30m
)");
        QCOMPARE(s.version, 1);
        QCOMPARE(s.name, std::string("demo service"));
        QCOMPARE(s.preset, std::string());
        QCOMPARE(s.file, dir() / "buildscope.yaml");
        QCOMPARE(s.context, dir() / "app");
        QVERIFY(s.ignoreFile.has_value());
        QCOMPARE(*s.ignoreFile, dir() / "app" / ".dockerignore");
        QCOMPARE(s.image.registry, std::string("localhost:5000"));
        QCOMPARE(s.image.repository, std::string("demo/app"));
        QCOMPARE(s.image.tag, std::string("v1-{digest:12}"));
        const std::vector<std::pair<std::string, std::string>> args {
            {"BUILD_TYPE", "Release"}, {"JOBS", "8"}, {"ALPHA", "yes"}};
        QCOMPARE(s.buildArgs, args);
        const std::vector<std::pair<std::string, std::string>> env {
            {"CXXFLAGS", "-O2"}, {"LDFLAGS", "-s"}, {"OPT", "${CXXFLAGS} -g"}};
        QCOMPARE(s.env, env);
        QCOMPARE(s.sampleHz, 50.0);
        QCOMPARE(s.steps.size(), std::size_t {4});

        const StepSpec& sum = s.steps[0];
        QCOMPARE(sum.name, std::string("fingerprint"));
        QCOMPARE(sum.kind, StepKind::Checksum);
        QCOMPARE(sum.location.file, std::string("buildscope.yaml"));
        QCOMPARE(sum.location.line, 17);
        QCOMPARE(sum.location.column, 5);
        QVERIFY(!sum.timeout);
        QVERIFY(!sum.optional);
        QVERIFY(!sum.continueOnError);

        const StepSpec& tar = s.steps[1];
        QCOMPARE(tar.kind, StepKind::Tar);
        QCOMPARE(tar.tarOutput, dir() / "app" / "build" / "context.tar");
        QCOMPARE(tar.location.line, 19);

        const StepSpec& compile = s.steps[2];
        QCOMPARE(compile.kind, StepKind::Run);
        QCOMPARE(compile.command,
            std::string("c++ $CXXFLAGS -c src/heavy.cpp -o build/heavy.o && echo ${IMAGE_URI}")); // not substituted
        QCOMPARE(compile.timeout, std::optional<std::chrono::milliseconds>(300s));
        QVERIFY(compile.continueOnError);
        QVERIFY(!compile.optional);

        const StepSpec& image = s.steps[3];
        QCOMPARE(image.kind, StepKind::Container);
        QCOMPARE(image.containerRuntime, std::string("podman"));
        QCOMPARE(image.dockerfile, fs::path("docker/Dockerfile"));
        QVERIFY(image.optional);
        QCOMPARE(image.timeout, std::optional<std::chrono::milliseconds>(90min));
    }

    void defaults()
    {
        const BuildSpec s
            = parse(spec(std::string(kOneStep) + "  - name: img\n    container: {}\nimage: {repository: a/b}\n"));
        QCOMPARE(s.context, dir());
        QVERIFY(!s.ignoreFile);
        QCOMPARE(s.sampleHz, 20.0);
        QCOMPARE(s.preset, std::string());
        QVERIFY(s.buildArgs.empty());
        QVERIFY(s.env.empty());
        QCOMPARE(s.image.registry, std::string());
        QCOMPARE(s.image.tag, std::string("{digest:12}")); // content-addressed unless told otherwise
        QCOMPARE(s.steps[1].containerRuntime, std::string("auto"));
        QCOMPARE(s.steps[1].dockerfile, fs::path("Dockerfile"));
        QVERIFY(!s.steps[1].optional);
    }

    void emptyValuesOfOptionalMappings()
    {
        // A mapping with every entry commented out is an empty mapping, not an error.
        const BuildSpec s
            = parse(spec("image:\nbuild_args:\nenv:\n" + std::string(kOneStep) + "  - name: c\n    checksum:\n"));
        QVERIFY(s.buildArgs.empty());
        QCOMPARE(s.steps[1].kind, StepKind::Checksum);
    }

    void relativePathsResolveAgainstTheSpecFile()
    {
        // The spec lives in ci/, its context is ../app: paths follow the file, not the
        // current directory.
        const fs::path file = write("ci/buildscope.yaml", R"(version: 1
name: nested
context: ../app/./src/..
ignore_file: .dockerignore
steps:
  - name: pack
    tar: { output: build/../out/context.tar }
  - name: image
    container: { dockerfile: ./docker//Dockerfile }
image: { repository: nested/app, tag: v1 }
)");
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(QDir::tempPath()));
        const BuildSpec s = loadSpec(file);
        QVERIFY(QDir::setCurrent(previous));
        QCOMPARE(s.file, file);
        QCOMPARE(s.context, dir() / "app");
        QCOMPARE(*s.ignoreFile, dir() / "app" / ".dockerignore");
        QCOMPARE(s.steps[0].tarOutput, dir() / "app" / "out" / "context.tar");
        QCOMPARE(s.steps[1].dockerfile, fs::path("docker/Dockerfile"));
        QCOMPARE(s.steps[0].location.file, file.string());
    }

    void absolutePathsStayAbsolute()
    {
        const std::string yaml = "version: 1\nname: abs\ncontext: " + (dir() / "app").string()
            + "\nsteps:\n  - name: pack\n    tar: {output: " + (dir() / "app" / "elsewhere.tar").string() + "}\n";
        const BuildSpec s = parseSpec(yaml, "x.yaml", "/");
        QCOMPARE(s.context, dir() / "app");
        QCOMPARE(s.steps[0].tarOutput, dir() / "app" / "elsewhere.tar");
    }

    void contextWithTrailingSlash()
    {
        const BuildSpec s = parse(spec("context: app/\n" + std::string(kOneStep)));
        QCOMPARE(s.context, dir() / "app");
    }

    void mapsKeepFileOrder()
    {
        const BuildSpec s = parse(spec(R"(env:
  ZETA: "1"
  ALPHA: "2"
  MIDDLE: ${ZETA}${ALPHA}
  BETA: "3"
build_args: { Z: 1, A: 2, M: 3 }
)" + std::string(kOneStep)));
        QCOMPARE(s.env.size(), std::size_t {4});
        QCOMPARE(s.env[0].first, std::string("ZETA"));
        QCOMPARE(s.env[1].first, std::string("ALPHA"));
        QCOMPARE(s.env[2].first, std::string("MIDDLE"));
        QCOMPARE(s.env[2].second, std::string("${ZETA}${ALPHA}"));
        QCOMPARE(s.env[3].first, std::string("BETA"));
        QCOMPARE(s.buildArgs[0].first, std::string("Z"));
        QCOMPARE(s.buildArgs[1].first, std::string("A"));
        QCOMPARE(s.buildArgs[2].first, std::string("M"));
    }

    void scalarValuesAreTakenAsWritten()
    {
        const BuildSpec s = parse(spec("build_args: {V: 1.10, B: true, E: '', N: 007}\n" + std::string(kOneStep)));
        QCOMPARE(s.buildArgs[0].second, std::string("1.10"));
        QCOMPARE(s.buildArgs[1].second, std::string("true"));
        QCOMPARE(s.buildArgs[2].second, std::string(""));
        QCOMPARE(s.buildArgs[3].second, std::string("007"));
    }

    void durations_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("seconds") << "300s" << qint64(300'000);
        QTest::newRow("minutes") << "5m" << qint64(300'000);
        QTest::newRow("hours and minutes") << "1h30m" << qint64(5'400'000);
        QTest::newRow("all units") << "1h2m3s4ms" << qint64(3'723'004);
        QTest::newRow("milliseconds") << "250ms" << qint64(250);
        QTest::newRow("plain seconds") << "90" << qint64(90'000);
        QTest::newRow("fractional seconds") << "0.5" << qint64(500);
        QTest::newRow("fractional hours") << "1.5h" << qint64(5'400'000);
        QTest::newRow("minutes and ms") << "1m500ms" << qint64(60'500);
        QTest::newRow("zero parses") << "0s" << qint64(0);
        QTest::newRow("rounded to ms") << "0.0015s" << qint64(2);
    }
    void durations()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        const auto parsed = parseDuration(text.toStdString());
        QVERIFY(parsed.has_value());
        QCOMPARE(static_cast<qint64>(parsed->count()), ms);
        if (ms == 0)
            return;
        // The same through a spec file.
        const BuildSpec s
            = parse(spec("steps:\n  - name: x\n    run: make\n    timeout: " + text.toStdString() + "\n"));
        QCOMPARE(static_cast<qint64>(s.steps[0].timeout->count()), ms);
    }

    void badDurations_data()
    {
        QTest::addColumn<QString>("text");
        for (const char* text : {"", "soon", "5", "-5s", "5 s", "5sec", "1m1h", "5m5m", "1.s", ".5s", "5d", "h", "1h30",
                 "1e3s", "0x10", "9999999999999h"}) {
            if (std::string_view(text) == "5")
                continue; // a plain number is valid
            QTest::newRow(*text ? text : "(empty)") << QString::fromUtf8(text);
        }
    }
    void badDurations()
    {
        QFETCH(QString, text);
        QVERIFY(!parseDuration(text.toStdString()).has_value());
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");

        // Files and documents.
        QTest::newRow("yaml syntax") << QByteArray("version: 1\nname: [demo\n") << 3 << 1 << "invalid YAML: ";
        QTest::newRow("yaml tab") << QByteArray("version: 1\n\tname: x\n") << 2 << 1 << "invalid YAML";
        QTest::newRow("empty") << QByteArray("# nothing but a comment\n") << 0 << 0 << "the spec is empty";
        QTest::newRow("not a mapping") << QByteArray("- version: 1\n") << 1 << 1
                                       << "expected a mapping with version, name and steps, found a list";
        QTest::newRow("two documents") << QByteArray("version: 1\n---\nname: x\n") << 3 << 1
                                       << "expected one YAML document, found 2";
        QTest::newRow("three documents") << QByteArray("version: 1\n---\nname: x\n---\na: b\n") << 3 << 1
                                         << "expected one YAML document, found 3";
        // yaml-cpp 0.7's LoadAll never returned for these (fuzz/corpus/spec/regress-leading-comma-hang.yaml).
        QTest::newRow("leading comma") << QByteArray(",\n") << 1 << 1 << "invalid YAML: unexpected ','";
        QTest::newRow("comma in a second document")
            << QByteArray("version: 1\n---\n, x\n") << 3 << 1 << "invalid YAML: unexpected ','";
        QTest::newRow("non-scalar key") << spec("? [a, b]\n: c\n") << 3 << 3 << "expected a plain key, found a list";

        // Top level.
        QTest::newRow("missing version") << QByteArray("# a comment first\nname: x\n") + kOneStep.data() << 2 << 1
                                         << "missing required key 'version'";
        QTest::newRow("bad version") << QByteArray("version: 2\nname: x\n") << 1 << 10
                                     << "expected 1 for 'version', found '2' (this BuildScope reads version 1 specs)";
        QTest::newRow("missing name") << QByteArray("version: 1\n") + kOneStep.data() << 1 << 1
                                      << "missing required key 'name'";
        QTest::newRow("empty name") << QByteArray("version: 1\nname: ''\n") << 2 << 7
                                    << "expected a non-empty, single-line name for 'name', found ''";
        QTest::newRow("name is a mapping")
            << QByteArray("version: 1\nname: {a: 1}\n") << 2 << 7 << "for 'name', found a mapping";
        QTest::newRow("name has no value")
            << QByteArray("version: 1\nname:\nsteps: []\n") << 2 << 1 << "for 'name', found no value";
        QTest::newRow("unknown top-level key")
            << spec("stpes: []\n") << 3 << 1 << "unknown top-level key 'stpes'; did you mean 'steps'?";
        QTest::newRow("duplicate top-level key")
            << spec("name: again\n") << 3 << 1 << "duplicate key 'name'; the first is at line 2";
        QTest::newRow("missing steps") << spec("") << 1 << 1 << "missing required key 'steps'";
        QTest::newRow("empty steps") << spec("steps: []\n") << 3 << 8
                                     << "expected a non-empty list of steps for 'steps', found an empty list";
        QTest::newRow("steps is a mapping") << spec("steps: {a: 1}\n") << 3 << 8 << "found a mapping";
        QTest::newRow("unknown preset")
            << spec("preset: pyton\n") << 3 << 9
            << "expected go, maven or python for 'preset', found 'pyton'; did you mean 'python'?";
        QTest::newRow("sample_hz too high") << spec("sample_hz: 5000\n" + std::string(kOneStep)) << 3 << 12
                                            << "expected a number from 1 to 1000 for 'sample_hz', found '5000'";
        QTest::newRow("sample_hz too low")
            << spec("sample_hz: 0.5\n" + std::string(kOneStep)) << 3 << 12 << "found '0.5'";
        QTest::newRow("sample_hz not a number")
            << spec("sample_hz: fast\n" + std::string(kOneStep)) << 3 << 12 << "found 'fast'";

        // Paths.
        QTest::newRow("context missing") << spec("context: nowhere\n" + std::string(kOneStep)) << 3 << 10
                                         << "/nowhere' does not exist";
        QTest::newRow("context is a file")
            << spec("context: notadir\n" + std::string(kOneStep)) << 3 << 10 << "/notadir' is not a directory";
        QTest::newRow("ignore file missing")
            << spec("context: app\nignore_file: .nope\n" + std::string(kOneStep)) << 4 << 14 << "ignore file '";
        QTest::newRow("ignore file is a directory")
            << spec("ignore_file: app\n" + std::string(kOneStep)) << 3 << 14 << "/app' is not a regular file";

        // image.
        QTest::newRow("image not a mapping") << spec("image: demo/app\n" + std::string(kOneStep)) << 3 << 8
                                             << "expected a mapping with registry, repository and tag for 'image', "
                                                "found 'demo/app'";
        QTest::newRow("unknown image key") << spec("image: {repository: a, tags: x}\n" + std::string(kOneStep)) << 3
                                           << 24 << "unknown key 'tags' in 'image'; did you mean 'tag'?";
        QTest::newRow("upper-case repository")
            << spec("image: {repository: Demo/App}\n" + std::string(kOneStep)) << 3 << 21
            << "expected a lower-case repository like demo/app for 'repository' in "
               "'image', found 'Demo/App'";
        QTest::newRow("repository double separator")
            << spec("image: {repository: demo//app}\n" + std::string(kOneStep)) << 3 << 21 << "found 'demo//app'";
        QTest::newRow("registry with scheme")
            << spec("image: {registry: 'https://r.io', repository: a}\n" + std::string(kOneStep)) << 3 << 19
            << "(no scheme) for 'registry' in 'image'";
        QTest::newRow("unknown tag placeholder")
            << spec("image: {repository: a, tag: 'v-{sha}'}\n" + std::string(kOneStep)) << 3 << 29
            << "bad placeholder '{sha}' in image tag 'v-{sha}'";
        QTest::newRow("digest prefix too long")
            << spec("image: {repository: a, tag: '{digest:33}'}\n" + std::string(kOneStep)) << 3 << 29
            << "N must be a number from 1 to 32";
        QTest::newRow("tag with a space") << spec("image: {repository: a, tag: 'v 1'}\n" + std::string(kOneStep)) << 3
                                          << 29 << "expected a tag of letters, digits";
        QTest::newRow("container step without repository")
            << spec(std::string(kOneStep) + "  - name: img\n    container: {}\n") << 6 << 5
            << "missing 'repository' in 'image'; step 'img' builds a container image";
        QTest::newRow("container step, image without repository")
            << spec("image: {tag: v1}\n" + std::string(kOneStep) + "  - name: img\n    container: {}\n") << 3 << 8
            << "missing 'repository' in 'image'";

        // build_args and env.
        QTest::newRow("build arg without value") << spec("build_args:\n  A:\n" + std::string(kOneStep)) << 4 << 3
                                                 << "expected a string, number or boolean for 'A' in 'build_args', "
                                                    "found no value (write '' for an empty value)";
        QTest::newRow("build arg list value")
            << spec("build_args: {A: [1]}\n" + std::string(kOneStep)) << 3 << 17 << "found a list";
        QTest::newRow("build arg bad name") << spec("build_args: {A-B: 1}\n" + std::string(kOneStep)) << 3 << 14
                                            << "expected a build arg name of letters, digits and '_'";
        QTest::newRow("duplicate env key") << spec("env:\n  A: 1\n  A: 2\n" + std::string(kOneStep)) << 5 << 3
                                           << "duplicate key 'A' in 'env'; the first is at line 4";
        QTest::newRow("reserved env key")
            << spec("env: {DIGEST: x}\n" + std::string(kOneStep)) << 3 << 7 << "env key 'DIGEST' is reserved";
        QTest::newRow("env not a mapping") << spec("env: [A]\n" + std::string(kOneStep)) << 3 << 6
                                           << "expected a mapping of variable names to values for 'env', found a list";

        // Steps.
        QTest::newRow("step not a mapping") << spec("steps:\n  - checksum\n") << 4 << 5
                                            << "expected step 1 to be a mapping with 'name' and one of checksum, tar, "
                                               "run, container, found 'checksum'";
        QTest::newRow("step without name")
            << spec("steps:\n  - checksum: {}\n") << 4 << 5 << "missing required key 'name' in step 1";
        QTest::newRow("bad step name") << spec("steps:\n  - name: my step\n    checksum: {}\n") << 4 << 11
                                       << "expected a step name of letters, digits, '_', '.' and '-' for 'name' in "
                                          "step 1, found 'my step'";
        QTest::newRow("duplicate step name") << spec(std::string(kOneStep) + "  - name: sum\n    run: make\n") << 6
                                             << 11 << "duplicate step name 'sum'; the first is at line 4";
        QTest::newRow("step without type") << spec("steps:\n  - name: x\n    timeout: 5s\n") << 4 << 5
                                           << "step 'x' needs one of checksum, tar, run, container";
        QTest::newRow("two type keys") << spec("steps:\n  - name: x\n    run: make\n    tar: {output: a.tar}\n") << 6
                                       << 5 << "step 'x' has both 'run' and 'tar'; a step has exactly one of";
        QTest::newRow("step key typo") << spec("steps:\n  - name: compile\n    rnu: make\n") << 5 << 5
                                       << "unknown key 'rnu' in step 'compile'; did you mean 'run'?";
        QTest::newRow("unknown step type") << spec("steps:\n  - name: compile\n    shell: make\n") << 5 << 5
                                           << "unknown key 'shell' in step 'compile'";
        QTest::newRow("typo before the name") << spec("steps:\n  - nmae: x\n    run: make\n") << 4 << 5
                                              << "unknown key 'nmae' in step 1; did you mean 'name'?";
        QTest::newRow("duplicate step key") << spec("steps:\n  - name: x\n    run: a\n    run: b\n") << 6 << 5
                                            << "duplicate key 'run' in step 'x'; the first is at line 5";
        QTest::newRow("checksum with options") << spec("steps:\n  - name: x\n    checksum: {algo: md5}\n") << 5 << 15
                                               << "expected {} for 'checksum' in step 'x', found a mapping";
        QTest::newRow("tar without output") << spec("steps:\n  - name: x\n    tar: {}\n") << 5 << 10
                                            << "missing required key 'output' in 'tar' of step 'x'";
        QTest::newRow("tar without anything") << spec("steps:\n  - name: x\n    tar:\n") << 5 << 5
                                              << "missing required key 'output' in 'tar' of step 'x'";
        QTest::newRow("tar output empty") << spec("steps:\n  - name: x\n    tar: {output: }\n") << 5 << 11
                                          << "expected a file path for 'output' in 'tar' of step 'x', found no value";
        QTest::newRow("tar key typo") << spec("steps:\n  - name: x\n    tar: {outptu: a.tar}\n") << 5 << 11
                                      << "unknown key 'outptu' in 'tar' of step 'x'; did you mean 'output'?";
        QTest::newRow("tar output is a directory") << spec("steps:\n  - name: x\n    tar: {output: app}\n") << 5 << 19
                                                   << "/app' is a directory; expected a file path";
        // 12.4: a tar step writes inside its context and never replaces an input.
        QTest::newRow("tar output outside the context") << spec("steps:\n  - name: x\n    tar: {output: ../../x.tar}\n")
                                                        << 5 << 19 << "/x.tar' is outside the context '";
        QTest::newRow("tar output absolute elsewhere") << spec("steps:\n  - name: x\n    tar: {output: /tmp/x.tar}\n")
                                                       << 5 << 19 << "tar output '/tmp/x.tar' is outside the context '";
        QTest::newRow("tar output replaces a source")
            << spec("steps:\n  - name: x\n    tar: {output: notadir}\n") << 5 << 19
            << "/notadir' is a file of the context and not a tar archive; "
               "the step would replace an input (and leave it out of the "
               "archive)";
        QTest::newRow("run empty") << spec("steps:\n  - name: x\n    run: ''\n") << 5 << 10
                                   << "expected a shell command for 'run' in step 'x', found ''";
        QTest::newRow("run as a list") << spec("steps:\n  - name: x\n    run: [make, all]\n") << 5 << 10
                                       << "expected a shell command for 'run' in step 'x', found a list";
        QTest::newRow("runtime typo") << spec(
            "image: {repository: a}\nsteps:\n  - name: x\n    container: {runtime: dokcer}\n")
                                      << 6 << 26
                                      << "expected auto, docker or podman for 'runtime' in 'container' of step 'x', "
                                         "found 'dokcer'; did you mean 'docker'?";
        QTest::newRow("container key typo") << spec("image: {repository: a}\nsteps:\n  - name: x\n    container: "
                                                    "{dockrfile: D}\n")
                                            << 6 << 17
                                            << "unknown key 'dockrfile' in 'container' of step 'x'; did you mean "
                                               "'dockerfile'?";
        QTest::newRow("container not a mapping") << spec("image: {repository: a}\nsteps:\n  - name: x\n    container: "
                                                         "docker\n")
                                                 << 6 << 16 << "expected a mapping with runtime and dockerfile";
        QTest::newRow("bad timeout") << spec("steps:\n  - name: x\n    run: make\n    timeout: soon\n") << 6 << 14
                                     << "expected a duration like 300s or 5m for 'timeout' in step 'x', found 'soon'";
        QTest::newRow("zero timeout") << spec("steps:\n  - name: x\n    run: make\n    timeout: 0s\n") << 6 << 14
                                      << "expected a positive duration like 300s or 5m for 'timeout'";
        QTest::newRow("timeout too long") << spec("steps:\n  - name: x\n    run: make\n    timeout: 1000h\n") << 6 << 14
                                          << "expected a duration of at most 720h";
        QTest::newRow("optional not a boolean")
            << spec("steps:\n  - name: x\n    run: make\n    optional: yes\n") << 6 << 15
            << "expected true or false for 'optional' in step 'x', found 'yes'";
        QTest::newRow("continue_on_error not a boolean")
            << spec("steps:\n  - name: x\n    run: make\n    continue_on_error: 1\n") << 6 << 24
            << "expected true or false for 'continue_on_error' in step 'x', found '1'";

        // ${VAR} references: the location is the '$' itself.
        QTest::newRow("undefined in run")
            << spec("steps:\n  - name: compile\n    run: echo ${BUILDSCOPE_TEST_SURELY_UNDEFINED}\n") << 5 << 15
            << "undefined variable ${BUILDSCOPE_TEST_SURELY_UNDEFINED} in step 'compile'; "
               "expected IMAGE_URI, DIGEST, BUILD_ARG_FLAGS, CONTEXT, a key of 'env' or "
               "a variable of the environment";
        QTest::newRow("undefined, second reference")
            << spec("env: {A: a}\nsteps:\n  - name: c\n    run: \"${A} "
                    "$${X} ${BUILDSCOPE_TEST_SURELY_UNDEFINED}\"\n")
            << 6 << 22 << "undefined variable ${BUILDSCOPE_TEST_SURELY_UNDEFINED}";
        QTest::newRow("undefined in a block scalar") << spec("steps:\n  - name: c\n    run: |\n      make\n      echo "
                                                             "${BUILDSCOPE_TEST_SURELY_UNDEFINED}\n")
                                                     << 7 << 12 << "undefined variable";
        QTest::newRow("undefined in env")
            << spec("env:\n  A: x${BUILDSCOPE_TEST_SURELY_UNDEFINED}\n" + std::string(kOneStep)) << 4 << 7
            << "undefined variable ${BUILDSCOPE_TEST_SURELY_UNDEFINED} in env 'A'; "
               "expected IMAGE_URI, DIGEST, BUILD_ARG_FLAGS, CONTEXT, an env key above it "
               "or a variable of the environment";
        QTest::newRow("env uses a later key") << spec("env:\n  A: ${B}\n  B: x\n" + std::string(kOneStep)) << 4 << 6
                                              << "undefined variable ${B} in env 'A'; env 'B' is defined further down";
        QTest::newRow("env uses itself")
            << spec("env:\n  SELF_REF_X: ${SELF_REF_X}\n" + std::string(kOneStep)) << 4 << 15
            << "undefined variable ${SELF_REF_X} in env 'SELF_REF_X'; an env value can use "
               "its own key only when the environment defines it";
        QTest::newRow("variable typo") << spec("image: {repository: a}\nsteps:\n  - name: push\n    run: docker push "
                                               "${IMAGE_UIR}\n")
                                       << 6 << 22
                                       << "undefined variable ${IMAGE_UIR} in step 'push'; did you mean ${IMAGE_URI}?";
        QTest::newRow("malformed reference") << spec("steps:\n  - name: c\n    run: echo ${1X} done\n") << 5 << 15
                                             << "malformed variable reference '${1X}' in step 'c': expected ${NAME}";
        QTest::newRow("shell default syntax") << spec("steps:\n  - name: c\n    run: echo ${HOME:-/root}\n") << 5 << 15
                                              << "malformed variable reference '${HOME:-/root}' in step 'c'";
        QTest::newRow("unterminated reference") << spec("steps:\n  - name: c\n    run: echo ${HOME\n") << 5 << 15
                                                << "unterminated variable reference '${HOME' in step 'c'";
        QTest::newRow("IMAGE_URI without image") << spec("steps:\n  - name: c\n    run: echo ${IMAGE_URI}\n") << 5 << 15
                                                 << "${IMAGE_URI} in step 'c' needs 'repository' in 'image'";

        // 12.10: what the run would reject in a step, before any step runs.
        QTest::newRow("DIGEST before any checksum step")
            << spec("steps:\n  - name: c\n    run: echo ${DIGEST}\n  - name: sum\n    checksum: {}\n") << 5 << 15
            << "${DIGEST} in step 'c' has no value yet: the context digest comes from a checksum step, and none "
               "runs before step 'c'";
        QTest::newRow("IMAGE_URI with {digest} before any checksum step")
            << spec("image: {repository: a}\nsteps:\n  - name: push\n    run: docker push ${IMAGE_URI}\n") << 6 << 22
            << "${IMAGE_URI} in step 'push' has no value yet: the image tag's {digest} comes from a checksum step";
        QTest::newRow("DIGEST in env, used by a step before any checksum")
            << spec("env: {D: '${DIGEST}'}\nsteps:\n  - name: c\n    run: make\n  - name: sum\n    checksum: {}\n") << 3
            << 11
            << "${DIGEST} in env 'D' has no value yet: the context digest comes from a checksum step, and none runs "
               "before step 'c' (every step that runs a command resolves every env value)";
        QTest::newRow("container step before any checksum")
            << spec("image: {repository: a}\nsteps:\n  - name: image\n    container: {}\n") << 5 << 5
            << "step 'image' builds the image tagged '{digest:12}', which needs the context digest: put a checksum "
               "step before it";
    }
    void errors()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        try {
            parse(yaml);
            QFAIL("no SpecError");
        } catch (const SpecError& error) {
            const QString what = QString::fromStdString(error.what());
            QVERIFY2(QString::fromStdString(error.message()).contains(message), qPrintable(what));
            QCOMPARE(error.location().file, std::string("buildscope.yaml"));
            QCOMPARE(error.location().line, line);
            QCOMPARE(error.location().column, column);
            const QString prefix = line == 0 ? QStringLiteral("buildscope.yaml: ")
                                             : QStringLiteral("buildscope.yaml:%1:%2: ").arg(line).arg(column);
            QVERIFY2(what.startsWith(prefix), qPrintable(what));
        }
    }

    void suggestions_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("message");
        QTest::newRow("transposition") << spec("steps:\n  - name: c\n    rnu: make\n")
                                       << "unknown key 'rnu' in step 'c'; did you mean 'run'?";
        QTest::newRow("dash for underscore") << spec("steps:\n  - name: c\n    run: x\n    continue-on-error: true\n")
                                             << "unknown key 'continue-on-error' in step 'c'; did you mean "
                                                "'continue_on_error'?";
        QTest::newRow("missing letter") << spec("steps:\n  - name: c\n    run: x\n    timout: 5s\n")
                                        << "unknown key 'timout' in step 'c'; did you mean 'timeout'?";
        QTest::newRow("top level") << spec("build-args: {}\n")
                                   << "unknown top-level key 'build-args'; did you mean 'build_args'?";
        QTest::newRow("image") << spec("image: {repo: a}\n") << "unknown key 'repo' in 'image'";
        QTest::newRow("nothing close") << spec("colour: red\n") << "unknown top-level key 'colour'";
        QTest::newRow("too short to guess")
            << spec("steps:\n  - name: c\n    ab: x\n") << "unknown key 'ab' in step 'c'";
        QTest::newRow("preset") << spec("preset: mvn\n")
                                << "expected go, maven or python for 'preset', found 'mvn'; did you mean 'maven'?";
        QTest::newRow("runtime") << spec(
            "image: {repository: a}\nsteps:\n  - name: c\n    container: {runtime: podmn}\n")
                                 << "expected auto, docker or podman for 'runtime' in 'container' of step 'c', found "
                                    "'podmn'; did you mean 'podman'?";
    }
    void suggestions()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, message);
        try {
            parse(yaml);
            QFAIL("no SpecError");
        } catch (const SpecError& error) {
            QCOMPARE(QString::fromStdString(error.message()), message);
        }
    }

    // 12.10: the run needs no checksum step for the digest when nothing uses it before.
    void digestUsedAfterTheChecksumStep()
    {
        const BuildSpec s = parse(spec(R"(image: {repository: demo/app}
env: {D: '${DIGEST}', FIXED: plain}
steps:
  - name: sum
    checksum: {}
  - name: push
    run: docker push ${IMAGE_URI} ${DIGEST}
  - name: image
    container: {}
)"));
        QCOMPARE(s.steps.size(), std::size_t {3});
        // A tag without {digest} is known from the start: IMAGE_URI and the container step
        // need no checksum step.
        const BuildSpec t = parse(spec(R"(image: {repository: demo/app, tag: latest}
steps:
  - name: push
    run: docker push ${IMAGE_URI}
  - name: image
    container: {}
)"));
        QCOMPARE(t.steps.size(), std::size_t {2});
    }

    // 12.4: `tar: {output: spec.yaml}` replaced the spec with a tar; a symbolic link out of
    // the context let the output escape. An earlier output (a tar archive) may be replaced.
    void tarOutputNeverReplacesTheSpecOrEscapes()
    {
        const fs::path file
            = write("ctx/spec.yaml", "version: 1\nname: x\nsteps:\n  - name: t\n    tar: {output: spec.yaml}\n");
        try {
            loadSpec(file);
            QFAIL("no SpecError");
        } catch (const SpecError& error) {
            QCOMPARE(std::string(error.what()),
                file.string() + ":5:19: tar output '" + file.string()
                    + "' is the spec itself; the step would replace it");
        }
        QVERIFY(::symlink("/tmp", (dir() / "ctx" / "out").c_str()) == 0);
        const fs::path escape
            = write("ctx/escape.yaml", "version: 1\nname: x\nsteps:\n  - name: t\n    tar: {output: out/x.tar}\n");
        try {
            loadSpec(escape);
            QFAIL("no SpecError");
        } catch (const SpecError& error) {
            QVERIFY2(error.message().ends_with(
                         "/ctx/out/x.tar' leaves the context through a symbolic link (its directory is '/tmp')"),
                error.what());
        }
        write("ctx/build/context.tar", std::string(10240, '\0')); // an earlier output: the empty context's tar
        const fs::path again = write(
            "ctx/again.yaml", "version: 1\nname: x\nsteps:\n  - name: t\n    tar: {output: build/context.tar}\n");
        QCOMPARE(loadSpec(again).steps[0].tarOutput, dir() / "ctx" / "build" / "context.tar");
    }

    // 12.12: a context that is a loop of symbolic links was reported as "does not exist".
    void contextThatIsASymlinkLoop()
    {
        QVERIFY(::symlink("loop", (dir() / "loop").c_str()) == 0);
        QVERIFY(::symlink("nowhere", (dir() / "dangling").c_str()) == 0);
        for (const auto& [context, problem] : {std::pair {"loop",
                                                   "is a loop of symbolic links (Too many levels of "
                                                   "symbolic links)"},
                 std::pair {"dangling", "is a symbolic link to nothing (a dangling link)"},
                 std::pair {"missing", "does not exist"}}) {
            try {
                parse(spec("context: " + std::string(context) + "\n" + std::string(kOneStep)));
                QFAIL("no SpecError");
            } catch (const SpecError& error) {
                QCOMPARE(error.message(), "context directory '" + (dir() / context).string() + "' " + problem);
                QCOMPARE(error.location().line, 3);
            }
        }
        try {
            parse(spec("ignore_file: loop\n" + std::string(kOneStep)));
            QFAIL("no SpecError");
        } catch (const SpecError& error) {
            QVERIFY2(
                error.message().ends_with("/loop' is a loop of symbolic links (Too many levels of symbolic links)"),
                error.what());
        }
    }

    // 12.10: a bad pattern in the ignore file fails validation (and so `run` before any
    // step), naming the ignore file and its line, and where the spec names the file.
    void ignoreFilePatternsAreValidated()
    {
        write("app/bad.ignore", "build/\n# comment\n\n!keep\n[unclosed\n");
        try {
            parse(spec("context: app\nignore_file: bad.ignore\n" + std::string(kOneStep)));
            QFAIL("no SpecError");
        } catch (const SpecError& error) {
            const std::string ignoreFile = (dir() / "app" / "bad.ignore").string();
            QCOMPARE(error.location().file, ignoreFile);
            QCOMPARE(error.location().line, 5);
            QCOMPARE(std::string(error.what()),
                ignoreFile
                    + ":5: bad pattern \"[unclosed\": unterminated character class (the ignore file of "
                      "buildscope.yaml:4:14)");
        }
        write("app/lone.ignore", "a\n!\n");
        try {
            parse(spec("context: app\nignore_file: lone.ignore\n" + std::string(kOneStep)));
            QFAIL("no SpecError");
        } catch (const SpecError& error) {
            QCOMPARE(error.location().line, 2);
            QVERIFY2(error.message().starts_with("illegal exclusion pattern \"!\""), error.what());
        }
        write("app/good.ignore", "build/\n!build/keep\n");
        QVERIFY(parse(spec("context: app\nignore_file: good.ignore\n" + std::string(kOneStep))).ignoreFile);
    }

    void variablesThatResolve()
    {
        // Builtins, env keys above, the process environment; "$$" and a '$' without '{'
        // are left for the shell.
        const BuildSpec s = parse(spec(R"(image: {repository: demo/app}
env:
  BUILDSCOPE_TEST_DEFINED: ${BUILDSCOPE_TEST_DEFINED}:/opt/bin
  FIRST: a
  SECOND: ${FIRST}-${BUILDSCOPE_TEST_DEFINED}
  THIRD: ${CONTEXT} ${DIGEST} ${IMAGE_URI} ${BUILD_ARG_FLAGS}
steps:
  - name: sum
    checksum: {}
  - name: all
    run: echo ${THIRD} ${BUILDSCOPE_TEST_DEFINED} $$ $${NOT_A_REF} $HOME $(pwd) $1 cost$
)"));
        QCOMPARE(s.steps[1].command,
            std::string("echo ${THIRD} ${BUILDSCOPE_TEST_DEFINED} $$ $${NOT_A_REF} $HOME $(pwd) $1 cost$"));
        // A run command may use an env key defined anywhere in the file.
        const BuildSpec t = parse(spec("steps:\n  - name: a\n    run: echo ${LATE}\nenv: {LATE: x}\n"));
        QCOMPARE(t.steps[0].command, std::string("echo ${LATE}"));
    }

    void missingFile()
    {
        const fs::path file = dir() / "absent.yaml";
        try {
            loadSpec(file);
            QFAIL("no SpecError");
        } catch (const SpecError& error) {
            QCOMPARE(error.location().line, 0);
            QCOMPARE(error.location().column, 0);
            QCOMPARE(error.location().file, file.string());
            QCOMPARE(std::string(error.what()), file.string() + ": cannot read the spec: No such file or directory");
        }
    }

    void directoryAsFile()
    {
        try {
            loadSpec(dir() / "app");
            QFAIL("no SpecError");
        } catch (const SpecError& error) {
            QCOMPARE(error.location().line, 0);
            QVERIFY2(std::string(error.what())
                         .ends_with(": cannot read the spec: not a regular file (a directory); a "
                                    "spec must be a file"),
                error.what());
        }
    }

    // 12.11: a spec path that is not a regular file is refused without being read: a FIFO
    // would block the reader forever, /dev/zero never ends.
    void specThatIsNotARegularFile_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        QTest::newRow("fifo") << "fifo"
                              << "cannot read the spec: not a regular file (a FIFO); a spec must be a file";
        QTest::newRow("/dev/zero") << "/dev/zero"
                                   << "cannot read the spec: not a regular file (a character device); a spec must be "
                                      "a file";
        QTest::newRow("symlink loop") << "loop"
                                      << "cannot read the spec: Too many levels of symbolic links";
    }
    void specThatIsNotARegularFile()
    {
        QFETCH(QString, path);
        QFETCH(QString, message);
        QVERIFY(::mkfifo((dir() / "fifo").c_str(), 0600) == 0);
        QVERIFY(::symlink("loop", (dir() / "loop").c_str()) == 0);
        const fs::path file = path.startsWith('/') ? fs::path(path.toStdString()) : dir() / path.toStdString();
        try {
            loadSpec(file);
            QFAIL("no SpecError");
        } catch (const SpecError& error) {
            QCOMPARE(QString::fromStdString(error.what()), QString::fromStdString(file.string()) + ": " + message);
        }
    }

    // 12.11: an absurdly large spec is refused by its size, before it is read.
    void specLargerThanTheLimit()
    {
        const fs::path file = dir() / "huge.yaml";
        {
            std::ofstream out(file, std::ios::binary);
            out << "version: 1\nname: x\n# ";
        }
        fs::resize_file(file, 10ULL * 1024 * 1024 * 1024); // sparse: no disk used
        try {
            loadSpec(file);
            QFAIL("no SpecError");
        } catch (const SpecError& error) {
            QCOMPARE(std::string(error.what()),
                file.string() + ": cannot read the spec: 10.0 GiB is too large for a spec (at most 1.0 MiB)");
        }
    }

    // 12.11: hostile YAML gets a located error (or loads) in bounded time and memory. No
    // timing assertion: a quadratic or exponential loader would run into the test's
    // CTest timeout instead (each of these was measured well under a second).
    void hostileYaml_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("message");
        // Billion laughs: ten levels of ten aliases (10^10 nodes if expanded). yaml-cpp
        // shares aliased nodes, and the loader reads only the keys it knows.
        QByteArray laughs = "version: 1\nname: x\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
        for (int level = 1; level < 10; ++level) {
            laughs += QByteArray("a") + QByteArray::number(level) + ": &a" + QByteArray::number(level) + " [";
            for (int i = 0; i < 10; ++i)
                laughs += (i ? ", *a" : "*a") + QByteArray::number(level - 1);
            laughs += "]\n";
        }
        QTest::newRow("billion laughs, unknown key") << laughs << "unknown top-level key 'a0'";
        QTest::newRow("billion laughs as steps")
            << QByteArray("version: 1\nname: x\nsteps: &s [&a [&b [x, x], *b], *a, *a, *a, *a]\n")
            << "expected step 1 to be a mapping";
        QTest::newRow("nested flow sequences") << "version: 1\nname: " + QByteArray(100000, '[') << "invalid YAML";
        QTest::newRow("nested flow mappings") << "version: 1\nname: " + QByteArray(100000, '{') << "invalid YAML";
        QByteArray blocks = "version: 1\nname: x\nsteps:\n";
        for (int i = 0; i < 5000; ++i)
            blocks += QByteArray(2 * i, ' ') + "- \n";
        QTest::newRow("nested block sequences") << blocks << "invalid YAML";
        // 60,000 env keys, then a duplicate at the end; then as many references.
        QByteArray manyKeys = "version: 1\nname: x\nenv:\n";
        for (int i = 0; i < 60000; ++i)
            manyKeys += "  K" + QByteArray::number(i) + ": v\n";
        QTest::newRow("many keys, duplicate last") << manyKeys + "  K0: again\n"
                                                   << "duplicate key 'K0' in 'env'";
        QByteArray manyReferences
            = "version: 1\nname: x\nsteps: [{name: a, checksum: {}}]\n" + manyKeys.mid(19) + "  LAST: \"";
        for (int i = 0; i < 60000; ++i)
            manyReferences += "${K" + QByteArray::number(i) + "}";
        manyReferences += "${MISSING_" + QByteArray(kUndefined) + "}\"\n";
        QTest::newRow("many references") << manyReferences << "undefined variable ${MISSING_";
        // An explicit key ("? "): YAML limits implicit keys to 1024 characters.
        QTest::newRow("long unknown key") << "version: 1\nname: x\n? " + QByteArray(500000, 'k') + "\n: 1\n"
                                          << "unknown top-level key 'kkkk";
    }
    void hostileYaml()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, message);
        try {
            parse(yaml);
            QFAIL("no SpecError");
        } catch (const SpecError& error) {
            QVERIFY2(QString::fromStdString(error.message()).contains(message), error.what());
            QVERIFY(error.location().line > 0);
        }
    }

    void loadSpecReportsThePathAsGiven()
    {
        write("bad.yaml", "version: 3\n");
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(m_dir->path()));
        try {
            loadSpec("bad.yaml");
            QVERIFY(QDir::setCurrent(previous));
            QFAIL("no SpecError");
        } catch (const SpecError& error) {
            QVERIFY(QDir::setCurrent(previous));
            QCOMPARE(std::string(error.what()),
                std::string(
                    "bad.yaml:1:10: expected 1 for 'version', found '3' (this BuildScope reads version 1 specs)"));
        }
    }

    void specErrorFormat()
    {
        QCOMPARE(std::string(SpecError({"a.yaml", 3, 5}, "boom").what()), std::string("a.yaml:3:5: boom"));
        QCOMPARE(std::string(SpecError({"a.yaml", 3, 0}, "boom").what()), std::string("a.yaml:3: boom"));
        QCOMPARE(std::string(SpecError({"a.yaml", 0, 0}, "boom").what()), std::string("a.yaml: boom"));
        QCOMPARE(std::string(SpecError({"", 0, 0}, "boom").what()), std::string("boom"));
        const SpecError error({"a.yaml", 1, 2}, "boom");
        QCOMPARE(error.message(), std::string("boom"));
        QCOMPARE(error.location().column, 2);
    }

    void presetFillsStepsWithThePresetLocation()
    {
        const BuildSpec s
            = parse(spec("context: app\npreset: go\nimage: {tag: v2}\nbuild_args: {GO_VERSION: '1.23'}\n"));
        QCOMPARE(s.preset, std::string("go"));
        QCOMPARE(s.image.repository, std::string("services/demo"));
        QCOMPARE(s.image.tag, std::string("v2")); // the spec's own
        QCOMPARE(s.buildArgs.size(), std::size_t {2});
        QCOMPARE(s.buildArgs[0], std::make_pair(std::string("GO_VERSION"), std::string("1.23")));
        QCOMPARE(s.buildArgs[1], std::make_pair(std::string("CGO_ENABLED"), std::string("0")));
        QCOMPARE(s.steps.size(), std::size_t {5});
        for (const StepSpec& step : s.steps) {
            QCOMPARE(step.location.file, std::string("buildscope.yaml"));
            QCOMPARE(step.location.line, 4);
            QCOMPARE(step.location.column, 1);
        }
        QCOMPARE(s.steps[1].tarOutput, dir() / "app" / "build" / "context.tar");
    }

    void presetKeepsTheSpecsSteps()
    {
        const BuildSpec s = parse(spec("preset: python\n" + std::string(kOneStep)));
        QCOMPARE(s.steps.size(), std::size_t {1});
        QCOMPARE(s.steps[0].name, std::string("sum"));
        QCOMPARE(s.image.repository, std::string("services/demo"));
        QCOMPARE(s.image.tag, std::string("{digest:12}"));
    }

    void presetWithEmptyStepList()
    {
        const BuildSpec s = parse(spec("preset: maven\nsteps: []\n"));
        QCOMPARE(s.steps.size(), std::size_t {4});
        QCOMPARE(s.steps[2].command, std::string("mvn -B -q verify"));
    }

    void documentedExamplesLoad()
    {
        // Every ```yaml block of docs/SPEC.md is a valid spec.
        QFile doc(QStringLiteral(BUILDSCOPE_DOCS_DIR "/SPEC.md"));
        QVERIFY(doc.open(QIODevice::ReadOnly | QIODevice::Text));
        const QString text = QString::fromUtf8(doc.readAll());
        fs::create_directories(dir() / "service");
        write("service/.dockerignore", "build/\n");
        int examples = 0;
        qsizetype from = 0;
        while ((from = text.indexOf(QLatin1String("```yaml\n"), from)) >= 0) {
            from += 8;
            const qsizetype end = text.indexOf(QLatin1String("```"), from);
            QVERIFY(end > from);
            const std::string yaml = text.mid(from, end - from).toStdString();
            try {
                const BuildSpec s = parseSpec(yaml, "SPEC.md example", dir());
                QVERIFY(!s.steps.empty());
            } catch (const SpecError& error) {
                QFAIL(error.what());
            }
            ++examples;
            from = end + 3;
        }
        QCOMPARE(examples, 2);
    }

    void stepKeys()
    {
        QCOMPARE(stepTypeKeys().size(), std::size_t {4});
        QCOMPARE(knownStepKeys().size(), std::size_t {8});
        for (std::string_view type : stepTypeKeys())
            QVERIFY(std::find(knownStepKeys().begin(), knownStepKeys().end(), type) != knownStepKeys().end());
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestSpecLoader)
#include "tst_specloader.moc"
