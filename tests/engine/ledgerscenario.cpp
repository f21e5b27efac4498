// Processes whose shape a shell cannot make, for tst_processledger:
//   ledgerscenario forkmany N          forks N children that exit at once (at most 64 alive), reaps them
//   ledgerscenario threadexec PROGRAM  execs PROGRAM from a second thread (not the thread group leader)
//   ledgerscenario leaderfirst MIB     main thread exits first (pthread_exit); another thread then
//                                      touches MIB mebibytes and exits the process
// Not linked to BuildScope::Options, like memhog: under the sanitizer presets its memory
// must stay what it touches.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <pthread.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace {

int forkMany(long count)
{
    long alive = 0;
    long started = 0;
    while (started < count || alive > 0) {
        if (started < count && alive < 64) {
            const pid_t pid = ::fork();
            if (pid == 0)
                ::_exit(0);
            if (pid < 0) {
                std::perror("fork");
                return 1;
            }
            ++started;
            ++alive;
            continue;
        }
        if (::wait(nullptr) > 0)
            --alive;
    }
    std::printf("forked %ld\n", started);
    return 0;
}

char* const* execArgv = nullptr;

void* touchThenExit(void* argument)
{
    const std::size_t bytes
        = static_cast<std::size_t>(std::strtoul(static_cast<const char*>(argument), nullptr, 10)) * 1024 * 1024;
    // Let the leader's exit go first.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto* block = static_cast<char*>(std::malloc(bytes));
    std::memset(block, 1, bytes);
    std::printf("touched %zu\n", bytes);
    std::fflush(stdout);
    std::exit(block[bytes / 2] == 1 ? 0 : 4);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc >= 3 && std::strcmp(argv[1], "forkmany") == 0)
        return forkMany(std::strtol(argv[2], nullptr, 10));
    if (argc >= 3 && std::strcmp(argv[1], "threadexec") == 0) {
        execArgv = argv + 2;
        std::thread thread([] {
            ::execv(execArgv[0], execArgv);
            std::perror("execv");
            std::_Exit(127);
        });
        thread.join(); // never returns: the exec replaces the whole process
        return 1;
    }
    if (argc >= 3 && std::strcmp(argv[1], "leaderfirst") == 0) {
        pthread_t thread;
        if (pthread_create(&thread, nullptr, touchThenExit, argv[2]) != 0)
            return 1;
        pthread_exit(nullptr);
    }
    std::fprintf(stderr, "usage: ledgerscenario forkmany N | threadexec PROGRAM ARGS... | leaderfirst MIB\n");
    return 2;
}
