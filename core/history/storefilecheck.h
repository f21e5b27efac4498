#pragma once

#include <filesystem>
#include <string>

namespace buildscope {

// Checks an existing store file before SQLite touches it, so that a file that is not a
// store, or a store cut short, is refused with a clear message instead of being opened
// and possibly written: not an SQLite file (wrong magic), a header cut short, or a file
// shorter than the page count its header records (the last checkpoint's size; skipped
// while a non-empty -wal file exists, whose pages may legitimately be missing from the
// main file). Throws HistoryError; a missing or empty file passes (it becomes a new store).
void checkStoreFile(const std::filesystem::path& file);

// Why this user cannot record runs in the existing store `file` (empty when it can, or
// when the file does not exist yet): the file, its -wal or -shm, or its folder (where
// SQLite creates them) cannot be written; a read-only file system and a full disk are
// named as such. Checked before SQLite opens the file, so nothing (not even an empty -wal)
// is left behind by a run that cannot be recorded (issue 18.3).
std::string storeWriteProblem(const std::filesystem::path& file);

} // namespace buildscope
