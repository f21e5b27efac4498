#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace buildscope {

// An argument vector as one line of text and back, losslessly: arguments separated by
// spaces, each quoted POSIX-shell style when it needs to be ('it'\''s'), so the line can
// also be pasted into a shell. Used where a format holds one text per field (CSV, SQL).
std::string joinArguments(const std::vector<std::string>& arguments);
// nullopt when the line is not what joinArguments() writes (an unclosed quote).
std::optional<std::vector<std::string>> splitArguments(std::string_view line);

} // namespace buildscope
