#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace buildscope {

// Writes RFC 4180 CSV: fields separated by commas, records ended by CRLF; a field that
// holds a comma, a double quote, CR or LF is enclosed in double quotes with inner quotes
// doubled. Numbers use '.' and the shortest text that reads back to the same double;
// NaN and empty optionals are written as empty fields (pandas reads them as NaN).
class CsvWriter
{
public:
    explicit CsvWriter(std::ostream& out)
        : m_out(out)
    { }

    CsvWriter& field(std::string_view text);
    CsvWriter& field(double value);
    CsvWriter& field(std::uint64_t value);
    CsvWriter& field(std::int64_t value);
    CsvWriter& field(int value) { return field(static_cast<std::int64_t>(value)); }
    CsvWriter& field(const char* text) { return field(std::string_view(text)); }
    CsvWriter& empty();
    void endRow();

    static std::string escape(std::string_view text);

private:
    void separator();

    std::ostream& m_out;
    bool m_rowStarted = false;
};

} // namespace buildscope
