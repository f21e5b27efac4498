#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace buildscope::io {

// An input file that cannot be used: missing, unreadable, not a regular file, or larger
// than its kind of file may be. what() is "PATH: reason"; reason() is the part after it.
class InputFileError : public std::runtime_error
{
public:
    InputFileError(const std::filesystem::path& file, const std::string& reason, int error = 0);
    const std::filesystem::path& file() const noexcept { return m_file; }
    const std::string& reason() const noexcept { return m_reason; }
    // The errno behind the failure (ENOENT for a missing file), 0 for the checks above.
    int error() const noexcept { return m_error; }

private:
    std::filesystem::path m_file;
    std::string m_reason;
    int m_error;
};

// Reads a whole input file (a spec, an ignore file, a report) of at most maxBytes.
// Anything but a regular file is refused without being read: a directory, a FIFO (which
// would block), a device such as /dev/zero (which never ends), a socket; so is a file
// larger than maxBytes (or one that grows past it while being read). `kind` names the
// kind of file, with its article ("a spec", "an ignore file"), in messages: "/x/spec.yaml: not a regular file (a FIFO); a spec must be a file",
// "/x/big.yaml: 2.0 GiB is too large for a spec (at most 1.0 MiB)". Symbolic links are
// followed; a loop of them is ELOOP ("Too many levels of symbolic links").
std::string readRegularFile(const std::filesystem::path& file, std::uint64_t maxBytes, std::string_view kind);

// "1.0 MiB", "512 bytes": a byte count for messages.
std::string describeBytes(std::uint64_t bytes);

} // namespace buildscope::io
