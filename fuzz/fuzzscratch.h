#pragma once

// A scratch directory for one fuzz process: created on first use under $TMPDIR (or /tmp),
// removed at a normal exit (libFuzzer's own exits skip that: scripts/fuzz points TMPDIR
// at build/fuzz/tmp and removes it). The fuzz targets that read files (the spec's paths, a report directory)
// work inside it so they never depend on, or write to, the tree they are run from.

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace buildscope::fuzz {

inline const std::filesystem::path& scratchDirectory()
{
    static const std::filesystem::path directory = [] {
        const char* base = std::getenv("TMPDIR");
        std::string pattern = std::string(base && *base ? base : "/tmp") + "/buildscope-fuzz-XXXXXX";
        if (!::mkdtemp(pattern.data()))
            std::abort();
        return std::filesystem::path(pattern);
    }();
    // Registered only once `directory` is complete, so the handler runs before its
    // destructor (one registered during its initialization would run after it, on a
    // destroyed path, and leave the directory behind).
    static const bool removedAtExit = [] {
        std::atexit([] {
            std::error_code ignored;
            std::filesystem::remove_all(scratchDirectory(), ignored);
        });
        return true;
    }();
    (void)removedAtExit;
    return directory;
}

} // namespace buildscope::fuzz
