#include "history/storefilecheck.h"

#include "history/historyerror.h"

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sys/statvfs.h>
#include <unistd.h>

namespace buildscope {

namespace {

// https://www.sqlite.org/fileformat.html#the_database_header
constexpr std::size_t kHeaderBytes = 100;
constexpr char kMagic[] = "SQLite format 3"; // followed by its NUL: 16 bytes

std::uint32_t bigEndian(const std::array<unsigned char, kHeaderBytes>& header, std::size_t offset, std::size_t bytes)
{
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < bytes; ++i)
        value = (value << 8) | header[offset + i];
    return value;
}

} // namespace

void checkStoreFile(const std::filesystem::path& file)
{
    std::error_code error;
    const std::filesystem::file_status status = std::filesystem::status(file, error);
    if (!std::filesystem::exists(status))
        return;
    if (!std::filesystem::is_regular_file(status))
        throw HistoryError(file, "not a regular file");
    const std::uintmax_t size = std::filesystem::file_size(file, error);
    if (error)
        throw HistoryError(file, "cannot read: " + error.message());
    if (size == 0)
        return;

    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw HistoryError(file, std::string("cannot read: ") + std::strerror(errno));
    std::array<unsigned char, kHeaderBytes> header {};
    in.read(reinterpret_cast<char*>(header.data()), static_cast<std::streamsize>(header.size()));
    const auto got = static_cast<std::size_t>(in.gcount());

    const std::string untouched = "; it was left as it is";
    if (got < sizeof kMagic || std::memcmp(header.data(), kMagic, sizeof kMagic) != 0)
        throw HistoryError(file, "not a BuildScope history store (not an SQLite database)" + untouched);
    if (got < kHeaderBytes)
        throw HistoryError(file, "the store is truncated (" + std::to_string(size) + " bytes)" + untouched);

    std::uint32_t pageSize = bigEndian(header, 16, 2);
    if (pageSize == 1)
        pageSize = 65536;
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0)
        throw HistoryError(file, "the store is damaged (invalid page size in its header)" + untouched);

    // The page count is valid only when the change counter matches version-valid-for
    // (always so for files written by SQLite 3.7.0 and later).
    const std::uint32_t pages = bigEndian(header, 28, 4);
    const bool countValid = pages != 0 && bigEndian(header, 24, 4) == bigEndian(header, 92, 4);
    const std::uintmax_t logSize = std::filesystem::file_size(file.string() + "-wal", error);
    const bool hasLog = !error && logSize > 0;
    const std::uintmax_t expected = static_cast<std::uintmax_t>(pages) * pageSize;
    if (countValid && !hasLog && size < expected)
        throw HistoryError(file,
            "the store is truncated (its header records " + std::to_string(expected) + " bytes, the file has "
                + std::to_string(size) + ")" + untouched);
}

std::string storeWriteProblem(const std::filesystem::path& file)
{
    std::error_code error;
    if (!std::filesystem::exists(file, error))
        return {};
    const auto unwritable
        = [](const std::filesystem::path& path) -> int { return ::access(path.c_str(), W_OK) == 0 ? 0 : errno; };
    if (const int problem = unwritable(file))
        return (problem == EROFS ? "the store is on a read-only file system" : "the store is read-only for this user")
            + std::string(" (") + std::strerror(problem) + ")";
    for (const char* suffix : {"-wal", "-shm"}) {
        const std::filesystem::path companion = file.string() + suffix;
        if (!std::filesystem::exists(companion, error))
            continue;
        if (const int problem = unwritable(companion))
            return "the store's " + std::string(suffix + 1) + " file " + companion.string()
                + " cannot be written by this user (" + std::strerror(problem) + ")";
    }
    const std::filesystem::path directory = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
    if (const int problem = unwritable(directory))
        return "the store's folder " + directory.string() + " cannot be written by this user (" + std::strerror(problem)
            + "); SQLite keeps the store's write-ahead log beside it";
    struct statvfs space
    { };
    if (::statvfs(directory.c_str(), &space) == 0 && space.f_bavail == 0)
        return "the disk holding the store is full (no free block left)";
    return {};
}

} // namespace buildscope
