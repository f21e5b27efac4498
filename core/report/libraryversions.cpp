#include "report/libraryversions.h"

#include <QtGlobal>
#include <archive.h>
#include <spdlog/version.h>
#include <string_view>
#include <xxhash.h>

namespace buildscope {

namespace {
std::string withoutPrefix(const char* text, std::string_view prefix)
{
    std::string_view view(text ? text : "");
    if (view.starts_with(prefix))
        view.remove_prefix(prefix.size());
    return std::string(view);
}
} // namespace

std::string buildscopeVersion()
{
    return BUILDSCOPE_VERSION;
}

std::vector<std::pair<std::string, std::string>> libraryVersions()
{
    const unsigned xxh = XXH_versionNumber();
    std::string compiler;
#if defined(__clang__)
    compiler = "Clang " __clang_version__;
#elif defined(__GNUC__)
    compiler = "GCC " + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "."
        + std::to_string(__GNUC_PATCHLEVEL__);
#endif
    return {
        {"buildscope", BUILDSCOPE_VERSION},
        {"compiler", compiler},
        {"qt", qVersion()},
        {"spdlog",
            std::to_string(SPDLOG_VER_MAJOR) + "." + std::to_string(SPDLOG_VER_MINOR) + "."
                + std::to_string(SPDLOG_VER_PATCH)},
        {"yaml-cpp", BUILDSCOPE_YAML_CPP_VERSION},
        {"libarchive", withoutPrefix(archive_version_string(), "libarchive ")},
        {"xxhash",
            std::to_string(xxh / 10000) + "." + std::to_string(xxh / 100 % 100) + "." + std::to_string(xxh % 100)},
    };
}

} // namespace buildscope
