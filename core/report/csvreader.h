#pragma once

#include <istream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace buildscope {

// A malformed CSV file; line() is the 1-based physical line where the problem is.
class CsvError : public std::runtime_error
{
public:
    CsvError(std::size_t line, const std::string& message)
        : std::runtime_error("line " + std::to_string(line) + ": " + message)
        , m_line(line)
    {
    }
    std::size_t line() const noexcept { return m_line; }

private:
    std::size_t m_line;
};

// Reads RFC 4180 CSV (what CsvWriter writes, and what spreadsheets export): quoted
// fields may hold commas, quotes ("") and line breaks; records end with CRLF or LF. A
// quote opened and never closed, or text after a closing quote, is an error naming
// the line. Hand-written for the same reason as the writer (docs/REPORTS.md).
class CsvReader
{
public:
    // A record of more than maxFields fields is an error, so that one line of commas
    // cannot turn a bounded file into millions of strings (a report has a few dozen).
    explicit CsvReader(std::istream& in, std::size_t maxFields = kDefaultMaxFields)
        : m_in(in)
        , m_maxFields(maxFields)
    {
    }

    static constexpr std::size_t kDefaultMaxFields = 4096;

    // The next record, or nullopt at the end of the input.
    std::optional<std::vector<std::string>> next();
    // Physical line on which the last returned record started.
    std::size_t recordLine() const noexcept { return m_recordLine; }

private:
    std::istream& m_in;
    std::size_t m_maxFields;
    std::size_t m_line = 1;
    std::size_t m_recordLine = 0;
};

} // namespace buildscope
