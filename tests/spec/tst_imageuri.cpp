#include "memory/heaptracker.h"
#include "spec/imageuri.h"

#include <QtTest>
#include <stdexcept>

namespace buildscope {

namespace {

constexpr std::string_view kDigest = "xxh3-128:v1:0123456789abcdef0123456789abcdef";

std::uint64_t allocationsSince(const HeapCounters& before)
{
    return (HeapTracker::currentThread() - before).allocations;
}

} // namespace

class TestImageUri : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(HeapTracker::isInstalled()); }

    void joins_data()
    {
        QTest::addColumn<QString>("registry");
        QTest::addColumn<QString>("repository");
        QTest::addColumn<QString>("tag");
        QTest::addColumn<QString>("uri");
        QTest::newRow("all parts") << "localhost:5000"
                                   << "demo/app"
                                   << "v1.2.3"
                                   << "localhost:5000/demo/app:v1.2.3";
        QTest::newRow("no registry") << ""
                                     << "services/payments"
                                     << "latest"
                                     << "services/payments:latest";
        QTest::newRow("no tag") << "ghcr.io/acme"
                                << "services/payments"
                                << ""
                                << "ghcr.io/acme/services/payments";
        QTest::newRow("repository only") << ""
                                         << "services/payments-api"
                                         << ""
                                         << "services/payments-api";
    }
    void joins()
    {
        QFETCH(QString, registry);
        QFETCH(QString, repository);
        QFETCH(QString, tag);
        QFETCH(QString, uri);
        const std::string r = registry.toStdString(), p = repository.toStdString(), t = tag.toStdString();
        const HeapCounters before = HeapTracker::currentThread();
        const std::string result = imageUri(r, p, t);
        QCOMPARE(allocationsSince(before), std::uint64_t {1}); // every row is past the small-string buffer
        QCOMPARE(QString::fromStdString(result), uri);
    }

    void fourUrisAreFourAllocations()
    {
        // The seed's pooled Go version took 9 allocations for these 4.
        const HeapCounters before = HeapTracker::currentThread();
        const std::string a = imageUri("localhost:5000", "demo/app", "v1.2.3");
        const std::string b = imageUri("", "services/payments", "0123456789ab");
        const std::string c = imageUri("registry.example.com:443", "team/service", "latest");
        const std::string d = imageUri("ghcr.io", "acme/tools/builder", "");
        QCOMPARE(allocationsSince(before), std::uint64_t {4});
        QCOMPARE(a, std::string("localhost:5000/demo/app:v1.2.3"));
        QCOMPARE(b, std::string("services/payments:0123456789ab"));
        QCOMPARE(c, std::string("registry.example.com:443/team/service:latest"));
        QCOMPARE(d, std::string("ghcr.io/acme/tools/builder"));
    }

    void shortUrisFitTheSmallStringBuffer()
    {
        const HeapCounters before = HeapTracker::currentThread();
        const std::string uri = imageUri("", "a/b", "v1");
        QCOMPARE(allocationsSince(before), std::uint64_t {0});
        QCOMPARE(uri, std::string("a/b:v1"));
    }

    void digestPlaceholders_data()
    {
        QTest::addColumn<QString>("tag");
        QTest::addColumn<QString>("uri");
        QTest::newRow("whole digest") << "{digest}"
                                      << "registry.example.com/demo/app:0123456789abcdef0123456789abcdef";
        QTest::newRow("prefix") << "{digest:12}"
                                << "registry.example.com/demo/app:0123456789ab";
        QTest::newRow("one char") << "{digest:1}"
                                  << "registry.example.com/demo/app:0";
        QTest::newRow("all 32") << "{digest:32}"
                                << "registry.example.com/demo/app:0123456789abcdef0123456789abcdef";
        QTest::newRow("around text") << "v1-{digest:8}-rc"
                                     << "registry.example.com/demo/app:v1-01234567-rc";
        QTest::newRow("twice") << "{digest:4}.{digest:2}"
                               << "registry.example.com/demo/app:0123.01";
        QTest::newRow("no placeholder") << "stable"
                                        << "registry.example.com/demo/app:stable";
        QTest::newRow("no tag") << ""
                                << "registry.example.com/demo/app";
    }
    void digestPlaceholders()
    {
        QFETCH(QString, tag);
        QFETCH(QString, uri);
        const ImageSpec image {"registry.example.com", "demo/app", tag.toStdString()};
        const HeapCounters before = HeapTracker::currentThread();
        const std::string result = imageUri(image, kDigest);
        QCOMPARE(allocationsSince(before), std::uint64_t {1});
        QCOMPARE(QString::fromStdString(result), uri);
    }

    void digestWithoutPrefix()
    {
        // A bare hex digest works too; a prefix longer than the digest takes all of it.
        QCOMPARE(imageUri(ImageSpec {"", "demo/app", "{digest:32}"}, "abcdef"), std::string("demo/app:abcdef"));
    }

    void tagWithoutPlaceholderNeedsNoDigest()
    {
        QCOMPARE(imageUri(ImageSpec {"", "demo/app", "latest"}, ""), std::string("demo/app:latest"));
        QVERIFY(!tagNeedsDigest("latest"));
        QVERIFY(tagNeedsDigest("v-{digest:4}"));
    }

    void missingDigest()
    {
        try {
            imageUri(ImageSpec {"", "demo/app", "{digest:12}"}, "");
            QFAIL("no exception");
        } catch (const std::invalid_argument& error) {
            QVERIFY2(std::string_view(error.what()).find("image tag '{digest:12}' needs the context digest")
                    != std::string_view::npos,
                error.what());
        }
        // "xxh3-128:v1:" has an empty hex part: no digest either.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, imageUri(ImageSpec {"", "a", "{digest}"}, "xxh3-128:v1:"));
    }

    void badTemplates_data()
    {
        QTest::addColumn<QString>("tag");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown") << "{sha}"
                                 << "bad placeholder '{sha}' in image tag '{sha}': expected {digest}";
        QTest::newRow("unclosed") << "v{digest"
                                  << "bad placeholder '{digest' in image tag 'v{digest': missing '}'";
        QTest::newRow("zero") << "{digest:0}"
                              << "N must be a number from 1 to 32";
        QTest::newRow("too long") << "{digest:33}"
                                  << "N must be a number from 1 to 32";
        QTest::newRow("not a number") << "{digest:x}"
                                      << "N must be a number";
        QTest::newRow("empty N") << "{digest:}"
                                 << "N must be a number";
        QTest::newRow("huge N") << "{digest:99999999999999999999}"
                                << "N must be a number";
    }
    void badTemplates()
    {
        QFETCH(QString, tag);
        QFETCH(QString, message);
        try {
            validateTagTemplate(tag.toStdString());
            QFAIL("no exception");
        } catch (const std::invalid_argument& error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains(message), error.what());
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, imageUri(ImageSpec {"", "a", tag.toStdString()}, kDigest));
    }

    void sampleTags()
    {
        QCOMPARE(sampleTag("v-{digest:3}"), std::string("v-000"));
        QCOMPARE(sampleTag("{digest}", 'f'), std::string(kMaxDigestPrefix, 'f'));
        QCOMPARE(sampleTag("plain"), std::string("plain"));
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestImageUri)
#include "tst_imageuri.moc"
