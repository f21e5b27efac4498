// libFuzzer target: the RFC 4180 CSV reader that reads samples.csv, steps.csv and
// pools.csv back. Malformed input must end in CsvError naming a line; a crash, a
// sanitizer report or any other exception is a finding.
#include "report/csvreader.h"

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    buildscope::CsvReader reader(in);
    try {
        std::size_t lastLine = 0;
        while (const auto record = reader.next()) {
            if (record->empty() || reader.recordLine() <= lastLine)
                __builtin_trap(); // every record has a field, and records move forward
            lastLine = reader.recordLine();
        }
    } catch (const buildscope::CsvError&) { }
    return 0;
}
