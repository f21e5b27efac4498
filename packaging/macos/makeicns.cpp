// makeicns SVG ICNS: renders the SVG icon at every size macOS asks of an app icon and
// writes an Apple icon image (.icns) with PNG payloads, as iconutil would from an
// .iconset. A build tool of BuildScope.app (packaging/macos/bundle.cmake), built and run
// on Linux as on macOS: iconutil exists only on a Mac, and no Debian or Homebrew package
// makes an .icns from an SVG by itself. The format is a tiny container (docs/ARCHITECTURE.md,
// "Hand-written"): "icns", the file's length, then per image a 4-character type, the
// entry's length and the PNG, all lengths big-endian.
#include <QBuffer>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QtEndian>
#include <cstdio>

namespace {

struct IconType
{
    const char* type;
    int pixels;
};

// The types of an .iconset's icon_16x16 ... icon_512x512@2x, as iconutil writes them.
constexpr IconType kTypes[] = {
    {"icp4", 16},
    {"ic11", 32},
    {"icp5", 32},
    {"ic12", 64},
    {"ic07", 128},
    {"ic13", 256},
    {"ic08", 256},
    {"ic14", 512},
    {"ic09", 512},
    {"ic10", 1024},
};

QByteArray bigEndian(quint32 value)
{
    QByteArray bytes(4, '\0');
    qToBigEndian(value, bytes.data());
    return bytes;
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen"); // a build step: no display
    QGuiApplication application(argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: makeicns ICON.svg OUTPUT.icns\n");
        return 2;
    }
    QSvgRenderer svg(QString::fromLocal8Bit(argv[1]));
    if (!svg.isValid()) {
        std::fprintf(stderr, "makeicns: %s: not a readable SVG\n", argv[1]);
        return 1;
    }
    QByteArray entries;
    for (const IconType& icon : kTypes) {
        QImage image(icon.pixels, icon.pixels, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        svg.render(&painter);
        painter.end();
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        if (!image.save(&buffer, "PNG")) {
            std::fprintf(stderr, "makeicns: cannot encode a %dx%d PNG\n", icon.pixels, icon.pixels);
            return 1;
        }
        entries += QByteArray(icon.type, 4) + bigEndian(static_cast<quint32>(8 + png.size())) + png;
    }
    QFile output(QString::fromLocal8Bit(argv[2]));
    const QByteArray file = QByteArray("icns", 4) + bigEndian(static_cast<quint32>(8 + entries.size())) + entries;
    if (!output.open(QIODevice::WriteOnly | QIODevice::Truncate) || output.write(file) != file.size()) {
        std::fprintf(stderr, "makeicns: %s: %s\n", argv[2], qPrintable(output.errorString()));
        return 1;
    }
    return 0;
}
