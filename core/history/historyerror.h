#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace buildscope {

// A run history store that cannot be opened, read or written, or a request it cannot
// satisfy (unknown run, selector matching nothing). what() starts with the store file:
// "/path/history.sqlite: the store is locked by another process (database is locked)".
class HistoryError : public std::runtime_error
{
public:
    HistoryError(const std::filesystem::path& file, const std::string& problem);
};

} // namespace buildscope
