#pragma once

#include "context/ignorerules.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace buildscope {

class BufferPool;

struct FingerprintOptions
{
    unsigned threads = 0; // 0: hardware concurrency
    BufferPool* readBuffers = nullptr; // nullptr: EnginePools::instance().hash()
    const std::atomic<bool>* cancel = nullptr; // set -> throws Cancelled
    // Called from worker threads as files complete (files done, bytes done so far).
    std::function<void(std::uint64_t files, std::uint64_t bytes)> progress;
};

struct Fingerprint
{
    std::string digest; // "xxh3-128:v1:<32 lowercase hex>"
    std::uint64_t entries = 0; // files, directories and symlinks hashed
    std::uint64_t files = 0;
    std::uint64_t bytes = 0; // file content bytes read
};

// XXH3-128 digest of a context: entries in walkContext() order, each framed by type,
// relative path, executable bit and size, then content (files) or link target
// (symlinks). Files are hashed in parallel by a bounded worker pool reading through
// pooled buffers (large files streamed); the digest does not depend on the thread
// count, the walk order of the file system or mtimes. Throws ContextError naming an
// unreadable file.
Fingerprint fingerprintContext(const std::filesystem::path& context, const IgnoreRules& rules,
    const FingerprintOptions& options = {});

// The hex part of a digest string ("xxh3-128:v1:abcd..." -> "abcd...").
std::string digestHex(const std::string& digest);

} // namespace buildscope
