// XXH3_state_t on the stack (no allocation per run) needs the static-linking-only API.
#define XXH_STATIC_LINKING_ONLY

#include "context/fingerprint.h"

#include "context/contexterror.h"
#include "context/contextwalker.h"
#include "context/fileread.h"
#include "context/walkinternal.h"
#include "memory/bufferpool.h"
#include "memory/enginepools.h"
#include "memory/operationscope.h"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>
#include <xxhash.h>

namespace buildscope {

namespace {

// The framing is part of the digest's meaning: changing it must change "v1".
constexpr std::string_view kDigestPrefix = "xxh3-128:v1:";

class FrameHasher
{
public:
    FrameHasher() { XXH3_128bits_reset(&m_state); }

    void byte(char c) { XXH3_128bits_update(&m_state, &c, 1); }
    void u64(std::uint64_t v)
    {
        std::array<unsigned char, 8> le {};
        for (std::size_t i = 0; i < le.size(); ++i)
            le[i] = static_cast<unsigned char>(v >> (8 * i));
        XXH3_128bits_update(&m_state, le.data(), le.size());
    }
    void bytes(std::string_view s)
    {
        u64(s.size());
        XXH3_128bits_update(&m_state, s.data(), s.size());
    }
    void digest(const XXH128_hash_t& h)
    {
        XXH128_canonical_t canonical;
        XXH128_canonicalFromHash(&canonical, h);
        XXH3_128bits_update(&m_state, canonical.digest, sizeof canonical.digest);
    }
    XXH128_hash_t finish() const { return XXH3_128bits_digest(&m_state); }

private:
    XXH3_state_t m_state;
};

std::string formatDigest(const XXH128_hash_t& h)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(kDigestPrefix);
    for (const std::uint64_t half : {h.high64, h.low64}) {
        for (int shift = 60; shift >= 0; shift -= 4)
            out += kHex[(half >> shift) & 0xFu];
    }
    return out;
}

// Thrown into the walk when hashing has failed; the hashing error is what is reported.
struct WalkStopped
{ };

struct Item
{
    ContextEntry entry;
    XXH128_hash_t digest {}; // files
};

// Items in blocks that never move: hashing threads hold pointers to items while the
// walk appends more. One allocation per 256 entries (a std::deque of Items would make
// one per 4).
class ItemStore
{
public:
    Item& append(ContextEntry&& entry)
    {
        if (m_size % kBlock == 0)
            m_blocks.push_back(std::make_unique<Item[]>(kBlock));
        Item& item = m_blocks.back()[m_size % kBlock];
        item.entry = std::move(entry);
        ++m_size;
        return item;
    }
    std::size_t size() const noexcept { return m_size; }
    const Item& operator[](std::size_t i) const noexcept { return m_blocks[i / kBlock][i % kBlock]; }

private:
    static constexpr std::size_t kBlock = 256;
    std::vector<std::unique_ptr<Item[]>> m_blocks;
    std::size_t m_size = 0;
};

// The walk feeds files to the hashing threads as it finds them (the walk runs on the
// calling thread, which hashes too once it is done). Results land in each file's
// Item, and the digest is combined afterwards in sorted order, so neither the thread
// count nor the order files were hashed in can change it.
class HashPipeline final : public detail::WalkSink
{
public:
    HashPipeline(int rootFd, BufferPool& pool, const FingerprintOptions& options)
        : m_rootFd(rootFd)
        , m_pool(pool)
        , m_options(options)
    {
        m_pending.reserve(kBatch);
    }

    void add(ContextEntry&& entry) override
    {
        Item& item = m_items.append(std::move(entry));
        if (item.entry.type != ContextEntry::Type::File)
            return;
        m_pending.push_back(&item);
        // Published in small batches: one lock and at most one wake-up per batch.
        if (m_pending.size() >= kBatch) {
            // A long walk stops early too: cancelled, or a file already failed.
            if (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed))
                throw Cancelled();
            if (m_stop.load(std::memory_order_relaxed))
                throw WalkStopped();
            publish();
        }
    }

    // Called once the walk has ended (or failed): no more work will come.
    void finishWalk()
    {
        publish();
        {
            std::lock_guard lock(m_mutex);
            m_walkDone = true;
        }
        m_ready.notify_all();
    }

    void abort() noexcept
    {
        m_stop.store(true, std::memory_order_relaxed);
        {
            std::lock_guard lock(m_mutex);
            m_walkDone = true;
        }
        m_ready.notify_all();
    }

