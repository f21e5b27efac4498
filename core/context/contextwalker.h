#pragma once

#include "context/ignorerules.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace buildscope {

struct ContextEntry
{
    enum class Type { File, Directory, Symlink };

    std::string path; // relative to the context, '/' separators, no leading "./"
    Type type = Type::File;
    bool executable = false; // owner execute bit
    std::uint64_t size = 0; // files only
    std::string linkTarget; // symlinks only, as stored (never followed)
};

// Every entry of a context directory not excluded by `rules`, sorted by path bytes
// (so the order is the same on every machine). Directories are listed (empty ones
// too); symlinks are listed, not followed. Throws ContextError naming the path when a
// directory cannot be listed or the context is missing; other types (sockets, fifos,
// devices) are skipped.
std::vector<ContextEntry> walkContext(const std::filesystem::path& context, const IgnoreRules& rules);

} // namespace buildscope
