#include "history/doubleblob.h"

#include <bit>
#include <cstdint>

namespace buildscope {

QByteArray encodeDoubles(const std::vector<double>& values)
{
    QByteArray blob(static_cast<qsizetype>(values.size() * sizeof(double)), Qt::Uninitialized);
    char* out = blob.data();
    for (double value : values) {
        const auto bits = std::bit_cast<std::uint64_t>(value);
        for (int byte = 0; byte < 8; ++byte)
            *out++ = static_cast<char>((bits >> (8 * byte)) & 0xff);
    }
    return blob;
}

std::optional<std::vector<double>> decodeDoubles(const QByteArray& blob, std::size_t count)
{
    if (static_cast<std::size_t>(blob.size()) != count * sizeof(double))
        return std::nullopt;
    std::vector<double> values;
    values.reserve(count);
    const char* in = blob.constData();
    for (std::size_t i = 0; i < count; ++i) {
        std::uint64_t bits = 0;
        for (int byte = 0; byte < 8; ++byte)
            bits |= static_cast<std::uint64_t>(static_cast<unsigned char>(*in++)) << (8 * byte);
        values.push_back(std::bit_cast<double>(bits));
    }
    return values;
}

} // namespace buildscope
