// BuildScope.app's description, checked where it is made (Linux): the Info.plist a Mac
// reads, the .icns Finder shows, and which files the bundle carries. The real bundle is
// built and checked by the macOS workflow (.github/workflows/ci.yml).
#include <QDir>
#include <QFile>
#include <QImage>
#include <QMap>
#include <QXmlStreamReader>
#include <QtEndian>
#include <QtTest>

namespace buildscope {

namespace {

// A flat plist dictionary: key -> string value, or "true"/"false" for booleans.
QMap<QString, QString> readPlist(const QString& file)
{
    QFile input(file);
    if (!input.open(QIODevice::ReadOnly))
        return {};
    QMap<QString, QString> values;
    QXmlStreamReader xml(&input);
    int depth = 0;
    QString key;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const QStringView name = xml.name();
            if (name == QLatin1String("dict") || name == QLatin1String("array")) {
                ++depth;
                continue;
            }
            if (depth != 1)
                continue; // nested (document types): not needed here
            if (name == QLatin1String("key"))
                key = xml.readElementText();
            else if (name == QLatin1String("true") || name == QLatin1String("false"))
                values[key] = name.toString();
            else
                values[key] = xml.readElementText();
        } else if (xml.isEndElement()
            && (xml.name() == QLatin1String("dict") || xml.name() == QLatin1String("array"))) {
            --depth;
        }
    }
    return xml.hasError() ? QMap<QString, QString> {} : values;
}

} // namespace

class MacosBundleTest : public QObject
{
    Q_OBJECT

private slots:
    void infoPlistSaysWhatAMacNeeds()
    {
        const QMap<QString, QString> plist = readPlist(QStringLiteral(BUNDLE_DIR "/Info.plist"));
        QVERIFY2(!plist.isEmpty(), "Info.plist missing or not well-formed XML");
        QCOMPARE(plist.value("CFBundleIdentifier"), QStringLiteral("dev.buildscope.BuildScope"));
        QCOMPARE(plist.value("CFBundleExecutable"), QStringLiteral("BuildScope"));
        QCOMPARE(plist.value("CFBundlePackageType"), QStringLiteral("APPL"));
        QCOMPARE(plist.value("CFBundleShortVersionString"), QStringLiteral(PROJECT_VERSION));
        QCOMPARE(plist.value("CFBundleVersion"), QStringLiteral(PROJECT_VERSION));
        QCOMPARE(plist.value("LSMinimumSystemVersion"), QStringLiteral("13.0"));
        QCOMPARE(plist.value("LSMinimumSystemVersion"), QStringLiteral(MACOS_MINIMUM)); // as the compiler targets
        QCOMPARE(plist.value("NSHighResolutionCapable"), QStringLiteral("true"));
        QCOMPARE(plist.value("CFBundleIconFile"), QStringLiteral("BuildScope"));
        QFile raw(QStringLiteral(BUNDLE_DIR "/Info.plist"));
        QVERIFY(raw.open(QIODevice::ReadOnly));
        QVERIFY(!raw.readAll().contains('@')); // every @VARIABLE@ configured
    }

    // An Apple icon image: "icns", its length, then typed entries of PNG images whose
    // sizes are those the types stand for.
    void iconIsAnIcnsWithEveryRetinaSize()
    {
        QFile file(QStringLiteral(BUNDLE_DIR "/BuildScope.icns"));
        QVERIFY2(file.open(QIODevice::ReadOnly), "BuildScope.icns was not made");
        const QByteArray icns = file.readAll();
        QVERIFY(icns.size() > 8);
        QCOMPARE(icns.left(4), QByteArray("icns"));
        QCOMPARE(qFromBigEndian<quint32>(icns.constData() + 4), quint32(icns.size()));
        const QMap<QByteArray, int> expected {{"icp4", 16}, {"ic11", 32}, {"icp5", 32}, {"ic12", 64}, {"ic07", 128},
            {"ic13", 256}, {"ic08", 256}, {"ic14", 512}, {"ic09", 512}, {"ic10", 1024}};
        QMap<QByteArray, int> found;
        qsizetype at = 8;
        while (at + 8 <= icns.size()) {
            const QByteArray type = icns.mid(at, 4);
            const auto length = static_cast<qsizetype>(qFromBigEndian<quint32>(icns.constData() + at + 4));
            QVERIFY2(length > 8 && at + length <= icns.size(), type.constData());
            const QImage image = QImage::fromData(icns.mid(at + 8, length - 8), "PNG");
            QVERIFY2(!image.isNull(), type.constData());
            QCOMPARE(image.width(), image.height());
            found[type] = image.width();
            // Not an empty square: the SVG was drawn.
            QVERIFY2(image.pixelColor(image.width() / 2, image.height() / 2).alpha() > 0, type.constData());
            at += length;
        }
        QCOMPARE(at, icns.size());
        QCOMPARE(found, expected);
    }

    // The bundle carries the engine beside the dashboard and the docs the Documentation
    // window opens (ui/window/documentationwindow.cpp looks in ../Resources/doc).
    void layoutCarriesEngineIconAndDocs()
    {
        QFile file(QStringLiteral(BUNDLE_DIR "/bundle-layout.txt"));
        QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList layout = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
        for (const char* required : {"Contents/Info.plist", "Contents/MacOS/BuildScope", "Contents/MacOS/buildscope",
                 "Contents/Resources/BuildScope.icns", "Contents/Resources/doc/README.md",
                 "Contents/Resources/doc/LICENSE"})
            QVERIFY2(layout.contains(QString::fromLatin1(required)), required);
        const QStringList docs = QDir(QStringLiteral(SOURCE_DIR "/docs")).entryList({"*.md"}, QDir::Files);
        QVERIFY(docs.contains("INSTALL.md"));
        for (const QString& doc : docs)
            QVERIFY2(layout.contains("Contents/Resources/doc/" + doc), qPrintable(doc));
    }
};

} // namespace buildscope

QTEST_MAIN(buildscope::MacosBundleTest)
#include "tst_macosbundle.moc"
