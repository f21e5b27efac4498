// The demo program: runs the template-heavy computation and, with --self-test, checks it
// against the same sum computed with a plain loop.
#include <cstdio>
#include <cstring>
#include <string>

#ifndef NODES
#define NODES 150
#endif

long heavy();

static long expected()
{
    long sum = 0;
    for (long n = 0; n < NODES; ++n) {
        const long key = static_cast<long>(("k" + std::to_string(n)).size());
        const long total = n + key + n + (n % 13 + 1);
        sum += total * n + 1;
    }
    return sum;
}

int main(int argc, char** argv)
{
    const long result = heavy();
    if (argc > 1 && std::strcmp(argv[1], "--self-test") == 0) {
        const long want = expected();
        if (result != want) {
            std::fprintf(stderr, "self-test FAILED: heavy() = %ld, expected %ld\n", result, want);
            return 1;
        }
        std::printf("self-test passed: heavy() = %ld over %d nodes\n", result, NODES);
        return 0;
    }
    std::printf("%ld\n", result);
    return 0;
}
