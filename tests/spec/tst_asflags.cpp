#include "memory/heaptracker.h"
#include "spec/asflags.h"

#include <QtTest>

namespace buildscope {

namespace {

// The seed's benchmark input: 8 flag/value pairs, --verbose, 5 protobuf packages and 5
// protobuf files, 37 strings in all.
BuildSettings seedSettings()
{
    BuildSettings settings;
    settings.options = {{"--image", "registry.example.com/services/payments"}, {"--tag", "v1.42.0-rc.1"},
        {"--dockerfile", "deploy/docker/Dockerfile.release"}, {"--context", "/workspace/services/payments"},
        {"--platform", "linux/amd64"}, {"--target", "runtime"}, {"--build-arg", "GO_VERSION=1.22"},
        {"--label", "org.opencontainers.image.source=https://example.com/payments"}};
    settings.verbose = true;
    settings.protoPackages = {"payments.v1", "payments.v1.internal", "ledger.v2", "common.money.v1", "common.audit.v1"};
    settings.protoFiles = {"proto/payments/v1/payments.proto", "proto/payments/v1/internal/refunds.proto",
        "proto/ledger/v2/ledger.proto", "proto/common/money/v1/money.proto", "proto/common/audit/v1/audit.proto"};
    return settings;
}

std::uint64_t allocationsSince(const HeapCounters& before)
{
    return (HeapTracker::currentThread() - before).allocations;
}

} // namespace

class TestAsFlags : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(HeapTracker::isInstalled()); }

    void seedInputIsOneAllocation()
    {
        const BuildSettings settings = seedSettings();
        const HeapCounters before = HeapTracker::currentThread();
        const std::vector<std::string_view> flags = asFlags(settings);
        QCOMPARE(allocationsSince(before), std::uint64_t {1}); // the vector, nothing else
        QCOMPARE(flags.size(), std::size_t {37});
        QCOMPARE(flags.capacity(), std::size_t {37}); // reserved exactly
    }

    void flagOrderAndViews()
    {
        const BuildSettings settings = seedSettings();
        const std::vector<std::string_view> flags = asFlags(settings);
        QCOMPARE(flags[0], std::string_view("--image"));
        QCOMPARE(flags[1], std::string_view("registry.example.com/services/payments"));
        QCOMPARE(flags[14], std::string_view("--label"));
        QCOMPARE(flags[15], std::string_view("org.opencontainers.image.source=https://example.com/payments"));
        QCOMPARE(flags[16], std::string_view("--verbose"));
        QCOMPARE(flags[17], std::string_view("--proto-package"));
        QCOMPARE(flags[18], std::string_view("payments.v1"));
        QCOMPARE(flags[25], std::string_view("--proto-package"));
        QCOMPARE(flags[26], std::string_view("common.audit.v1"));
        QCOMPARE(flags[27], std::string_view("--proto-file"));
        QCOMPARE(flags[28], std::string_view("proto/payments/v1/payments.proto"));
        QCOMPARE(flags[36], std::string_view("proto/common/audit/v1/audit.proto"));
        // Views into the settings, not copies.
        QCOMPARE(flags[1].data(), settings.options[0].second.data());
        QCOMPARE(flags[36].data(), settings.protoFiles[4].data());
    }

    void withoutVerboseOrProtos()
    {
        BuildSettings settings;
        settings.options = {{"--image", "a"}};
        const std::vector<std::string_view> flags = asFlags(settings);
        QCOMPARE(flags, (std::vector<std::string_view> {"--image", "a"}));
    }

    void emptySettingsAllocateNothing()
    {
        const BuildSettings settings;
        const HeapCounters before = HeapTracker::currentThread();
        const std::vector<std::string_view> flags = asFlags(settings);
        QCOMPARE(allocationsSince(before), std::uint64_t {0});
        QVERIFY(flags.empty());
    }

    void noBuildArgs()
    {
        QCOMPARE(buildArgFlagsForShell({}), std::string());
    }

    void shellQuoting_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << "A"
                               << "1"
                               << "--build-arg 'A=1'";
        QTest::newRow("empty value") << "A"
                                     << ""
                                     << "--build-arg 'A='";
        QTest::newRow("spaces") << "CFLAGS"
                                << "-O2 -g"
                                << "--build-arg 'CFLAGS=-O2 -g'";
        QTest::newRow("single quote") << "MSG"
                                      << "it's"
                                      << "--build-arg 'MSG=it'\\''s'";
        QTest::newRow("only quotes") << "Q"
                                     << "''"
                                     << "--build-arg 'Q='\\'''\\'''";
        QTest::newRow("shell specials") << "X"
                                        << "$(rm -rf /) `id` \"$HOME\" ; | & \\"
                                        << "--build-arg 'X=$(rm -rf /) `id` \"$HOME\" ; | & \\'";
        QTest::newRow("newline") << "N"
                                 << "a\nb"
                                 << "--build-arg 'N=a\nb'";
    }
    void shellQuoting()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        const std::vector<std::pair<std::string, std::string>> args {{key.toStdString(), value.toStdString()}};
        const HeapCounters before = HeapTracker::currentThread();
        const std::string quoted = buildArgFlagsForShell(args);
        QVERIFY(allocationsSince(before) <= 1);
        QCOMPARE(QString::fromStdString(quoted), expected);
    }

    void shellQuotingManyArgs()
    {
        const std::vector<std::pair<std::string, std::string>> args {
            {"GO_VERSION", "1.22"}, {"NOTE", "don't"}, {"CGO_ENABLED", "0"}};
        const HeapCounters before = HeapTracker::currentThread();
        const std::string quoted = buildArgFlagsForShell(args);
        QCOMPARE(allocationsSince(before), std::uint64_t {1}); // sized exactly first
        QCOMPARE(quoted,
            std::string("--build-arg 'GO_VERSION=1.22' --build-arg 'NOTE=don'\\''t' --build-arg 'CGO_ENABLED=0'"));
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestAsFlags)
#include "tst_asflags.moc"
