// libFuzzer target: the spec loader (parseSpec: YAML, validation, presets, ${VAR} checks,
// and the ignore file it names). Any exception but SpecError, or a sanitizer report, is a
// finding: the loader must turn every input into a spec or a located message.
#include "fuzzscratch.h"
#include "spec/specloader.h"

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string_view>

namespace {

// A context for the specs to point at: a Dockerfile, an ignore file with a good and a
// bad pattern file, a subdirectory.
const std::filesystem::path& baseDirectory()
{
    static const std::filesystem::path base = [] {
        const std::filesystem::path directory = buildscope::fuzz::scratchDirectory() / "spec";
        std::filesystem::create_directories(directory / "src");
        std::ofstream(directory / "Dockerfile") << "FROM scratch\n";
        std::ofstream(directory / ".dockerignore") << "build\n*.o\n!keep.o\n";
        std::ofstream(directory / "bad.ignore") << "ok\n[unclosed\n";
        std::ofstream(directory / "src" / "main.c") << "int main(void) { return 0; }\n";
        return directory;
    }();
    return base;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view yaml(reinterpret_cast<const char*>(data), size);
    try {
        const buildscope::BuildSpec spec = buildscope::parseSpec(yaml, "fuzz.yaml", baseDirectory());
        (void)spec;
    } catch (const buildscope::SpecError&) { }
    return 0;
}
