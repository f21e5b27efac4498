#pragma once

#include <charconv>

namespace buildscope::io {

// Parses a decimal floating-point number exactly as std::from_chars(first, last, double&)
// does: no locale, no leading blanks or '+', correctly rounded, "inf" and "nan" accepted,
// errc::result_out_of_range for a value beyond double. libc++ has from_chars for double
// only from LLVM 20 (the Xcode our macOS users have lacks it), so this is fast_float, the
// well-kept library that libstdc++ and LLVM themselves took their implementation from.
std::from_chars_result parseDouble(const char* first, const char* last, double& value) noexcept;

} // namespace buildscope::io
