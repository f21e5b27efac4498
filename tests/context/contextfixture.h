#pragma once

// Fixture trees for the context tests, and running a check as an unprivileged user.

#include <QtTest>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <grp.h>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace buildscope::test {

namespace fs = std::filesystem;

inline QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

inline void writeFile(
    const fs::path& root, const std::string& relative, std::string_view content, bool executable = false)
{
    const fs::path path = root / relative;
    fs::create_directories(path.parent_path());
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        QVERIFY2(out.good(), path.c_str());
    }
    fs::permissions(path, executable ? fs::perms(0755) : fs::perms(0644));
}

inline void makeDir(const fs::path& root, const std::string& relative)
{
    fs::create_directories(root / relative);
}

inline void makeSymlink(const fs::path& root, const std::string& relative, const std::string& target)
{
    const fs::path path = root / relative;
    fs::create_directories(path.parent_path());
    QVERIFY2(::symlink(target.c_str(), path.c_str()) == 0, path.c_str());
}

inline std::string readFile(const fs::path& path)
{
    std::string content;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return content;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0)
            break;
        content.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return content;
}

inline bool runningAsRoot()
{
    return ::geteuid() == 0;
}

// Runs `check` where permission checks apply and returns its result. As root (CI
// containers) permission bits do not stop reads, so the check runs in a forked child
// that first drops to nobody (65534); the fixture's directories must then be
// reachable by others (see makeReachableByOthers). Otherwise it runs in-process.
inline std::string runUnprivileged(const std::function<std::string()>& check)
{
    if (!runningAsRoot())
        return check();
    int fds[2];
    if (::pipe(fds) != 0)
        return "pipe failed";
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0)
        return "fork failed";
    if (pid == 0) {
        ::close(fds[0]);
        std::string out;
        if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) {
            out = "could not drop privileges";
        } else {
            try {
                out = check();
            } catch (const std::exception& e) {
                out = std::string("unexpected exception: ") + e.what();
            }
        }
        const char* p = out.data();
        std::size_t left = out.size();
        while (left > 0) {
            const ssize_t n = ::write(fds[1], p, left);
            if (n <= 0)
                break;
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        ::_exit(0); // no atexit handlers, no Qt teardown, no leak check in the child
    }
    ::close(fds[1]);
    std::string result;
    char buffer[512];
    for (;;) {
        const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
        if (n <= 0)
            break;
        result.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return "child failed";
    return result;
}

struct ToolResult
{
    int exitCode = -1;
    std::string out;
};

// Runs `program` (searched in PATH) with `arguments` and extra environment entries
// ("NAME=value"), capturing stdout; stderr goes to the test's. fork() and execve() directly
// rather than QProcess: ThreadSanitizer does not see Qt's clone()-based spawn and then
// refuses to start threads in the parent.
inline ToolResult runTool(const std::string& program, const std::vector<std::string>& arguments,
    const std::vector<std::string>& environment = {})
{
    ToolResult result;
    std::string path;
    if (const char* dirs = std::getenv("PATH")) {
        std::string_view list(dirs);
        while (!list.empty() && path.empty()) {
            const std::size_t colon = list.find(':');
            const std::string candidate = std::string(list.substr(0, colon)) + "/" + program;
            if (::access(candidate.c_str(), X_OK) == 0)
                path = candidate;
            list = colon == std::string_view::npos ? std::string_view() : list.substr(colon + 1);
        }
    }
    if (path.empty())
        return result;
    // Everything the child needs is built before fork(): it only calls async-signal-safe functions.
    std::vector<std::string> args {program};
    args.insert(args.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (std::string& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e)
        env.emplace_back(*e);
    env.insert(env.end(), environment.begin(), environment.end());
    std::vector<char*> envp;
    for (std::string& e : env)
        envp.push_back(e.data());
    envp.push_back(nullptr);

    int fds[2];
    if (::pipe(fds) != 0)
        return result;
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0)
        return result;
    if (pid == 0) {
        ::dup2(fds[1], 1);
        ::close(fds[0]);
        ::close(fds[1]);
        ::execve(path.c_str(), argv.data(), envp.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
        if (n <= 0)
            break;
        result.out.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

// QTemporaryDir creates 0700 directories; the unprivileged child must reach the fixture.
inline void makeReachableByOthers(const fs::path& dir)
{
    fs::permissions(dir, fs::perms(0755));
}

// A file whose directory lies deeper than PATH_MAX below root (levels x name bytes of
// relative path), made one level at a time with mkdirat/openat as no single path call
// could. Returns its relative path.
inline std::string makeDeepFile(const fs::path& root, int levels, std::size_t nameBytes, std::string_view content)
{
    std::string relative;
    int dir = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    for (int level = 0; level < levels && dir >= 0; ++level) {
        const std::string name = std::string(nameBytes - 3, 'd') + std::to_string(100 + level);
        ::mkdirat(dir, name.c_str(), 0755);
        const int next = ::openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ::close(dir);
        dir = next;
        relative += name + "/";
    }
    if (dir < 0)
        return {};
    const int fd = ::openat(dir, "deep.txt", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        (void)!::write(fd, content.data(), content.size());
        ::close(fd);
    }
    ::close(dir);
    return relative + "deep.txt";
}

// Bytes this process has read with read(2) and friends so far (/proc/self/io "rchar"),
// page cache included: how far into a file a reader got, whatever its speed.
inline std::uint64_t bytesReadByThisProcess()
{
    std::ifstream io("/proc/self/io");
    std::string key;
    std::uint64_t value = 0;
    while (io >> key >> value) {
        if (key == "rchar:")
            return value;
    }
    return 0;
}

// Sets a cancel flag from another thread once the process has read `after` more bytes
// (so the cancel lands in the middle of a large file), and remembers when it did.
class CancelFromAnotherThread
{
public:
    CancelFromAnotherThread(std::atomic<bool>& cancel, std::uint64_t after)
        : m_start(bytesReadByThisProcess())
        , m_thread([this, &cancel, after] {
            while (!m_stop.load() && bytesReadByThisProcess() - m_start < after)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            m_readAtCancel = bytesReadByThisProcess() - m_start;
            m_cancelledAt = std::chrono::steady_clock::now();
            cancel = true;
        })
    { }
    ~CancelFromAnotherThread() { stop(); }
    void stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    std::uint64_t start() const noexcept { return m_start; }
    std::uint64_t readAtCancel() const noexcept { return m_readAtCancel; }
    std::chrono::steady_clock::time_point cancelledAt() const noexcept { return m_cancelledAt; }

private:
    const std::uint64_t m_start;
    std::atomic<bool> m_stop {false};
    std::uint64_t m_readAtCancel = 0;
    std::chrono::steady_clock::time_point m_cancelledAt;
    std::thread m_thread; // last: started once the members above exist
};

} // namespace buildscope::test
