// libFuzzer target: the .dockerignore parser and matcher. The input is the ignore file,
// then (after the first NUL byte, if any) one relative path per line to match; a few
// fixed paths are always matched. Rejections (std::invalid_argument) are expected; a
// crash, a sanitizer report or any other exception is a finding.
#include "context/ignorerules.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t nul = input.find('\0');
    const std::string_view rulesText = input.substr(0, nul);
    std::string_view paths = nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1);

    buildscope::IgnoreRules rules;
    try {
        rules = buildscope::IgnoreRules::parse(rulesText);
    } catch (const std::invalid_argument&) {
        return 0;
    }
    auto check = [&](std::string_view path) {
        if (path.empty())
            return;
        const bool ignored = rules.isIgnored(path);
        if (ignored)
            (void)rules.mayReincludeBelow(path);
    };
    for (std::string_view fixed : {"a", "build", "build/x.o", "src/main.c", "vendor/a/keep.txt", "a/b/c/d.log",
             "\xc3\xa9t\xc3\xa9/x", ".dockerignore", "Dockerfile"})
        check(fixed);
    while (!paths.empty()) {
        const std::size_t eol = paths.find('\n');
        check(paths.substr(0, eol));
        paths = eol == std::string_view::npos ? std::string_view() : paths.substr(eol + 1);
    }
    return 0;
}
