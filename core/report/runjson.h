#pragma once

#include "run/runresult.h"

#include <QJsonObject>
#include <string>

namespace buildscope {

// run.json's content as a Qt JSON object, for the core libraries that speak JSON through
// Qt Core (the report files and the live endpoint). The report API itself carries no Qt
// types; this header is the exception, for those libraries only.

QJsonObject runToJson(const RunResult& result);
// Throws ReportError naming `source` and the field at fault.
RunResult runFromJson(const QJsonObject& root, const std::string& source, int* formatVersion = nullptr);

} // namespace buildscope
