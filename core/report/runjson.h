#pragma once

#include "run/runresult.h"

#include <QJsonObject>
#include <QString>
#include <chrono>
#include <optional>
#include <string>

namespace buildscope {

// run.json's content as a Qt JSON object, for the core libraries that speak JSON through
// Qt Core (the report files and the live endpoint). The report API itself carries no Qt
// types; this header is the exception, for those libraries only.

QJsonObject runToJson(const RunResult& result);
// An ISO 8601 time as run.json writes it, or nothing when it is not one or lies outside
// what system_clock's 64-bit nanoseconds hold (years 1678 to 2262).
std::optional<std::chrono::system_clock::time_point> parseIsoTime(const QString& text);

// Throws ReportError naming `source` and the field at fault.
RunResult runFromJson(const QJsonObject& root, const std::string& source, int* formatVersion = nullptr);

} // namespace buildscope
