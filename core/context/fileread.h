#pragma once

// Internal to BuildScope::Context: reading context files for the fingerprint and the tar.

#include "context/contexterror.h"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace buildscope {

// Closes a file descriptor on destruction.
class FileDescriptor
{
public:
    explicit FileDescriptor(int fd) noexcept
        : m_fd(fd)
    { }
    ~FileDescriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const noexcept { return m_fd; }
    // Closes now, reporting close()'s error (a late write error on some file systems).
    int close() noexcept
    {
        const int rc = m_fd >= 0 ? ::close(m_fd) : 0;
        m_fd = -1;
        return rc;
    }

private:
    int m_fd;
};

// Opens context files through their parent directory's descriptor, kept open while
// consecutive files share it (walk order groups siblings): one path lookup per directory
// rather than one per path component of every file.
class ParentDirectory
{
public:
    explicit ParentDirectory(int rootFd) noexcept
        : m_root(rootFd)
    { }
    ~ParentDirectory()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    ParentDirectory(const ParentDirectory&) = delete;
    ParentDirectory& operator=(const ParentDirectory&) = delete;

    // The descriptor to open relativePath's last component (relativePath.c_str() + *leaf) from.
    int fdFor(const std::string& relativePath, std::size_t* leaf)
    {
        const std::size_t slash = relativePath.rfind('/');
        if (slash == std::string::npos) {
            *leaf = 0;
            return m_root;
        }
        *leaf = slash + 1;
        const std::string_view dir(relativePath.data(), slash);
        if (m_fd >= 0 && dir == m_dir)
            return m_fd;
        if (m_fd >= 0)
            ::close(m_fd);
        m_dir.assign(dir);
        // O_PATH needs no read permission: a base for openat(), nothing else.
#ifdef O_PATH
        constexpr int flags = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
#else
        constexpr int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
#endif
        m_fd = ::openat(m_root, m_dir.c_str(), flags);
        // A directory deeper than PATH_MAX (4096 bytes of relative path) exists: the walk
        // reached it one level at a time, and so can this.
        if (m_fd < 0 && errno == ENAMETOOLONG)
            m_fd = openByComponents(m_dir, flags);
        if (m_fd < 0) {
            const int error = errno;
            m_dir.clear();
            throw ContextError(relativePath, std::strerror(error));
        }
        return m_fd;
    }

private:
    // openat() one path component at a time, from the root: no component is longer than
    // NAME_MAX, so no call sees a path longer than PATH_MAX. -1 with errno on failure.
    int openByComponents(std::string_view dir, int flags) const
    {
        int current = m_root;
        std::size_t start = 0;
        while (start <= dir.size()) {
            const std::size_t slash = std::min(dir.find('/', start), dir.size());
            const std::string component(dir.substr(start, slash - start));
            const int next = ::openat(current, component.c_str(), flags);
            const int error = errno;
            if (current != m_root)
                ::close(current);
            if (next < 0) {
                errno = error;
                return -1;
            }
            current = next;
            start = slash + 1;
        }
        return current;
    }

    int m_root;
    std::string m_dir;
    int m_fd = -1;
};

// Reads one regular file of the context, relative to the context's directory fd. Its
// size and mode come from fstat() of the open descriptor; a file whose size changes
// while it is read is an error: a context that changes while it is hashed or archived
// must fail, not yield a digest or a tar of neither version.
class FileReader
{
public:
    // `name` is relative to dirFd (see ParentDirectory); relativePath names the file in errors.
    FileReader(int dirFd, const char* name, const std::string& relativePath)
        : m_path(relativePath)
        // O_NOFOLLOW: a file replaced by a symlink since the walk is refused, not followed.
        , m_fd(::openat(dirFd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW))
    {
        if (m_fd.get() < 0) {
            if (errno == ELOOP)
                throw ContextError(m_path, "changed while being read (now a symbolic link)");
            throw ContextError(m_path, std::strerror(errno));
        }
        struct stat st
        { };
        if (::fstat(m_fd.get(), &st) != 0)
            throw ContextError(m_path, std::strerror(errno));
        if (!S_ISREG(st.st_mode))
            throw ContextError(m_path, "changed while being read (no longer a regular file)");
        m_size = static_cast<std::uint64_t>(st.st_size);
        m_executable = (st.st_mode & S_IXUSR) != 0;
#ifdef POSIX_FADV_SEQUENTIAL
        // Larger read-ahead for big files; not worth a system call for small ones.
        if (m_size > 1024 * 1024)
            ::posix_fadvise(m_fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    }

    std::uint64_t size() const noexcept
    {
        return m_size;
    }
    bool executable() const noexcept
    {
        return m_executable;
    }

    // Up to `capacity` bytes into `data`; 0 at the end of the file.
    std::size_t read(std::byte* data, std::size_t capacity)
    {
        if (m_eof)
            return 0;
        ssize_t n = 0;
        do {
            n = ::read(m_fd.get(), data, capacity);
        } while (n < 0 && errno == EINTR);
        if (n < 0)
            throw ContextError(m_path, std::strerror(errno));
        const auto got = static_cast<std::size_t>(n);
        m_total += got;
        if (m_total > m_size)
            changedSize();
        if (got == 0) {
            if (m_total != m_size)
                changedSize();
            m_eof = true;
        } else if (got < capacity && m_total == m_size) {
            // A short read of a regular file is its end: saves the read() that returns 0.
            m_eof = true;
        }
        return got;
    }

    bool atEnd() const noexcept
    {
        return m_eof;
    }
    std::uint64_t bytesRead() const noexcept
    {
        return m_total;
    }

private:
    [[noreturn]] void changedSize() const
    {
        throw ContextError(
            m_path, "file changed size while being read (" + std::to_string(m_size) + " bytes expected)");
    }

    std::string m_path;
    FileDescriptor m_fd;
    std::uint64_t m_size = 0;
    std::uint64_t m_total = 0;
    bool m_executable = false;
    bool m_eof = false;
};

} // namespace buildscope
