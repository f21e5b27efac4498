#include "spec/substitution.h"

#include <QtTest>
#include <map>
#include <stdexcept>

namespace buildscope {

namespace {

VariableLookup mapLookup(std::map<std::string, std::string, std::less<>> values)
{
    return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
        const auto it = values.find(name);
        return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

const VariableLookup kLookup = mapLookup({{"IMAGE_URI", "localhost:5000/demo/app:0123abcd"}, {"CONTEXT", "/src/demo"},
    {"EMPTY", ""}, {"DOLLAR", "$HOME ${NOT_AGAIN}"}, {"_under_1", "u"}});

} // namespace

class TestSubstitution : public QObject
{
    Q_OBJECT

private slots:
    void substitutes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << "make all"
                               << "make all";
        QTest::newRow("empty") << ""
                               << "";
        QTest::newRow("one") << "docker push ${IMAGE_URI}"
                             << "docker push localhost:5000/demo/app:0123abcd";
        QTest::newRow("two, adjacent") << "${CONTEXT}${IMAGE_URI}"
                                       << "/src/demolocalhost:5000/demo/app:0123abcd";
        QTest::newRow("whole text") << "${CONTEXT}"
                                    << "/src/demo";
        QTest::newRow("empty value") << "a${EMPTY}b"
                                     << "ab";
        QTest::newRow("underscore and digit") << "${_under_1}"
                                              << "u";
        QTest::newRow("escaped dollar") << "cost: $$5"
                                        << "cost: $5";
        QTest::newRow("escaped reference") << "$${CONTEXT}"
                                           << "${CONTEXT}";
        QTest::newRow("escaped then reference") << "$$${CONTEXT}"
                                                << "$/src/demo";
        QTest::newRow("two escapes") << "$$$$"
                                     << "$$";
        QTest::newRow("shell variable") << "echo $HOME $1 $@"
                                        << "echo $HOME $1 $@";
        QTest::newRow("command substitution") << "echo $(pwd) $((1+2))"
                                              << "echo $(pwd) $((1+2))";
        QTest::newRow("trailing dollar") << "cost$"
                                         << "cost$";
        QTest::newRow("lone brace") << "{CONTEXT} }"
                                    << "{CONTEXT} }";
        // Values are inserted as they are, never substituted again.
        QTest::newRow("value not rescanned") << "${DOLLAR}"
                                             << "$HOME ${NOT_AGAIN}";
    }
    void substitutes()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(substituteVariables(text.toStdString(), kLookup)), expected);
    }

    void rejects_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("undefined") << "echo ${NOPE}"
                                   << "undefined variable ${NOPE}";
        QTest::newRow("undefined after defined") << "${CONTEXT} ${NOPE}"
                                                 << "undefined variable ${NOPE}";
        QTest::newRow("unterminated") << "echo ${CONTEXT"
                                      << "unterminated variable reference '${CONTEXT'";
        QTest::newRow("bare opener") << "echo ${"
                                     << "unterminated variable reference '${'";
        QTest::newRow("empty name") << "${}"
                                    << "malformed variable reference '${}'";
        QTest::newRow("leading digit") << "${1X}"
                                       << "malformed variable reference '${1X}'";
        QTest::newRow("shell default") << "${HOME:-/root}"
                                       << "malformed variable reference '${HOME:-/root}'";
        QTest::newRow("space") << "${ CONTEXT }"
                               << "malformed variable reference '${ CONTEXT }'";
    }
    void rejects()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        try {
            substituteVariables(text.toStdString(), kLookup);
            QFAIL("no exception");
        } catch (const std::invalid_argument& error) {
            QVERIFY2(QString::fromUtf8(error.what()).startsWith(message), error.what());
        }
        if (message.startsWith("undefined"))
            return;
        // Malformed text is malformed whatever the values.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, referencedVariables(text.toStdString()));
    }

    void lookupSeesTheName()
    {
        std::vector<std::string> asked;
        const VariableLookup recording = [&](std::string_view name) -> std::optional<std::string> {
            asked.emplace_back(name);
            return std::string("<") + std::string(name) + ">";
        };
        QCOMPARE(substituteVariables("${A} $${B} ${C}", recording), std::string("<A> ${B} <C>"));
        QCOMPARE(asked, (std::vector<std::string> {"A", "C"}));
    }

    void referencedInOrder()
    {
        QCOMPARE(referencedVariables("${B} $${X} ${A} $HOME ${B}"), (std::vector<std::string> {"B", "A", "B"}));
        QVERIFY(referencedVariables("no references $$ $x").empty());
    }

    void scanReportsOffsets()
    {
        const std::string_view text = "a ${ONE} $${TWO} ${3} ${FOUR";
        const std::vector<VariableReference> references = scanVariableReferences(text);
        QCOMPARE(references.size(), std::size_t {3});
        QCOMPARE(references[0].offset, std::size_t {2});
        QCOMPARE(references[0].length, std::size_t {6});
        QCOMPARE(references[0].name, std::string_view("ONE"));
        QVERIFY(references[0].wellFormed);
        QCOMPARE(references[1].offset, std::size_t {17});
        QCOMPARE(references[1].name, std::string_view("3"));
        QVERIFY(!references[1].wellFormed);
        QCOMPARE(references[2].offset, std::size_t {22});
        QCOMPARE(references[2].length, std::size_t {6}); // to the end: no '}'
        QVERIFY(!references[2].wellFormed);
        QCOMPARE(describeMalformedReference(references[2], text, " in step 'x'"),
            std::string("unterminated variable reference '${FOUR' in step 'x': expected ${NAME} with a closing '}' "
                        "(write $$ for a literal '$')"));
    }
};

} // namespace buildscope

QTEST_GUILESS_MAIN(buildscope::TestSubstitution)
#include "tst_substitution.moc"