    void run() noexcept
    {
        BufferLease buffer;
        try {
            buffer = m_pool.acquire();
        } catch (...) {
            recordError(nullptr, std::current_exception());
            return;
        }
        XXH3_state_t state;
        std::uint64_t localBytes = 0;
        ParentDirectory parents(m_rootFd);
        while (Item* item = next()) {
            std::uint64_t read = 0;
            try {
                hashFile(*item, parents, buffer, state, read);
            } catch (const WalkStopped&) {
                break; // another file failed: that failure is the one reported
            } catch (...) {
                recordError(item, std::current_exception());
                break;
            }
            localBytes += read;
            if (m_options.progress) {
                // Serialised, so the callback sees monotonic totals and needs no lock of its own.
                std::lock_guard lock(m_progressMutex);
                m_progressFiles += 1;
                m_progressBytes += read;
                try {
                    m_options.progress(m_progressFiles, m_progressBytes);
                } catch (...) {
                    recordError(item, std::current_exception());
                    break;
                }
            }
        }
        m_bytesRead.fetch_add(localBytes, std::memory_order_relaxed);
    }

    const ItemStore& items() const noexcept { return m_items; }
    std::uint64_t bytesRead() const noexcept { return m_bytesRead.load(std::memory_order_relaxed); }
    std::uint64_t files() const noexcept { return m_published; }

    void rethrowFailure()
    {
        if (m_error)
            std::rethrow_exception(m_error);
        if (m_cancelled.load(std::memory_order_relaxed))
            throw Cancelled();
    }

private:
    static constexpr std::size_t kBatch = 16;

    void publish()
    {
        if (m_pending.empty())
            return;
        bool wake = false;
        {
            std::lock_guard lock(m_mutex);
            m_queue.insert(m_queue.end(), m_pending.begin(), m_pending.end());
            m_published += m_pending.size();
            wake = m_waiting > 0;
        }
        m_pending.clear();
        if (wake)
            m_ready.notify_all();
    }

    Item* next()
    {
        if (m_stop.load(std::memory_order_relaxed))
            return nullptr;
        if (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed)) {
            m_cancelled.store(true, std::memory_order_relaxed);
            m_stop.store(true, std::memory_order_relaxed);
            return nullptr;
        }
        std::unique_lock lock(m_mutex);
        while (m_head == m_queue.size() && !m_walkDone) {
            ++m_waiting;
            m_ready.wait(lock);
            --m_waiting;
        }
        if (m_head == m_queue.size() || m_stop.load(std::memory_order_relaxed))
            return nullptr;
        return m_queue[m_head++];
    }

    void recordError(const Item* item, std::exception_ptr e)
    {
        {
            std::lock_guard lock(m_errorMutex);
            // The failing file first in path order, so the message does not depend on timing.
            if (!m_error || (item && m_errorItem && item->entry.path < m_errorItem->entry.path)) {
                m_error = std::move(e);
                m_errorItem = item;
            }
        }
        m_stop.store(true, std::memory_order_relaxed);
    }

    void hashFile(
        Item& item, ParentDirectory& parents, const BufferLease& buffer, XXH3_state_t& state, std::uint64_t& total)
    {
        std::size_t leaf = 0;
        const int dirFd = parents.fdFor(item.entry.path, &leaf);
        FileReader file(dirFd, item.entry.path.c_str() + leaf, item.entry.path);
        item.entry.size = file.size();
        item.entry.executable = file.executable();
        std::byte* data = buffer.data();
        const std::size_t capacity = buffer.size();
        std::size_t n = file.read(data, capacity);
        // Most context files fit one buffer: one call, no streaming state.
        if (file.atEnd()) {
            total = n;
            item.digest = XXH3_128bits(data, n);
            return;
        }
        XXH3_128bits_reset(&state);
        while (n > 0) {
            XXH3_128bits_update(&state, data, n);
            // Per buffer (64 KiB), not only between files: one huge file must not hold off
            // a cancel, or the end of a fingerprint another file already failed.
            if (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed)) {
                m_cancelled.store(true, std::memory_order_relaxed);
                m_stop.store(true, std::memory_order_relaxed);
                throw WalkStopped();
            }
            if (m_stop.load(std::memory_order_relaxed))
                throw WalkStopped();
            n = file.read(data, capacity);
        }
        total = file.bytesRead();
        item.digest = XXH3_128bits_digest(&state);
    }

    const int m_rootFd;
    BufferPool& m_pool;
    const FingerprintOptions& m_options;

    ItemStore m_items; // appended by the walking thread only
    std::vector<Item*> m_pending; // walking thread only

    std::mutex m_mutex; // guards the queue below
    std::condition_variable m_ready;
    std::vector<Item*> m_queue;
    std::size_t m_head = 0;
    std::size_t m_waiting = 0;
    std::uint64_t m_published = 0;
    bool m_walkDone = false;

    std::atomic<bool> m_stop {false};
    std::atomic<bool> m_cancelled {false};
    std::atomic<std::uint64_t> m_bytesRead {0};

    std::mutex m_errorMutex;
    std::exception_ptr m_error;
    const Item* m_errorItem = nullptr;

    std::mutex m_progressMutex;
    std::uint64_t m_progressFiles = 0;
    std::uint64_t m_progressBytes = 0;
};

