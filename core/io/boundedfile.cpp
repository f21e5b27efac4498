#include "io/boundedfile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace buildscope::io {

namespace {

const char* fileType(mode_t mode) noexcept
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a plain file";
}

class Descriptor
{
public:
    explicit Descriptor(int fd) noexcept
        : m_fd(fd)
    { }
    ~Descriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const noexcept { return m_fd; }

private:
    int m_fd;
};

} // namespace

InputFileError::InputFileError(const std::filesystem::path& file, const std::string& reason, int error)
    : std::runtime_error(file.string() + ": " + reason)
    , m_file(file)
    , m_reason(reason)
    , m_error(error)
{ }

std::string describeBytes(std::uint64_t bytes)
{
    if (bytes < 1024)
        return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
    const char* units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = static_cast<double>(bytes) / 1024.0;
    std::size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < std::size(units)) {
        value /= 1024.0;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
    return text;
}

std::string readRegularFile(const std::filesystem::path& file, std::uint64_t maxBytes, std::string_view kind)
{
    const std::string article(kind);
    auto tooLarge = [&](std::uint64_t size, bool atLeast) {
        return InputFileError(file,
            (atLeast ? "more than " : "") + describeBytes(size) + " is too large for " + article + " (at most "
                + describeBytes(maxBytes) + ")");
    };
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
    const Descriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (fd.get() < 0) {
        const int error = errno;
        throw InputFileError(file, std::strerror(error), error);
    }
    struct stat status
    { };
    if (::fstat(fd.get(), &status) != 0) {
        const int error = errno;
        throw InputFileError(file, std::strerror(error), error);
    }
    if (!S_ISREG(status.st_mode))
        throw InputFileError(file, std::string("not a regular file (") + fileType(status.st_mode) + "); " + article
                + " must be a file");
    const auto size = static_cast<std::uint64_t>(status.st_size);
    if (size > maxBytes)
        throw tooLarge(size, false);

    // One spare byte, so the read that finds the end needs no second buffer.
    std::string text(static_cast<std::size_t>(size) + 1, '\0');
    std::size_t used = 0;
    for (;;) {
        if (used == text.size()) {
            // The file grew since fstat (or is one whose size fstat does not know, as in
            // /proc): read on, in steps, up to one byte past the limit.
            if (used > maxBytes)
                throw tooLarge(maxBytes, true);
            text.resize(std::min<std::uint64_t>(maxBytes + 1, std::max<std::uint64_t>(used * 2, 4096)));
        }
        const ssize_t n = ::read(fd.get(), text.data() + used, text.size() - used);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const int error = errno;
            throw InputFileError(file, std::strerror(error), error);
        }
        if (n == 0)
            break;
        used += static_cast<std::size_t>(n);
    }
    if (used > maxBytes)
        throw tooLarge(maxBytes, true);
    text.resize(used);
    return text;
}

} // namespace buildscope::io
