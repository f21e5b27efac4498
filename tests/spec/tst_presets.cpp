#include "spec/presets.h"
#include "spec/specloader.h"

#include <QtTest>
#include <set>
#include <stdexcept>

namespace fs = std::filesystem;

namespace buildscope {

namespace {

BuildSpec bareSpec(std::string preset, std::string name = "payments")
{
    BuildSpec spec;
    spec.file = "/work/demo/buildscope.yaml";
    spec.name = std::move(name);
    spec.preset = std::move(preset);
    spec.context = "/work/demo";
    return spec;
}

const BuildPreset& preset(std::string_view name)
{
    const BuildPreset* found = findPreset(name);
    if (!found)
        throw std::logic_error("no preset " + std::string(name));
    return *found;
}

} // namespace

class TestPresets : public QObject
{
    Q_OBJECT

private slots:
    void threePresets()
    {
        QCOMPARE(buildPresets().size(), std::size_t {3});
        QVERIFY(findPreset("go"));
        QVERIFY(findPreset("maven"));
        QVERIFY(findPreset("python"));
        QVERIFY(!findPreset("rust"));
        QVERIFY(!findPreset(""));
        QCOMPARE(findPreset("go")->name, std::string_view("go"));
    }

    void everyPresetIsAUsableBuild_data()
    {
        QTest::addColumn<QString>("name");
        for (const BuildPreset& p : buildPresets())
            QTest::newRow(std::string(p.name).c_str())
                << QString::fromUtf8(p.name.data(), static_cast<qsizetype>(p.name.size()));
    }
    void everyPresetIsAUsableBuild()
    {
        QFETCH(QString, name);
        const BuildPreset& p = preset(name.toStdString());
        QCOMPARE(p.image.repository, std::string("services/{name}"));
        QCOMPARE(p.image.tag, std::string("{digest:12}"));
        QVERIFY(!p.buildArgs.empty());
        // Fingerprint and package first, the optional image last; names unique.
        QVERIFY(p.steps.size() >= 4);
        QCOMPARE(p.steps.front().kind, StepKind::Checksum);
        QCOMPARE(p.steps[1].kind, StepKind::Tar);
        QCOMPARE(p.steps[1].tarOutput, fs::path("build/context.tar"));
        QCOMPARE(p.steps.back().kind, StepKind::Container);
        QVERIFY(p.steps.back().optional);
        std::set<std::string> names;
        for (const StepSpec& step : p.steps) {
            QVERIFY(names.insert(step.name).second);
            QCOMPARE(step.location.line, 0);
            if (step.kind == StepKind::Run)
                QVERIFY(!step.command.empty());
        }
    }

    void goPreset()
    {
        const BuildPreset& go = preset("go");
        const std::vector<std::pair<std::string, std::string>> args {{"GO_VERSION", "1.22"}, {"CGO_ENABLED", "0"}};
        QCOMPARE(go.buildArgs, args);
        QCOMPARE(go.steps.size(), std::size_t {5});
        QCOMPARE(go.steps[0].name, std::string("fingerprint"));
        QCOMPARE(go.steps[1].name, std::string("context"));
        QCOMPARE(go.steps[2].name, std::string("test"));
        QCOMPARE(go.steps[2].command, std::string("go test ./..."));
        QCOMPARE(go.steps[3].name, std::string("build"));
        QCOMPARE(go.steps[3].command, std::string("go build -o build/app ./..."));
        QCOMPARE(go.steps[4].name, std::string("image"));
    }

    void mavenAndPythonPresets()
    {
        QCOMPARE(preset("maven").steps[2].command, std::string("mvn -B -q verify"));
        QCOMPARE(preset("python").steps[2].command, std::string("python3 -m pytest -q"));
        QCOMPARE(preset("python").buildArgs.front().first, std::string("PYTHON_VERSION"));
    }

    void fillsWhatTheSpecLeavesOut()
    {
        BuildSpec spec = bareSpec("go");
        applyPreset(spec, preset("go"));
        QCOMPARE(spec.image.registry, std::string());
        QCOMPARE(spec.image.repository, std::string("services/payments"));
        QCOMPARE(spec.image.tag, std::string("{digest:12}"));
        QCOMPARE(spec.buildArgs, preset("go").buildArgs);
        QCOMPARE(spec.steps.size(), std::size_t {5});
        // Tar output resolved against the context, locations point at the spec file.
        QCOMPARE(spec.steps[1].tarOutput, fs::path("/work/demo/build/context.tar"));
        QCOMPARE(spec.steps[0].location.file, std::string("/work/demo/buildscope.yaml"));
    }

