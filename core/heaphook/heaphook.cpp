// Replacement global operator new/delete (every form the standard lets a program
// replace) that forward to malloc/free and count into HeapTracker.
//
// Linked only into programs that want heap accounting (the CLI, the dashboard, tests
// and benchmarks that assert on allocations). The bytes recorded are the allocator's
// usable size of the block, known both at allocation and at free, so sized and
// unsized delete agree.
#include "memory/heaptracker.h"
#include "memory/heaptrackerhooks.h"

#include <cstdlib>
#include <new>

#if defined(__APPLE__)
#include <malloc/malloc.h>
#else
#include <malloc.h>
#endif

namespace {

using buildscope::HeapTracker;

std::size_t usableSize(void* block) noexcept
{
#if defined(__APPLE__)
    return malloc_size(block);
#else
    return malloc_usable_size(block);
#endif
}

void* countedMalloc(std::size_t size, std::size_t alignment) noexcept
{
    if (size == 0)
        size = 1;
    void* block = nullptr;
    if (alignment <= __STDCPP_DEFAULT_NEW_ALIGNMENT__) {
        block = std::malloc(size);
    } else if (posix_memalign(&block, alignment, size) != 0) {
        block = nullptr;
    }
    // While paused: no usable-size lookup either, only a relaxed load and a branch.
    if (block && !buildscope::heapdetail::paused())
        buildscope::heapdetail::recordAllocation(usableSize(block));
    return block;
}

// [new.delete.single]: on failure call the new-handler until it throws or there is none.
void* allocateOrThrow(std::size_t size, std::size_t alignment)
{
    for (;;) {
        if (void* block = countedMalloc(size, alignment))
            return block;
        std::new_handler handler = std::get_new_handler();
        if (!handler)
            throw std::bad_alloc();
        handler();
    }
}

void* allocateOrNull(std::size_t size, std::size_t alignment) noexcept
{
    try {
        return allocateOrThrow(size, alignment);
    } catch (...) {
        return nullptr;
    }
}

void release(void* block) noexcept
{
    if (!block)
        return;
    if (!buildscope::heapdetail::paused())
        buildscope::heapdetail::recordFree(usableSize(block));
    std::free(block);
}

// Runs at static initialisation of every program that links the hooks.
[[maybe_unused]] const bool g_markedInstalled = (HeapTracker::markInstalled(), true);

constexpr std::size_t kDefault = __STDCPP_DEFAULT_NEW_ALIGNMENT__;

std::size_t toSize(std::align_val_t alignment) noexcept
{
    return static_cast<std::size_t>(alignment);
}

} // namespace

void* operator new(std::size_t size)
{
    return allocateOrThrow(size, kDefault);
}
void* operator new[](std::size_t size)
{
    return allocateOrThrow(size, kDefault);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept
{
    return allocateOrNull(size, kDefault);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept
{
    return allocateOrNull(size, kDefault);
}
void* operator new(std::size_t size, std::align_val_t alignment)
{
    return allocateOrThrow(size, toSize(alignment));
}
void* operator new[](std::size_t size, std::align_val_t alignment)
{
    return allocateOrThrow(size, toSize(alignment));
}
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept
{
    return allocateOrNull(size, toSize(alignment));
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept
{
    return allocateOrNull(size, toSize(alignment));
}

void operator delete(void* block) noexcept
{
    release(block);
}
void operator delete[](void* block) noexcept
{
    release(block);
}
void operator delete(void* block, std::size_t) noexcept
{
    release(block);
}
void operator delete[](void* block, std::size_t) noexcept
{
    release(block);
}
void operator delete(void* block, const std::nothrow_t&) noexcept
{
    release(block);
}
void operator delete[](void* block, const std::nothrow_t&) noexcept
{
    release(block);
}
void operator delete(void* block, std::align_val_t) noexcept
{
    release(block);
}
void operator delete[](void* block, std::align_val_t) noexcept
{
    release(block);
}
void operator delete(void* block, std::size_t, std::align_val_t) noexcept
{
    release(block);
}
void operator delete[](void* block, std::size_t, std::align_val_t) noexcept
{
    release(block);
}
void operator delete(void* block, std::align_val_t, const std::nothrow_t&) noexcept
{
    release(block);
}
void operator delete[](void* block, std::align_val_t, const std::nothrow_t&) noexcept
{
    release(block);
}
