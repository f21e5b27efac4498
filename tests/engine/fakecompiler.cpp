// fakecompiler -DMIB=N [-DHOLD_MS=M] SOURCE -o OUTPUT: a stand-in for a compiler whose
// memory is known. Touches N mebibytes, holds them M ms (50 by default; long enough
// for the sampled tree peak to see them when a test needs that), writes OUTPUT. Linked or copied under a compiler's
// name (cc1plus), it is keyed as a compile of SOURCE: the compare test makes one "source
// file" 30 % hungrier and expects its key, and no other, to be flagged.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

int main(int argc, char** argv)
{
    std::size_t mebibytes = 0;
    long long holdMs = 50;
    const char* output = nullptr;
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "-DMIB=", 6) == 0)
            mebibytes = std::strtoull(argv[i] + 6, nullptr, 10);
        else if (std::strncmp(argv[i], "-DHOLD_MS=", 10) == 0)
            holdMs = std::strtoll(argv[i] + 10, nullptr, 10);
        else if (std::strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            output = argv[++i];
    }
    const std::size_t bytes = mebibytes * 1024 * 1024;
    auto* block = static_cast<char*>(std::malloc(bytes ? bytes : 1));
    if (!block)
        return 3;
    std::memset(block, 1, bytes);
    std::this_thread::sleep_for(std::chrono::milliseconds(holdMs));
    if (output) {
        std::FILE* file = std::fopen(output, "w");
        if (!file)
            return 4;
        std::fputs("object\n", file);
        std::fclose(file);
    }
    const int checksum = bytes ? block[bytes / 2] : 1;
    std::free(block);
    return checksum == 1 ? 0 : 5;
}
