#pragma once

#include <cstddef>
#include <cstring>

namespace buildscope {

// Zeroes memory in a way the optimiser may not drop even if the memory is never read again.
inline void secureZero(void* data, std::size_t size) noexcept
{
    std::memset(data, 0, size);
#if defined(__GNUC__) || defined(__clang__)
    __asm__ __volatile__("" : : "r"(data) : "memory");
#else
    volatile auto* bytes = static_cast<volatile unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i)
        bytes[i] = 0;
#endif
}

} // namespace buildscope
