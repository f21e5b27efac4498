#include "io/decimalnumber.h"

#include <cmath>
#include <fast_float/fast_float.h>
#include <system_error>

namespace buildscope::io {

namespace {

// fast_float returns ±inf for a value beyond double and 0 for one below its smallest
// subnormal; std::from_chars calls both out of range, and so do we (a "1e400" in a report
// is a damaged file, not infinity).
bool spelledAsInfinity(const char* first, const char* last) noexcept
{
    if (first != last && *first == '-')
        ++first;
    return first != last && (*first == 'i' || *first == 'I');
}

bool hasNonZeroMantissaDigit(const char* first, const char* last) noexcept
{
    for (; first != last && *first != 'e' && *first != 'E'; ++first) {
        if (*first >= '1' && *first <= '9')
            return true;
    }
    return false;
}

} // namespace

std::from_chars_result parseDouble(const char* first, const char* last, double& value) noexcept
{
    double parsed = 0;
    const fast_float::from_chars_result result = fast_float::from_chars(first, last, parsed);
    if (result.ec != std::errc())
        return {result.ptr, result.ec};
    if ((std::isinf(parsed) && !spelledAsInfinity(first, result.ptr))
        || (parsed == 0 && hasNonZeroMantissaDigit(first, result.ptr)))
        return {result.ptr, std::errc::result_out_of_range}; // value untouched, as from_chars leaves it
    value = parsed;
    return {result.ptr, result.ec};
}

} // namespace buildscope::io