    void keepsWhatTheSpecSays()
    {
        BuildSpec spec = bareSpec("go");
        spec.image = {"localhost:5000", "team/payments", ""};
        spec.buildArgs = {{"CGO_ENABLED", "1"}, {"EXTRA", "x"}};
        StepSpec own;
        own.name = "only";
        own.command = "make";
        spec.steps.push_back(own);
        applyPreset(spec, preset("go"));
        QCOMPARE(spec.image.registry, std::string("localhost:5000"));
        QCOMPARE(spec.image.repository, std::string("team/payments"));
        QCOMPARE(spec.image.tag, std::string("{digest:12}")); // the one field left empty
        // The spec's own args first, in its order and with its values; the preset's others after.
        const std::vector<std::pair<std::string, std::string>> args {
            {"CGO_ENABLED", "1"}, {"EXTRA", "x"}, {"GO_VERSION", "1.22"}};
        QCOMPARE(spec.buildArgs, args);
        // Steps are all or nothing.
        QCOMPARE(spec.steps.size(), std::size_t {1});
        QCOMPARE(spec.steps[0].name, std::string("only"));
    }

    void applyingTwiceChangesNothing()
    {
        BuildSpec once = bareSpec("python");
        applyPreset(once, preset("python"));
        BuildSpec twice = once;
        applyPreset(twice, preset("python"));
        QCOMPARE(twice.buildArgs, once.buildArgs);
        QCOMPARE(twice.steps.size(), once.steps.size());
        QCOMPARE(twice.image.repository, once.image.repository);
    }

    void presetNameIsSetWhenMissingAndCheckedWhenNot()
    {
        BuildSpec spec = bareSpec("");
        applyPreset(spec, preset("maven"));
        QCOMPARE(spec.preset, std::string("maven"));
        BuildSpec other = bareSpec("go");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, applyPreset(other, preset("maven")));
    }

    void repositoryFromName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("component");
        QTest::newRow("plain") << "payments"
                               << "payments";
        QTest::newRow("upper case and space") << "My App"
                                              << "my-app";
        QTest::newRow("dots and underscores kept") << "svc.v2_api"
                                                   << "svc.v2_api";
        QTest::newRow("runs collapse") << "a  --  b"
                                       << "a-b";
        QTest::newRow("double underscore") << "a__b"
                                           << "a-b";
        QTest::newRow("trimmed") << "  -Demo- "
                                 << "demo";
        QTest::newRow("nothing usable") << "***"
                                        << "app";
        QTest::newRow("empty") << ""
                               << "app";
        QTest::newRow("non-ascii") << "caf\xc3\xa9 bar"
                                   << "caf-bar";
    }
    void repositoryFromName()
    {
        QFETCH(QString, name);
        QFETCH(QString, component);
        QCOMPARE(QString::fromStdString(repositoryComponent(name.toStdString())), component);
        // Always usable in a spec: the loader's own check accepts it.
        BuildSpec spec = bareSpec("go", name.toStdString());
        applyPreset(spec, preset("go"));
        QCOMPARE(QString::fromStdString(spec.image.repository), "services/" + component);
    }

    void presetSpecLoadsAndValidates_data()
    {
        QTest::addColumn<QString>("name");
        for (const BuildPreset& p : buildPresets())
            QTest::newRow(std::string(p.name).c_str())
                << QString::fromUtf8(p.name.data(), static_cast<qsizetype>(p.name.size()));
    }
    void presetSpecLoadsAndValidates()
    {
        QFETCH(QString, name);
        QTemporaryDir dir;
        const std::string yaml = "version: 1\nname: Demo Service\npreset: " + name.toStdString() + "\n";
        const BuildSpec spec = parseSpec(yaml, "buildscope.yaml", dir.path().toStdString());
        QCOMPARE(spec.image.repository, std::string("services/demo-service"));
        QCOMPARE(spec.steps.size(), preset(name.toStdString()).steps.size());
        for (const StepSpec& step : spec.steps) {
            QCOMPARE(step.location.line, 3);
            QCOMPARE(step.location.column, 1);
        }
        QCOMPARE(spec.steps[1].tarOutput, fs::path(dir.path().toStdString()) / "build" / "context.tar");
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestPresets)
#include "tst_presets.moc"
