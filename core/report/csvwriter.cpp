#include "report/csvwriter.h"

#include <charconv>
#include <cmath>

namespace buildscope {

std::string CsvWriter::escape(std::string_view text)
{
    if (text.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string(text);
    std::string quoted;
    quoted.reserve(text.size() + 2);
    quoted.push_back('"');
    for (char c : text) {
        if (c == '"')
            quoted.push_back('"');
        quoted.push_back(c);
    }
    quoted.push_back('"');
    return quoted;
}

void CsvWriter::separator()
{
    if (m_rowStarted)
        m_out.put(',');
    m_rowStarted = true;
}

CsvWriter& CsvWriter::field(std::string_view text)
{
    separator();
    m_out << escape(text);
    return *this;
}

CsvWriter& CsvWriter::field(double value)
{
    separator();
    if (!std::isfinite(value))
        return *this;
    char text[32];
    const auto result = std::to_chars(text, text + sizeof text, value);
    m_out.write(text, result.ptr - text);
    return *this;
}

CsvWriter& CsvWriter::field(std::uint64_t value)
{
    separator();
    m_out << value;
    return *this;
}

CsvWriter& CsvWriter::field(std::int64_t value)
{
    separator();
    m_out << value;
    return *this;
}

CsvWriter& CsvWriter::empty()
{
    separator();
    return *this;
}

void CsvWriter::endRow()
{
    m_out << "\r\n";
    m_rowStarted = false;
}

} // namespace buildscope
