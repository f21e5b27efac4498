#include "context/contextwalker.h"

#include "context/contexterror.h"
#include "context/fileread.h"
#include "context/walkinternal.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace buildscope {

namespace {

// Owns a directory stream (and so its descriptor).
class DirStream
{
public:
    explicit DirStream(DIR* dir) noexcept
        : m_dir(dir)
    { }
    ~DirStream()
    {
        if (m_dir)
            ::closedir(m_dir);
    }
    DirStream(const DirStream&) = delete;
    DirStream& operator=(const DirStream&) = delete;
    DIR* get() const noexcept { return m_dir; }

private:
    DIR* m_dir;
};

std::string joinPath(const std::string& dir, const char* name)
{
    if (dir.empty())
        return name;
    std::string path;
    path.reserve(dir.size() + 1 + std::strlen(name));
    path += dir;
    path += '/';
    path += name;
    return path;
}

std::string readLinkAt(int dirFd, const char* name, std::size_t sizeHint, const std::string& relative)
{
    // st_size of a link is its target's length on Linux but 0 on some file systems
    // (and the link may change under us): grow until the target fits.
    std::string target(std::max<std::size_t>(sizeHint, 128) + 1, '\0');
    for (;;) {
        const ssize_t n = ::readlinkat(dirFd, name, target.data(), target.size());
        if (n < 0)
            throw ContextError(relative, std::strerror(errno));
        if (static_cast<std::size_t>(n) < target.size()) {
            target.resize(static_cast<std::size_t>(n));
            return target;
        }
        target.resize(target.size() * 2);
    }
}

class Walker
{
public:
    Walker(const IgnoreRules& rules, detail::FileStat stat, detail::WalkSink& sink)
        : m_rules(rules)
        , m_stat(stat)
        , m_sink(sink)
    { }

    // Lists the directory open at dirFd (taking ownership of it); `relative` is its
    // path in the context ("" for the root).
    void walk(int dirFd, const std::string& relative)
    {
        DIR* raw = ::fdopendir(dirFd);
        if (!raw) {
            const int error = errno;
            ::close(dirFd);
            throw ContextError(relative.empty() ? "." : relative, std::strerror(error));
        }
        DirStream dir(raw);
        for (;;) {
            errno = 0;
            const dirent* d = ::readdir(dir.get());
            if (!d) {
                if (errno != 0)
                    throw ContextError(relative.empty() ? "." : relative, std::strerror(errno));
                break;
            }
            const char* name = d->d_name;
            if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
                continue;
            visit(dirfd(dir.get()), name, d->d_type, relative); // unqualified: a macro on macOS
        }
    }

private:
    void visit(int dirFd, const char* name, unsigned char dType, const std::string& parent)
    {
        std::string path = joinPath(parent, name);
        const bool ignored = m_rules.isIgnored(path);
        // An ignored non-directory needs no stat at all.
        if (ignored && dType != DT_DIR && dType != DT_UNKNOWN)
            return;

        mode_t mode = 0;
        std::uint64_t size = 0;
        const bool deferred
            = m_stat == detail::FileStat::Defer && (dType == DT_REG || dType == DT_DIR || dType == DT_LNK);
        if (deferred) {
            mode = dType == DT_REG ? S_IFREG : dType == DT_DIR ? S_IFDIR : S_IFLNK;
        } else {
            struct stat st
            { };
            if (::fstatat(dirFd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
                if (errno == ENOENT)
                    return; // removed since readdir(): no longer part of the context
                throw ContextError(path, std::strerror(errno));
            }
            mode = st.st_mode;
            size = static_cast<std::uint64_t>(st.st_size);
        }
        const bool executable = (mode & S_IXUSR) != 0;

        if (S_ISDIR(mode)) {
            if (ignored && !m_rules.mayReincludeBelow(path))
                return;
            // O_NOFOLLOW: a directory swapped for a symlink since readdir() is not followed.
            const int child = ::openat(dirFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (child < 0) {
                if (errno == ENOENT)
                    return;
                throw ContextError(path, std::strerror(errno));
            }
            if (!ignored) {
                ContextEntry entry;
                entry.path = path;
                entry.type = ContextEntry::Type::Directory;
                entry.executable = executable;
                m_sink.add(std::move(entry));
            }
            walk(child, path);
            return;
        }
        if (ignored)
            return;
        if (S_ISREG(mode)) {
            ContextEntry entry;
            entry.path = std::move(path);
            entry.type = ContextEntry::Type::File;
            entry.executable = executable;
            entry.size = size;
            m_sink.add(std::move(entry));
        } else if (S_ISLNK(mode)) {
            ContextEntry entry;
            entry.linkTarget = readLinkAt(dirFd, name, static_cast<std::size_t>(size), path);
            entry.path = std::move(path);
            entry.type = ContextEntry::Type::Symlink;
            entry.executable = executable;
            m_sink.add(std::move(entry));
        }
        // Sockets, fifos and devices are not build inputs: skipped.
    }

    const IgnoreRules& m_rules;
    detail::FileStat m_stat;
    detail::WalkSink& m_sink;
};

class VectorSink final : public detail::WalkSink
{
public:
    void add(ContextEntry&& entry) override { entries.push_back(std::move(entry)); }
    std::vector<ContextEntry> entries;
};

} // namespace

namespace detail {

int openContext(const std::filesystem::path& context)
{
    const int fd = ::open(context.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        throw ContextError(context, std::strerror(errno));
    return fd;
}

void walkTree(int rootFd, const IgnoreRules& rules, FileStat stat, WalkSink& sink)
{
    // A descriptor of its own for the directory stream: rootFd stays the caller's.
    const int fd = ::openat(rootFd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        throw ContextError(".", std::strerror(errno));
    Walker(rules, stat, sink).walk(fd, std::string());
}

} // namespace detail

std::vector<ContextEntry> walkContext(const std::filesystem::path& context, const IgnoreRules& rules)
{
    const FileDescriptor root(detail::openContext(context));
    VectorSink sink;
    detail::walkTree(root.get(), rules, detail::FileStat::Stat, sink);
    // Full-path byte order, not per-directory order: "a-b" sorts before "a/b" on every
    // machine. std::string compares chars as unsigned, i.e. by bytes.
    std::sort(sink.entries.begin(), sink.entries.end(),
        [](const ContextEntry& a, const ContextEntry& b) { return a.path < b.path; });
    return std::move(sink.entries);
}

} // namespace buildscope
