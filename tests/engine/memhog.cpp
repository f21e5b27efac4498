// memhog MIB MILLISECONDS: allocates MIB mebibytes, touches every page so it is resident,
// holds it for MILLISECONDS, then exits 0. Used as a build step whose peak RSS is known.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: memhog MIB MILLISECONDS\n");
        return 2;
    }
    const std::size_t bytes = std::strtoull(argv[1], nullptr, 10) * 1024 * 1024;
    const long milliseconds = std::strtol(argv[2], nullptr, 10);
    auto* block = static_cast<char*>(std::malloc(bytes));
    if (!block)
        return 3;
    std::memset(block, 1, bytes);
    std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
    std::printf("held %zu bytes\n", bytes);
    const int checksum = block[bytes / 2];
    std::free(block);
    return checksum == 1 ? 0 : 4;
}
