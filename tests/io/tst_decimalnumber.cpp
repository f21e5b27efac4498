// io::parseDouble: what std::from_chars(double) does on libstdc++, on every standard
// library (libc++ before LLVM 20 has none). Cases where fast_float alone would differ from
// from_chars (overflow, underflow) are here on purpose.
#include "io/decimalnumber.h"

#include <QtTest>
#include <clocale>
#include <cmath>
#include <cstring>
#include <limits>

namespace buildscope {

namespace {

struct Parsed
{
    std::errc error;
    std::size_t used;
    double value;
};

Parsed parse(const char* text, double initial = -7)
{
    double value = initial;
    const std::from_chars_result result = io::parseDouble(text, text + std::strlen(text), value);
    return {result.ec, static_cast<std::size_t>(result.ptr - text), value};
}

} // namespace

class DecimalNumberTest : public QObject
{
    Q_OBJECT

private slots:
    void parsesDecimalAndScientific()
    {
        QCOMPARE(parse("1.5").value, 1.5);
        QCOMPARE(parse("-0.25").value, -0.25);
        QCOMPARE(parse("1e3").value, 1000.0);
        QCOMPARE(parse("2.5E-3").value, 0.0025);
        QCOMPARE(parse(".5").value, 0.5);
        QCOMPARE(parse("20").used, std::size_t(2));
    }

    // Correctly rounded: the nearest double, as from_chars and strtod give.
    void roundsExactly()
    {
        QCOMPARE(parse("0.1").value, 0.1);
        QCOMPARE(parse("9007199254740993").value, 9007199254740992.0); // 2^53 + 1: ties to even
        QCOMPARE(parse("2.2250738585072014e-308").value, std::numeric_limits<double>::min());
        QCOMPARE(parse("4.9406564584124654e-324").value, std::numeric_limits<double>::denorm_min());
    }

    // Stops at the first character that is not part of the number, like from_chars.
    void reportsWhereItStopped()
    {
        const Parsed parsed = parse("12.5MiB");
        QCOMPARE(parsed.error, std::errc());
        QCOMPARE(parsed.used, std::size_t(4));
        QCOMPARE(parse("0x10").used, std::size_t(1)); // no hexadecimal
    }

    // No leading blanks or '+', and nothing at all is not a number.
    void refusesWhatFromCharsRefuses()
    {
        for (const char* text : {"", "+1", " 1", "abc", "-", "e5"}) {
            const Parsed parsed = parse(text);
            QVERIFY2(parsed.error == std::errc::invalid_argument, text);
            QCOMPARE(parsed.value, -7.0); // untouched
        }
    }

    // Beyond double either way is out of range, value untouched; "inf" itself is infinity.
    void outOfRangeIsAnError()
    {
        for (const char* text : {"1e400", "-1e400", "1e-400", "0.0000001e-330"}) {
            const Parsed parsed = parse(text);
            QVERIFY2(parsed.error == std::errc::result_out_of_range, text);
            QCOMPARE(parsed.value, -7.0);
        }
        QCOMPARE(parse("0e-400").error, std::errc()); // zero is zero, however written
        QCOMPARE(parse("0e-400").value, 0.0);
        QVERIFY(std::isinf(parse("inf").value));
        QVERIFY(std::isinf(parse("-infinity").value));
        QVERIFY(std::isnan(parse("nan").value));
    }

    // A locale whose decimal point is a comma changes nothing.
    void ignoresTheLocale()
    {
        const char* previous = std::setlocale(LC_NUMERIC, nullptr);
        const std::string saved = previous ? previous : "C";
        if (!std::setlocale(LC_NUMERIC, "de_DE.UTF-8") && !std::setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
            QSKIP("no comma-decimal locale installed");
        const Parsed parsed = parse("3.75");
        std::setlocale(LC_NUMERIC, saved.c_str());
        QCOMPARE(parsed.value, 3.75);
        QCOMPARE(parsed.used, std::size_t(4));
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::DecimalNumberTest)
#include "tst_decimalnumber.moc"
