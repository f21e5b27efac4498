// filehog FILE: reads a number of mebibytes from FILE, allocates that much, touches every
// page so it is resident, then exits 0. The bisect tests' build step: what a commit
// writes into FILE is the step's peak RSS, and nothing else varies between commits.
#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: filehog FILE\n");
        return 2;
    }
    std::FILE* file = std::fopen(argv[1], "r");
    if (!file) {
        std::perror(argv[1]);
        return 2;
    }
    unsigned long mebibytes = 0;
    const int read = std::fscanf(file, "%lu", &mebibytes);
    std::fclose(file);
    if (read != 1 || mebibytes > 4096) {
        std::fprintf(stderr, "%s: expected a number of MiB up to 4096\n", argv[1]);
        return 2;
    }
    const std::size_t bytes = mebibytes * 1024 * 1024;
    auto* block = static_cast<char*>(std::malloc(bytes));
    if (!block && bytes > 0)
        return 3;
    std::memset(block, 1, bytes);
    std::printf("held %lu MiB\n", mebibytes);
    const int checksum = bytes > 0 ? block[bytes / 2] : 1;
    std::free(block);
    return checksum == 1 ? 0 : 4;
}
