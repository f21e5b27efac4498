#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace buildscope {

// A file or directory of the build context that cannot be read. what() names the path
// and the reason, e.g. "src/secret.key: Permission denied".
class ContextError : public std::runtime_error
{
public:
    ContextError(std::filesystem::path path, const std::string& reason);
    const std::filesystem::path& path() const noexcept { return m_path; }

private:
    std::filesystem::path m_path;
};

// Thrown when a long operation sees its cancel flag set.
class Cancelled : public std::runtime_error
{
public:
    Cancelled()
        : std::runtime_error("cancelled")
    {
    }
};

} // namespace buildscope
