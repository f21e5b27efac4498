#pragma once

#include <filesystem>

namespace buildscope {

// Checks an existing store file before SQLite touches it, so that a file that is not a
// store, or a store cut short, is refused with a clear message instead of being opened
// and possibly written: not an SQLite file (wrong magic), a header cut short, or a file
// shorter than the page count its header records (the last checkpoint's size; skipped
// while a non-empty -wal file exists, whose pages may legitimately be missing from the
// main file). Throws HistoryError; a missing or empty file passes (it becomes a new store).
void checkStoreFile(const std::filesystem::path& file);

} // namespace buildscope
