#include "run/runresult.h"

namespace buildscope {

std::string RunResult::label(std::string_view key) const
{
    for (const auto& [name, value] : labels) {
        if (name == key)
            return value;
    }
    return {};
}

} // namespace buildscope
