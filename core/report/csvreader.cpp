#include "report/csvreader.h"

namespace buildscope {

std::optional<std::vector<std::string>> CsvReader::next()
{
    std::vector<std::string> record;
    std::string field;
    auto endField = [&] {
        if (record.size() == m_maxFields)
            throw CsvError(m_recordLine, "more than " + std::to_string(m_maxFields) + " fields in a record");
        record.push_back(std::move(field));
    };
    enum class State { FieldStart, Unquoted, Quoted, QuoteInQuoted } state = State::FieldStart;
    m_recordLine = m_line;
    int c = m_in.get();
    if (c == std::char_traits<char>::eof())
        return std::nullopt;
    for (;; c = m_in.get()) {
        const bool end = c == std::char_traits<char>::eof();
        switch (state) {
        case State::FieldStart:
        case State::Unquoted:
            if (end || c == '\n' || c == '\r') {
                if (c == '\r' && m_in.peek() == '\n')
                    m_in.get();
                if (!end)
                    ++m_line;
                endField();
                return record;
            }
            if (c == ',') {
                endField();
                field.clear();
                state = State::FieldStart;
            } else if (c == '"' && state == State::FieldStart) {
                state = State::Quoted;
            } else if (c == '"') {
                throw CsvError(m_line, "a double quote inside an unquoted field");
            } else {
                field.push_back(static_cast<char>(c));
                state = State::Unquoted;
            }
            break;
        case State::Quoted:
            if (end)
                throw CsvError(m_recordLine, "a quoted field is never closed (truncated file?)");
            if (c == '"') {
                state = State::QuoteInQuoted;
            } else {
                if (c == '\n')
                    ++m_line;
                field.push_back(static_cast<char>(c));
            }
            break;
        case State::QuoteInQuoted:
            if (c == '"') {
                field.push_back('"');
                state = State::Quoted;
            } else if (end) {
                endField();
                return record;
            } else if (c == ',') {
                endField();
                field.clear();
                state = State::FieldStart;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && m_in.peek() == '\n')
                    m_in.get();
                ++m_line;
                endField();
                return record;
            } else {
                throw CsvError(m_line, "text after the closing quote of a field");
            }
            break;
        }
    }
}

} // namespace buildscope
