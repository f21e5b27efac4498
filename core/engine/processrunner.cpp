#include "engine/processrunner.h"

#include "io/closeonexec.h"
#include "memory/enginepools.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#if defined(__linux__)
#include <sys/prctl.h>
#endif

extern char** environ;

namespace buildscope {

namespace {

using Clock = std::chrono::steady_clock;

double seconds(const timeval& time)
{
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
}

// Splits a byte stream into lines, carrying a partial line between reads.
class LineSplitter
{
public:
    LineSplitter(LogStream stream, const ProcessRunner::LineHandler& handler)
        : m_stream(stream)
        , m_handler(handler)
    { }

    void feed(const char* data, std::size_t size)
    {
        while (size > 0) {
            const auto* newline = static_cast<const char*>(std::memchr(data, '\n', size));
            const std::size_t take = newline ? static_cast<std::size_t>(newline - data) : size;
            if (newline && m_partial.empty()) {
                emit(std::string_view(data, take)); // whole line in the buffer: no copy
            } else {
                m_partial.append(data, take);
                if (newline) {
                    emit(m_partial);
                    m_partial.clear();
                } else if (m_partial.size() >= BuildLog::kMaxLineBytes) {
                    emit(m_partial); // an endless line arrives in bounded parts
                    m_partial.clear();
                }
            }
            const std::size_t consumed = take + (newline ? 1 : 0);
            data += consumed;
            size -= consumed;
        }
    }

    void finish()
    {
        if (!m_partial.empty())
            emit(m_partial);
        m_partial.clear();
    }

private:
    void emit(std::string_view line)
    {
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (m_handler)
            m_handler(m_stream, line);
    }