unsigned threadCount(const FingerprintOptions& options)
{
    const unsigned threads = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
    return std::max(threads, 1u);
}

} // namespace

Fingerprint fingerprintContext(
    const std::filesystem::path& context, const IgnoreRules& rules, const FingerprintOptions& options)
{
    static const OperationRegistry::Id operation = OperationRegistry::global().intern("fingerprint");
    OperationScope scope(operation, OperationScope::CpuTime::Measure);

    const FileDescriptor root(detail::openContext(context));
    HashPipeline pipeline(
        root.get(), options.readBuffers ? *options.readBuffers : EnginePools::instance().hash(), options);
    {
        // Helpers hash while this thread walks; it joins them when the walk is done. With
        // one thread nothing is started, and the OperationScope's CPU time covers the
        // calling thread's share of the work.
        // (std::jthread would join by itself; libc++ has it only from LLVM 20.)
        std::vector<std::thread> helpers;
        struct JoinAll
        {
            std::vector<std::thread>& threads;
            ~JoinAll()
            {
                for (std::thread& thread : threads)
                    thread.join();
            }
        } joinAll {helpers};
        const unsigned threads = threadCount(options);
        try {
            helpers.reserve(threads - 1);
            for (unsigned i = 1; i < threads; ++i)
                helpers.emplace_back([&pipeline] { pipeline.run(); });
            detail::walkTree(root.get(), rules, detail::FileStat::Defer, pipeline);
        } catch (const WalkStopped&) {
            pipeline.abort(); // rethrowFailure() below reports why
        } catch (...) {
            pipeline.abort();
            throw; // the helpers join on the way out
        }
        pipeline.finishWalk();
        pipeline.run();
    }
    pipeline.rethrowFailure();
    if (options.cancel && options.cancel->load(std::memory_order_relaxed))
        throw Cancelled(); // set after the last file: the result would be stale for the caller anyway

    const ItemStore& items = pipeline.items();
    std::vector<const Item*> sorted;
    sorted.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i)
        sorted.push_back(&items[i]);
    // Full-path byte order, as walkContext() returns.
    std::sort(sorted.begin(), sorted.end(), [](const Item* a, const Item* b) { return a->entry.path < b->entry.path; });

    FrameHasher frames;
    for (const Item* item : sorted) {
        const ContextEntry& entry = item->entry;
        switch (entry.type) {
        case ContextEntry::Type::File:
            frames.byte('f');
            break;
        case ContextEntry::Type::Directory:
            frames.byte('d');
            break;
        case ContextEntry::Type::Symlink:
            frames.byte('l');
            break;
        }
        frames.bytes(entry.path);
        // Only a file's execute bit reaches the tar (directories are always 0755 there).
        const bool executable = entry.type == ContextEntry::Type::File && entry.executable;
        frames.byte(executable ? '\1' : '\0');
        frames.u64(entry.type == ContextEntry::Type::File ? entry.size : 0);
        if (entry.type == ContextEntry::Type::File)
            frames.digest(item->digest);
        else if (entry.type == ContextEntry::Type::Symlink)
            frames.bytes(entry.linkTarget);
    }

    Fingerprint result;
    result.digest = formatDigest(frames.finish());
    result.entries = sorted.size();
    result.files = pipeline.files();
    result.bytes = pipeline.bytesRead();
    return result;
}

std::string digestHex(const std::string& digest)
{
    const std::size_t colon = digest.rfind(':');
    return colon == std::string::npos ? digest : digest.substr(colon + 1);
}

} // namespace buildscope
