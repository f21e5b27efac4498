#include "context/contexterror.h"

#include <utility>

namespace buildscope {

// generic_string() so a message reads the same on every platform ("src/a.txt: ...").
ContextError::ContextError(std::filesystem::path path, const std::string& reason)
    : std::runtime_error(path.generic_string() + ": " + reason)
    , m_path(std::move(path))
{ }

} // namespace buildscope