    LogStream m_stream;
    const ProcessRunner::LineHandler& m_handler;
    std::string m_partial;
};

struct Pipe
{
    int read = -1;
    int write = -1;
    bool open()
    {
        int fds[2];
        if (io::openPipe(fds) != 0)
            return false;
        read = fds[0];
        write = fds[1];
        return true;
    }
};

void closeFd(int& fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

// Reaps every remaining member of the group that is our child (with a subreaper,
// orphaned grandchildren are). Gives killed members up to a second to die.
void reapGroup(pid_t group)
{
    const auto deadline = Clock::now() + std::chrono::seconds(1);
    for (;;) {
        const pid_t reaped = ::waitpid(-group, nullptr, WNOHANG);
        if (reaped > 0)
            continue;
        if (reaped < 0 && errno == EINTR)
            continue;
        if (reaped < 0 || Clock::now() >= deadline)
            return; // ECHILD: none left that we can reap
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

} // namespace

ProcessOutcome ProcessRunner::run(const ProcessSpec& spec, const LineHandler& onLine, const std::atomic<bool>& cancel,
    const StartedHandler& onStarted)
{
    ProcessOutcome outcome;
    if (spec.argv.empty()) {
        outcome.error = "empty command line";
        return outcome;
    }
    Pipe out;
    Pipe err;
    if (!out.open() || !err.open()) {
        outcome.error = std::string("cannot create pipes: ") + std::strerror(errno);
        closeFd(out.read);
        closeFd(out.write);
        return outcome;
    }

    ProcessLedger::Options options;
    options.trace = spec.traceProcesses;
    options.origin = spec.clockOrigin.value_or(Clock::now());
    options.live = spec.liveProcesses;
    options.onRecord = spec.onRecord;
    ProcessLedger ledger(std::move(options));
    ProcessLaunch launch;
    launch.argv = spec.argv;
    launch.workingDirectory = spec.workingDirectory;
    launch.environment = spec.environment;
    launch.stdinFd = spec.stdinFd;
    launch.stdoutFd = out.write;
    launch.stderrFd = err.write;
    const ProcessLedger::Started started = ledger.start(launch);
    closeFd(out.write);
    closeFd(err.write);
    if (started.pid <= 0) {
        closeFd(out.read);
        closeFd(err.read);
        ledger.finish();
        outcome.error = started.error;
        return outcome;
    }
    const pid_t pid = started.pid;
    if (onStarted)
        onStarted(pid);

    LineSplitter outLines(LogStream::Stdout, onLine);
    LineSplitter errLines(LogStream::Stderr, onLine);
    BufferLease buffer = EnginePools::instance().io().acquire(32 * 1024);

    enum class Stop
    {
        None,
        Terminated,
        Killed
    };
    Stop stop = Stop::None;
    ProcessOutcome::End stopReason = ProcessOutcome::End::Exited;
    Clock::time_point killAt {};
    std::optional<Clock::time_point> drainUntil; // set once the child has exited
    const Clock::time_point deadline = spec.timeout ? Clock::now() + *spec.timeout : Clock::time_point::max();

    for (;;) {
        const bool pipesOpen = out.read >= 0 || err.read >= 0;
        if (!pipesOpen) {
            // Output closed (or never used) while the child runs: wait for it, still
            // watching the clock and the cancel flag.
            if (ledger.waitForRootExit(std::chrono::milliseconds(50)))
                break;
        } else {
            pollfd fds[2];
            nfds_t count = 0;
            for (int fd : {out.read, err.read}) {
                if (fd >= 0)
                    fds[count++] = {fd, POLLIN, 0};
            }
            const int ready = ::poll(fds, count, 50);
            if (ready < 0 && errno != EINTR) {
                closeFd(out.read); // cannot wait on them: stop reading, keep waiting for the child
                closeFd(err.read);
            }
            for (nfds_t i = 0; i < count && ready > 0; ++i) {
                if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                    continue;
                const ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
                if (n < 0 && (errno == EINTR || errno == EAGAIN))
                    continue;
                const bool isOut = fds[i].fd == out.read;
                if (n <= 0) {
                    closeFd(isOut ? out.read : err.read);
                    continue;
                }
                (isOut ? outLines : errLines)
                    .feed(reinterpret_cast<const char*>(buffer.data()), static_cast<std::size_t>(n));
            }
        }

        const auto now = Clock::now();
        if (stop == Stop::None) {
            if (cancel.load(std::memory_order_relaxed))
                stopReason = ProcessOutcome::End::Cancelled;
            else if (now >= deadline)
                stopReason = ProcessOutcome::End::TimedOut;
            if (stopReason != ProcessOutcome::End::Exited) {
                ledger.signalTree(SIGTERM);
                stop = Stop::Terminated;
                killAt = now + spec.killGrace;
            }
        } else if (stop == Stop::Terminated && now >= killAt) {
            ledger.signalTree(SIGKILL);
            stop = Stop::Killed;
        }

        // The child may exit while a descendant keeps the pipes open (a daemon it
        // started): read what is pending for a moment, then stop waiting for EOF.
        if (!drainUntil) {
            if (ledger.rootExited())
                drainUntil = now + std::chrono::milliseconds(500);
        } else if (now >= *drainUntil) {
            break;
        }
    }
    closeFd(out.read);
    closeFd(err.read);
    outLines.finish();
    errLines.finish();

    // Leftovers - background jobs of the group, traced daemons that left it - go now;
    // traced, the ledger reaps every one of them before finish() returns.
    ledger.finish();
    if (!ledger.tracing())
        reapGroup(pid); // untraced: what the subreaper inherited from the group

    const int status = ledger.rootWaitStatus();
    const rusage& usage = ledger.rootUsage();
    outcome.userCpuSeconds = seconds(usage.ru_utime);
    outcome.systemCpuSeconds = seconds(usage.ru_stime);
    outcome.processes = ledger.takeRecords();
    for (const ProcessRecord& process : outcome.processes)
        outcome.maxRssBytes = std::max(outcome.maxRssBytes, process.peakRssBytes);
    outcome.ledgerNote = ledger.note();
    if (WIFEXITED(status)) {
        outcome.end = ProcessOutcome::End::Exited;
        outcome.exitCode = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        outcome.end = ProcessOutcome::End::Signaled;
        outcome.signal = WTERMSIG(status);
    }
    if (stop != Stop::None) {
        // It ended because we stopped it (whatever status the signal produced).
        outcome.end = stopReason;
        if (WIFSIGNALED(status))
            outcome.signal = WTERMSIG(status);
    }
    return outcome;
}

void ProcessRunner::becomeSubreaper()
{
#if defined(__linux__)
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
#endif
}

std::string ProcessRunner::findInPath(std::string_view program)
{
    if (program.find('/') != std::string_view::npos)
        return ::access(std::string(program).c_str(), X_OK) == 0 ? std::string(program) : std::string();
    const char* path = std::getenv("PATH");
    std::string_view directories = path ? path : "/usr/local/bin:/usr/bin:/bin";
    while (!directories.empty()) {
        const std::size_t colon = directories.find(':');
        std::string_view directory = directories.substr(0, colon);
        directories = colon == std::string_view::npos ? std::string_view {} : directories.substr(colon + 1);
        std::string candidate = std::string(directory.empty() ? "." : directory) + "/" + std::string(program);
        struct stat info
        { };
        if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
    }
    return {};
}

std::vector<std::string> currentEnvironment()
{
    std::vector<std::string> result;
    for (char** variable = environ; variable && *variable; ++variable)
        result.emplace_back(*variable);
    return result;
}

} // namespace buildscope
