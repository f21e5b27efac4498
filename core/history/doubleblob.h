#pragma once

#include <QByteArray>
#include <optional>
#include <vector>

namespace buildscope {

// A row of sample values as a BLOB of little-endian IEEE 754 doubles: exact (NaN, "no
// value", included, which an SQL REAL column would turn into NULL), compact, and readable
// on any host whatever its byte order.
QByteArray encodeDoubles(const std::vector<double>& values);
// Empty when the BLOB's size is not `count` doubles.
std::optional<std::vector<double>> decodeDoubles(const QByteArray& blob, std::size_t count);

} // namespace buildscope
