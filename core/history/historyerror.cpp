#include "history/historyerror.h"

namespace buildscope {

HistoryError::HistoryError(const std::filesystem::path& file, const std::string& problem)
    : std::runtime_error(file.string() + ": " + problem)
{ }

} // namespace buildscope
