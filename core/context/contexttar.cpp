#include "context/contexttar.h"

#include "context/contexterror.h"
#include "context/contextwalker.h"
#include "context/fileread.h"
#include "context/walkinternal.h"
#include "memory/bufferpool.h"
#include "memory/enginepools.h"
#include "memory/operationscope.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __APPLE__
#include <xlocale.h>
#endif

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace buildscope {

namespace {

constexpr int kRecordBytes = 10240; // tar's classic record: 20 blocks of 512 bytes
constexpr int kWriteBlockBytes = 12 * kRecordBytes;
constexpr int kPipeBytes = 1024 * 1024;

struct ArchiveFree
{
    void operator()(archive* a) const noexcept { archive_write_free(a); }
};
struct EntryFree
{
    void operator()(archive_entry* e) const noexcept { archive_entry_free(e); }
};

// libarchive converts pax header names from the thread's locale charset to UTF-8;
// under "C" a non-ASCII name would get hdrcharset=BINARY, under a UTF-8 locale a
// UTF-8 "path" record. Pinning the thread's LC_CTYPE to UTF-8 while a header is
// written keeps the bytes independent of the caller's locale.
class Utf8ThreadLocale
{
public:
    Utf8ThreadLocale() noexcept
    {
        static const locale_t utf8 = [] {
            for (const char* name : {"C.UTF-8", "C.utf8", "en_US.UTF-8", "UTF-8"}) {
                if (const locale_t l = ::newlocale(LC_CTYPE_MASK, name, static_cast<locale_t>(nullptr)))
                    return l; // kept for the life of the process
            }
            return static_cast<locale_t>(nullptr);
        }();
        if (utf8)
            m_previous = ::uselocale(utf8);
    }
    ~Utf8ThreadLocale()
    {
        if (m_previous)
            ::uselocale(m_previous);
    }
    Utf8ThreadLocale(const Utf8ThreadLocale&) = delete;
    Utf8ThreadLocale& operator=(const Utf8ThreadLocale&) = delete;

private:
    locale_t m_previous = static_cast<locale_t>(nullptr);
};

std::int64_t resolveMtime(const TarOptions& options)
{
    if (options.sourceDateEpoch)
        return *options.sourceDateEpoch;
    // reproducible-builds.org: a non-negative decimal integer; anything else is ignored.
    const char* env = std::getenv("SOURCE_DATE_EPOCH");
    if (!env || !*env)
        return 0;
    std::int64_t value = 0;
    const char* end = env + std::strlen(env);
    const auto [ptr, ec] = std::from_chars(env, end, value);
    if (ec != std::errc() || ptr != end || value < 0 || *env == '-' || *env == '+')
        return 0;
    return value;
}

class EntrySink final : public detail::WalkSink
{
public:
    explicit EntrySink(const std::atomic<bool>* cancel) noexcept
        : m_cancel(cancel)
    { }
    void add(ContextEntry&& entry) override
    {
        // A walk of a huge tree must not hold off a cancel either.
        if (m_cancel && entries.size() % 256 == 255 && m_cancel->load(std::memory_order_relaxed))
            throw Cancelled();
        entries.push_back(std::move(entry));
    }
    std::vector<ContextEntry> entries;

private:
    const std::atomic<bool>* m_cancel;
};

// The client side of libarchive: plain write()s to a descriptor, counted. Unlike
// archive_write_open_fd() it behaves the same whatever the descriptor is.
class OutputSink
{
public:
    explicit OutputSink(int fd) noexcept
        : m_fd(fd)
    { }

    std::uint64_t bytes() const noexcept { return m_bytes; }

    // After a failure nothing more reaches the output: archive_write_free() would
    // otherwise close the archive properly, making a truncated tar look complete.
    void abandon() noexcept { m_abandoned = true; }

    static la_ssize_t write(archive* a, void* self, const void* data, size_t size) noexcept
    {
        auto* sink = static_cast<OutputSink*>(self);
        if (sink->m_abandoned) {
            archive_set_error(a, ECANCELED, "abandoned");
            return -1;
        }
        const auto* p = static_cast<const char*>(data);
        std::size_t left = size;
        while (left > 0) {
            const ssize_t n = ::write(sink->m_fd, p, left);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                archive_set_error(a, errno, "%s", std::strerror(errno));
                return -1;
            }
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        sink->m_bytes += size;
        return static_cast<la_ssize_t>(size);
    }

private:
    int m_fd;
    std::uint64_t m_bytes = 0;
    bool m_abandoned = false;
};

// One read of a context file: its first chunk also carries what the header needs.
struct Chunk
{
    BufferLease lease;
    std::size_t bytes = 0;
    std::size_t entry = 0; // index into the sorted entries
    bool last = false;
    std::uint64_t fileSize = 0;
    bool executable = false;
    std::exception_ptr error; // set instead of data when the file cannot be read
};

// Reads the files of a tar, in archive order, through a ring of pooled buffers. With
// enough files a reader thread fills the ring while the writing thread archives, so
// the open/fstat/read of the next files overlap libarchive and the output; with few
// the writing thread reads each chunk itself. Errors travel in the ring and surface
// at the file they belong to.
//
// Counters are atomics; a side that has caught up sleeps on a condition variable until
// half the ring is ready (or free) again, so small files cost no wake-up each.
class FileFeed
{
public:
    // 32 x 64 KiB (2 MiB) in flight: with 16 the writer still waited for the reader
    // about once per 8 small files (futex round trips), with 32 the two run side by side.
    static constexpr std::size_t kRing = 32;
    static constexpr std::uint64_t kWakeBatch = kRing / 2;
    static constexpr std::size_t kThreadedFromFiles = 16;

    FileFeed(int rootFd, const std::vector<ContextEntry>& entries, BufferPool& pool)
        : m_rootFd(rootFd)
        , m_entries(entries)
    {
        for (std::size_t i = 0; i < entries.size(); ++i) {
            if (entries[i].type == ContextEntry::Type::File)
                m_files.push_back(i);
        }
        const std::size_t slots = m_files.size() >= kThreadedFromFiles ? kRing : 1;
        m_ring.resize(slots);
        for (Chunk& chunk : m_ring)
            chunk.lease = pool.acquire();
        if (slots > 1)
            m_reader = std::thread([this] { readAhead(); });
    }

    ~FileFeed()
    {
        if (m_reader.joinable()) {
            {
                std::lock_guard lock(m_mutex);
                m_stop = true;
            }
            m_readerWake.notify_one();
            m_reader.join();
        }
    }

    FileFeed(const FileFeed&) = delete;
    FileFeed& operator=(const FileFeed&) = delete;

    // The next chunk, in file order; rethrows a read error of its file.
    const Chunk& next()
    {
        Chunk& chunk = m_ring[m_taken % m_ring.size()];
        if (!m_reader.joinable()) {
            fill(chunk, m_syncReader, m_syncFile);
        } else if (m_produced.load() <= m_taken) {
            std::unique_lock lock(m_mutex);
            m_writerWant.store(m_taken + kWakeBatch);
            m_writerWaiting.store(true);
            m_writerWake.wait(lock, [&] {
                const std::uint64_t produced = m_produced.load();
                return produced >= m_taken + kWakeBatch || (produced > m_taken && m_readerDone.load());
            });
            m_writerWaiting.store(false);
        }
        if (chunk.error)
            std::rethrow_exception(chunk.error);
        return chunk;
    }

    // Hands the chunk returned by next() back to the ring.
    void release()
    {
        ++m_taken;
        if (!m_reader.joinable())
            return;
        m_consumed.store(m_taken);
        if (m_readerWaiting.load() && m_taken >= m_readerWant.load())
            wake(m_readerWake);
    }

private:
    // The sleeper holds the mutex from announcing itself until it waits: taking it here
    // makes sure the notification finds it waiting.
    void wake(std::condition_variable& sleeper)
    {
        {
            std::lock_guard lock(m_mutex);
        }
        sleeper.notify_one();
    }

    // Fills `chunk` from the file m_files[file], opened on its first chunk; moves `file`
    // on after the last one.
    void fill(Chunk& chunk, std::optional<FileReader>& reader, std::size_t& file)
    {
        chunk.error = nullptr;
        chunk.entry = m_files[file];
        try {
            const std::string& path = m_entries[chunk.entry].path;
            if (!reader) {
                std::size_t leaf = 0;
                const int dirFd = m_parents.fdFor(path, &leaf);
                reader.emplace(dirFd, path.c_str() + leaf, path);
            }
            chunk.bytes = reader->read(chunk.lease.data(), chunk.lease.size());
            chunk.last = reader->atEnd();
            chunk.fileSize = reader->size();
            chunk.executable = reader->executable();
        } catch (...) {
            chunk.error = std::current_exception();
            chunk.last = true;
        }
        if (chunk.last) {
            reader.reset();
            ++file;
        }
    }

    void readAhead() noexcept
    {
        std::optional<FileReader> reader;
        std::size_t file = 0;
        std::uint64_t produced = 0;
        while (file < m_files.size()) {
            if (produced - m_consumed.load() == m_ring.size()) {
                std::unique_lock lock(m_mutex);
                m_readerWant.store(produced - m_ring.size() + kWakeBatch);
                m_readerWaiting.store(true);
                m_readerWake.wait(lock, [&] { return m_stop || m_consumed.load() >= m_readerWant.load(); });
                m_readerWaiting.store(false);
                if (m_stop)
                    return;
            }
            Chunk& chunk = m_ring[produced % m_ring.size()];
            fill(chunk, reader, file);
            const bool failed = chunk.error != nullptr;
            const bool done = failed || file == m_files.size();
            if (done)
                m_readerDone.store(true);
            // Sequentially consistent with the writer's store of m_writerWaiting and its
            // load of m_produced: one side sees the other, so no wake-up is lost.
            m_produced.store(++produced);
            if (m_writerWaiting.load() && (done || produced >= m_writerWant.load()))
                wake(m_writerWake);
            if (failed)
                return; // the writer stops at this file
        }
    }

    const int m_rootFd;
    const std::vector<ContextEntry>& m_entries;
    std::vector<std::size_t> m_files; // indexes of the regular files, in order
    std::vector<Chunk> m_ring;
    ParentDirectory m_parents {m_rootFd}; // used by whichever thread reads

    std::thread m_reader;
    std::atomic<std::uint64_t> m_produced {0};
    std::atomic<std::uint64_t> m_consumed {0};
    std::atomic<bool> m_readerDone {false};
    std::uint64_t m_taken = 0; // writing thread only

    std::mutex m_mutex; // only for sleeping and m_stop
    std::condition_variable m_writerWake;
    std::condition_variable m_readerWake;
    std::atomic<bool> m_writerWaiting {false};
    std::atomic<std::uint64_t> m_writerWant {0};
    std::atomic<bool> m_readerWaiting {false};
    std::atomic<std::uint64_t> m_readerWant {0};
    bool m_stop = false;

    // Without a reader thread.
    std::optional<FileReader> m_syncReader;
    std::size_t m_syncFile = 0;
};

std::string describeFd(int fd)
{
    return "<fd " + std::to_string(fd) + ">";
}

TarResult writeTar(const std::filesystem::path& context, const IgnoreRules& rules, int outputFd,
    const std::string& outputName, const std::vector<std::string>& excluded, const TarOptions& options)
{
    const FileDescriptor root(detail::openContext(context));
    // Files are stat()ed through their open descriptor below, where the header needs them.
    EntrySink walked(options.cancel);
    detail::walkTree(root.get(), rules, detail::FileStat::Defer, walked);
    std::vector<ContextEntry>& entries = walked.entries;
    if (!excluded.empty()) {
        std::erase_if(entries, [&](const ContextEntry& e) {
            return std::find(excluded.begin(), excluded.end(), e.path) != excluded.end();
        });
    }
    std::sort(
        entries.begin(), entries.end(), [](const ContextEntry& x, const ContextEntry& y) { return x.path < y.path; });

    BufferPool& pool = options.readBuffers ? *options.readBuffers : EnginePools::instance().tar();
    const std::int64_t mtime = resolveMtime(options);

    // Declared before the archive, which writes into it until archive_write_free().
    OutputSink sink(outputFd);
    const std::unique_ptr<archive, ArchiveFree> a(archive_write_new());
    const std::unique_ptr<archive_entry, EntryFree> entry(archive_entry_new());
    if (!a || !entry)
        throw std::bad_alloc();
    const auto fail = [&](const std::string& name) {
        const char* why = archive_error_string(a.get());
        throw ContextError(name, why ? why : "libarchive error");
    };
    if (archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK)
        fail(outputName);
    // Written in 120 KiB blocks, the end padded to a multiple of 10240 bytes: the same
    // bytes as GNU tar's default 10 KiB records (120 KiB is twelve of them) in a twelfth
    // of the write() calls, which matters most when a pipe reader wakes for each one.
    // Set explicitly: archive_write_open_fd() would pad for pipes but not for regular
    // files, two byte streams for one input.
    if (archive_write_set_bytes_per_block(a.get(), kWriteBlockBytes) != ARCHIVE_OK
        || archive_write_set_bytes_in_last_block(a.get(), kRecordBytes) != ARCHIVE_OK)
        fail(outputName);
#ifdef F_SETPIPE_SZ
    // A pipe (`buildscope tar -o - | docker build -`) holds 64 KiB by default, so writer
    // and reader take turns; a larger one lets them run side by side. Best effort: the
    // size is capped by /proc/sys/fs/pipe-max-size, and failure changes nothing else.
    struct stat outputStat
    { };
    if (::fstat(outputFd, &outputStat) == 0 && S_ISFIFO(outputStat.st_mode)
        && ::fcntl(outputFd, F_GETPIPE_SZ) < kPipeBytes)
        ::fcntl(outputFd, F_SETPIPE_SZ, kPipeBytes);
#endif
    if (archive_write_open2(a.get(), &sink, nullptr, OutputSink::write, nullptr, nullptr) != ARCHIVE_OK)
        fail(outputName);
    // Runs before the archive is freed: a tar that failed stops where it failed.
    struct AbandonUnlessFinished
    {
        OutputSink& sink;
        bool finished = false;
        ~AbandonUnlessFinished()
        {
            if (!finished)
                sink.abandon();
        }
    } guard {sink};

    FileFeed feed(root.get(), entries, pool);
    TarResult result;
    for (std::size_t index = 0; index < entries.size(); ++index) {
        const ContextEntry& e = entries[index];
        if (options.cancel && options.cancel->load(std::memory_order_relaxed))
            throw Cancelled();
        // A file's first chunk is read before its header is written: an unreadable file
        // fails the tar without a header that promises data, and the header gets the
        // size and mode of the file actually read.
        const Chunk* chunk = e.type == ContextEntry::Type::File ? &feed.next() : nullptr;
        archive_entry_clear(entry.get());
        archive_entry_set_pathname(entry.get(), e.path.c_str());
        // uid/gid 0 and no user/group names; atime/ctime stay unset (not stored).
        archive_entry_set_uid(entry.get(), 0);
        archive_entry_set_gid(entry.get(), 0);
        archive_entry_set_mtime(entry.get(), static_cast<time_t>(mtime), 0);
        switch (e.type) {
        case ContextEntry::Type::File:
            archive_entry_set_mode(entry.get(), AE_IFREG | (chunk->executable ? 0755 : 0644));
            archive_entry_set_size(entry.get(), static_cast<la_int64_t>(chunk->fileSize));
            break;
        case ContextEntry::Type::Directory:
            archive_entry_set_mode(entry.get(), AE_IFDIR | 0755);
            break;
        case ContextEntry::Type::Symlink:
            // A link's own mode means nothing on extraction; 0777 is what lstat reports.
            archive_entry_set_mode(entry.get(), AE_IFLNK | 0777);
            archive_entry_set_symlink(entry.get(), e.linkTarget.c_str());
            break;
        }
        int headerStatus = ARCHIVE_OK;
        {
            // Only around the header: the caller's locale is back for progress callbacks.
            const Utf8ThreadLocale utf8;
            headerStatus = archive_write_header(a.get(), entry.get());
        }
        // ARCHIVE_WARN: e.g. a name that is not UTF-8, stored as bytes (hdrcharset=BINARY).
        if (headerStatus < ARCHIVE_WARN)
            fail(outputName);
        while (chunk) {
            if (chunk->entry != index)
                throw std::logic_error("tar: file chunks out of order");
            if (chunk->bytes > 0) {
                const la_ssize_t written = archive_write_data(a.get(), chunk->lease.data(), chunk->bytes);
                if (written < 0 || static_cast<std::size_t>(written) != chunk->bytes)
                    fail(outputName);
                result.contentBytes += chunk->bytes;
            }
            const bool last = chunk->last;
            feed.release();
            // Per chunk (64 KiB), not only per entry: one huge file must not hold off a cancel.
            if (!last && options.cancel && options.cancel->load(std::memory_order_relaxed))
                throw Cancelled();
            chunk = last ? nullptr : &feed.next();
        }
        if (archive_write_finish_entry(a.get()) < ARCHIVE_WARN)
            fail(outputName);
        ++result.entries;
        if (options.progress)
            options.progress(result.entries, result.contentBytes);
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK)
        fail(outputName);
    guard.finished = true;
    result.archiveBytes = sink.bytes();
    return result;
}

// The output's path relative to the context when it lies inside it ("" otherwise),
// so the tar does not try to contain itself.
std::string pathInsideContext(const std::filesystem::path& context, const std::filesystem::path& file)
{
    std::error_code ec;
    const std::filesystem::path root = std::filesystem::canonical(context, ec);
    if (ec)
        return {};
    const std::filesystem::path target = std::filesystem::weakly_canonical(std::filesystem::absolute(file), ec);
    if (ec)
        return {};
    const std::filesystem::path relative = target.lexically_relative(root);
    if (relative.empty() || *relative.begin() == ".." || relative == ".")
        return {};
    return relative.generic_string();
}

// True when the directory entry `file` names lies inside the context: its directory
// resolved (symbolic links included), its own name not.
bool entryInsideContext(const std::filesystem::path& context, const std::filesystem::path& file)
{
    std::error_code ec;
    const std::filesystem::path root = std::filesystem::canonical(context, ec);
    if (ec)
        return false;
    const std::filesystem::path parent
        = std::filesystem::weakly_canonical(std::filesystem::absolute(file).parent_path(), ec);
    if (ec)
        return false;
    const std::filesystem::path relative = parent.lexically_relative(root);
    return !relative.empty() && *relative.begin() != "..";
}

OperationRegistry::Id tarOperation()
{
    static const OperationRegistry::Id id = OperationRegistry::global().intern("tar");
    return id;
}

} // namespace

TarResult writeContextTar(const std::filesystem::path& context, const IgnoreRules& rules,
    const std::filesystem::path& output, const TarOptions& options)
{
    OperationScope scope(tarOperation(), OperationScope::CpuTime::Measure);

    // A device or a fifo (e.g. /dev/null) is written in place: renaming a temporary file
    // over it would replace the device node.
    struct stat st
    { };
    if (::stat(output.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode))
            throw ContextError(output, std::strerror(EISDIR));
        const int fd = ::open(output.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0)
            throw ContextError(output, std::strerror(errno));
        const FileDescriptor out(fd);
        return writeTar(context, rules, fd, output.generic_string(), {}, options);
    }

    // Written beside the output and renamed into place, so a failed or cancelled tar
    // leaves no partial file (and an existing output untouched).
    std::filesystem::path temporary = output;
    temporary += ".tmp-" + std::to_string(::getpid());
    // Inside the context, an existing entry that is not a tar archive is an input (a source,
    // the spec itself, a symbolic link): replacing it would destroy it and leave it out of
    // the archive. The entry's directory is resolved, its name is not: rename() replaces a
    // symbolic link itself, never its target.
    if (::lstat(output.c_str(), &st) == 0 && entryInsideContext(context, output)
        && (S_ISLNK(st.st_mode) || !isTarArchive(output)))
        throw ContextError(output,
            "is a file of the context and not a tar archive; a tar output never replaces an input "
            "(choose another output)");
    std::vector<std::string> excluded;
    for (const auto& path : {output, temporary}) {
        std::string inside = pathInsideContext(context, path);
        if (!inside.empty())
            excluded.push_back(std::move(inside));
    }

    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        throw ContextError(temporary, std::strerror(errno));
    TarResult result;
    try {
        FileDescriptor out(fd);
        result = writeTar(context, rules, fd, output.generic_string(), excluded, options);
        if (out.close() != 0)
            throw ContextError(output, std::strerror(errno));
        if (::rename(temporary.c_str(), output.c_str()) != 0)
            throw ContextError(output, std::strerror(errno));
    } catch (...) {
        ::unlink(temporary.c_str());
        throw;
    }
    return result;
}

bool isTarArchive(const std::filesystem::path& file)
{
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return false;
    const FileDescriptor in(fd);
    struct stat st
    { };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 512 || st.st_size % 512 != 0)
        return false;
    char block[512];
    if (::pread(fd, block, sizeof block, 0) != static_cast<ssize_t>(sizeof block))
        return false;
    // ustar: "ustar\0" "00" (POSIX, what libarchive writes) or "ustar  \0" (GNU) at 257.
    if (std::memcmp(block + 257, "ustar", 5) == 0)
        return true;
    return std::all_of(std::begin(block), std::end(block), [](char c) { return c == 0; });
}

TarResult writeContextTar(
    const std::filesystem::path& context, const IgnoreRules& rules, int outputFd, const TarOptions& options)
{
    OperationScope scope(tarOperation(), OperationScope::CpuTime::Measure);
    return writeTar(context, rules, outputFd, describeFd(outputFd), {}, options);
}

} // namespace buildscope
