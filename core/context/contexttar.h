#pragma once

#include "context/ignorerules.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>

namespace buildscope {

class BufferPool;

struct TarOptions
{
    // mtime of every entry; nullopt: $SOURCE_DATE_EPOCH if set and valid, else 0.
    std::optional<std::int64_t> sourceDateEpoch;
    BufferPool* readBuffers = nullptr; // nullptr: EnginePools::instance().tar()
    const std::atomic<bool>* cancel = nullptr; // set -> throws Cancelled
    std::function<void(std::uint64_t entries, std::uint64_t bytes)> progress;
};

struct TarResult
{
    std::uint64_t entries = 0;
    std::uint64_t contentBytes = 0; // file data written
    std::uint64_t archiveBytes = 0; // bytes of the tar stream
};

// Writes a reproducible pax tar of the context with libarchive: walkContext() order,
// owner/group 0 with empty names, mode 0755/0644 (directories and executables 0755),
// mtime from the options, symlinks stored as links, long paths via pax headers. Same
// input, same bytes. Throws ContextError naming an unreadable file or a failed write.
TarResult writeContextTar(const std::filesystem::path& context, const IgnoreRules& rules,
    const std::filesystem::path& output, const TarOptions& options = {});
// When the output lies inside the context it is left out of the archive, and it may only
// replace a tar archive (an earlier output): a file of the context that is anything else
// is an input, and the tar is refused with ContextError before a byte is written.
//
// The same into an open file descriptor (e.g. 1 for stdout, or a pipe to docker build).
TarResult writeContextTar(const std::filesystem::path& context, const IgnoreRules& rules, int outputFd,
    const TarOptions& options = {});

// True when `file` is a regular file holding a tar archive: a ustar header first (POSIX or
// GNU magic), or nothing but zero blocks (the tar of an empty context). What a tar output
// inside its context may replace.
bool isTarArchive(const std::filesystem::path& file);

} // namespace buildscope
