#pragma once

// Shared by the run history tests: a realistic run and its samples, a canonical dump of
// a RunResult for field-by-field comparison, raw SQL access to a store, and running a
// check in a forked child (as nobody when the tests run as root).

#include "run/buildlog.h"
#include "run/runresult.h"
#include "run/sampletable.h"
#include "spec/buildspec.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariant>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <grp.h>
#include <limits>
#include <sstream>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace buildscope::testing {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

inline std::chrono::system_clock::time_point at(std::int64_t milliseconds)
{
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(milliseconds));
}

inline BuildSpec exampleSpec(const std::string& name = "demo")
{
    BuildSpec spec;
    spec.name = name;
    spec.file = "/work/" + name + "/buildscope.yaml";
    spec.context = "/work/" + name;
    spec.sampleHz = 20;
    return spec;
}

// A run with every kind of step outcome, text that needs CSV quoting, operations with and
// without CPU timing, and a pool that was never used (hit rate n/a).
inline RunResult realisticResult(const std::string& name = "demo")
{
    RunResult result;
    result.specName = name;
    result.specFile = "/work/" + name + "/buildscope.yaml";
    result.context = "/work/" + name;
    result.digest = "xxh3-128:v1:272b47d5242164a09a390d4ea974784f";
    result.imageUri = "localhost:5000/demo/app:272b47d52421";
    result.host = {"builder-1", "Linux 6.1.0-18-amd64 x86_64", 8, 25769803776ULL};
    result.startedAt = at(1'700'000'000'123);
    result.endedAt = result.startedAt + std::chrono::milliseconds(6886);
    result.status = RunStatus::Failed;
    result.failure = "step \"link, final\" failed:\nexit code 2";
    result.sampleHz = 20;
    result.labels = {{"commit", "abc123"}, {"branch", "main"}};

    StepResult checksum;
    checksum.name = "checksum";
    checksum.kind = StepKind::Checksum;
    checksum.status = StepStatus::Succeeded;
    checksum.startSeconds = 0.001203;
    checksum.endSeconds = 0.250411;
    checksum.userCpuSeconds = 0.19;
    checksum.systemCpuSeconds = 0.04;
    checksum.peakRssBytes = 11744051;
    checksum.engineAllocations = 3195;
    checksum.engineAllocatedBytes = 3866624;
    checksum.note = "xxh3-128:v1:272b47d5242164a09a390d4ea974784f";

    StepResult compile;
    compile.name = "compile, \"fast\"\nmode";
    compile.kind = StepKind::Run;
    compile.status = StepStatus::Succeeded;
    compile.startSeconds = 0.250412;
    compile.endSeconds = 4.75;
    compile.exitCode = 0;
    compile.userCpuSeconds = 6.3;
    compile.systemCpuSeconds = 0.31;
    compile.peakRssBytes = 427718656;
    compile.peakIsProcessTree = true;
    compile.engineAllocations = 412;
    compile.engineAllocatedBytes = 90112;

    StepResult link;
    link.name = "link";
    link.kind = StepKind::Run;
    link.status = StepStatus::Failed;
    link.startSeconds = 4.75;
    link.endSeconds = 6.5;
    link.exitCode = 2;
    link.userCpuSeconds = 1.25;
    link.systemCpuSeconds = 0.125;
    link.peakRssBytes = 98765432;
    link.peakIsProcessTree = true;
    link.note = "exit code 2; \"ld\" said: a, b\r\nand more";

    StepResult hang;
    hang.name = "hang";
    hang.kind = StepKind::Run;
    hang.status = StepStatus::TimedOut;
    hang.startSeconds = 6.5;
    hang.endSeconds = 6.8;
    hang.signal = 15;
    hang.peakIsProcessTree = true;
    hang.note = "timed out after 300 ms";

    StepResult image;
    image.name = "image";
    image.kind = StepKind::Container;
    image.status = StepStatus::Skipped;
    image.startSeconds = 6.8;
    image.endSeconds = 6.8;
    image.note = "no container runtime (optional step)";

    StepResult package;
    package.name = "package";
    package.kind = StepKind::Tar;
    package.status = StepStatus::NotRun;

    result.steps = {checksum, compile, link, hang, image, package};

    // The compile step's processes as the ledger records them: the driver, the compiler
    // proper (the hungry one, exact peak), and a process killed by a signal.
    ProcessRecord driver;
    driver.step = "compile, \"fast\"\nmode";
    driver.key = "c++ src/heavy.cpp -> build/heavy.o";
    driver.pid = 4101;
    driver.parentPid = 4100;
    driver.executable = "/usr/bin/x86_64-linux-gnu-g++-12";
    driver.argv = {"c++", "-O2", "-c", "src/heavy.cpp", "-o", "build/heavy.o", "-DNAME='a b'"};
    driver.workingDirectory = "/work/demo";
    driver.startSeconds = 0.0012;
    driver.endSeconds = 6.5;
    driver.userCpuSeconds = 0.01;
    driver.systemCpuSeconds = 0.002;
    driver.exitCode = 0;
    driver.peakRssBytes = 4194304;
    driver.peakExact = true;
    driver.execCount = 1;
    ProcessRecord compiler = driver;
    compiler.key = "cc1plus src/heavy.cpp";
    compiler.pid = 4102;
    compiler.parentPid = 4101;
    compiler.executable = "/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus";
    compiler.argv = {"/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus", "-quiet", "src/heavy.cpp", "-o", "/tmp/cc1.s"};
    compiler.argvTruncated = true;
    compiler.argvBytes = 98765;
    compiler.peakRssBytes = 427718656;
    compiler.userCpuSeconds = 6.1;
    ProcessRecord killed = driver;
    killed.key = "sleep 60";
    killed.pid = 4103;
    killed.argv = {"sleep", "60"};
    killed.exitCode.reset();
    killed.signal = 9;
    killed.peakExact = false;
    killed.peakRssBytes = 0;
    killed.note = "killed by SIGKILL: no exit stop, peak as last read";
    result.processes = {driver, compiler, killed};

    PoolStatistics io;
    io.name = "io.4KiB";
    io.classBytes = 4096;
    io.acquires = 10;
    io.hits = 7;
    io.misses = 3;
    io.releases = 10;
    io.discards = 1;
    io.retainedBytes = 8192;
    io.retainedHighWaterBytes = 12288;
    io.maxRetainedBytes = 1048576;
    PoolStatistics unused;
    unused.name = "io.64KiB";
    unused.classBytes = 65536;
    unused.maxRetainedBytes = 4194304;
    result.pools = {io, unused};

    OperationStatistics fingerprint;
    fingerprint.name = "fingerprint";
    fingerprint.count = 3;
    fingerprint.wallTotalNs = 1'234'567;
    fingerprint.wallMinNs = 300'000;
    fingerprint.wallMaxNs = 500'000;
    fingerprint.wallP50Ns = 400'000;
    fingerprint.wallP95Ns = 498'000;
    fingerprint.wallP99Ns = 499'000;
    fingerprint.cpuTimedCount = 3;
    fingerprint.cpuTotalNs = 1'100'000;
    fingerprint.allocations = 7;
    fingerprint.allocatedBytes = 1000;
    OperationStatistics tar;
    tar.name = "tar";
    tar.count = 1;
    tar.wallTotalNs = 2'000'001;
    tar.wallP50Ns = 2'000'001;
    tar.wallP95Ns = 2'000'001;
    tar.wallP99Ns = 2'000'001;
    tar.allocations = 1;
    tar.allocatedBytes = 65536;
    result.operations = {fingerprint, tar};

    result.heap.installed = true;
    result.heap.totals = {3195, 2100, 3866624, 2666313};
    result.heap.liveBytes = 1200311;
    result.heap.peakLiveBytes = 1992294;
    result.heapPeakLiveBytes = 1992294;
    result.enginePeakRssBytes = 11744051;
    result.treePeakRssBytes = 427718656;
    return result;
}

inline SampleTable sampleColumns()
{
    SampleTable table;
    table.series = {{"engine_rss_bytes", "bytes"}, {"engine_peak_rss_bytes", "bytes"}, {"tree_rss_bytes", "bytes"},
        {"tree_processes", "processes"}, {"heap_live_bytes", "bytes"}, {"heap_allocations", "count"},
        {"io.4KiB.acquires", "count"}, {"io.4KiB.hits", "count"}, {"io.4KiB.retained_bytes", "bytes"}};
    table.maxColumns = {"tree_rss_bytes", "engine_rss_bytes", "heap_live_bytes"};
    return table;
}

// Rows [first, first + count): 1 s buckets for the first 20 rows (means with long
// fractions), raw rows after; tree columns empty (NaN) outside steps; step names with
// quotes, commas and newlines.
inline SampleTable sampleRows(std::size_t first, std::size_t count)
{
    SampleTable table = sampleColumns();
    for (std::size_t i = first; i < first + count; ++i) {
        SampleTable::Row row;
        const double t = i < 20 ? static_cast<double>(i) : 20.0 + static_cast<double>(i - 20) * 0.05;
        row.seconds = std::round(t * 1e9) / 1e9;
        row.bucketSeconds = i < 20 ? 0.95 : 0;
        row.samples = i < 20 ? 20 : 1;
        const bool inStep = i % 7 != 0;
        row.step = !inStep ? "" : (i % 2 ? "compile, \"fast\"\nmode" : "link");
        const double x = static_cast<double>(i);
        const double tree = inStep ? 1.0e8 + x * 4096.0 + (i < 20 ? 1.0 / 3.0 : 0.0) : kNaN;
        const double engine = 1.1e7 + x * 13.0 + (i < 20 ? 0.123456789012345 : 0.0);
        const double heap = 1.2e6 + x * 8.0;
        row.values = {engine, 1.2e7, tree, inStep ? x : kNaN, heap, 3000.0 + x, x, x * 0.7, 8192.0};
        row.maxima = {inStep ? tree + 512.0 : kNaN, engine + 1.0, heap + 64.0};
        table.rows.push_back(std::move(row));
    }
    return table;
}

inline std::vector<LogEntry> logEntries(std::size_t count)
{
    std::vector<LogEntry> entries;
    for (std::size_t i = 0; i < count; ++i) {
        LogEntry entry;
        entry.sequence = i;
        entry.seconds = static_cast<double>(i) * 0.01;
        entry.level = i % 11 == 0 ? LogLevel::Warning : LogLevel::Info;
        entry.stream = i % 3 == 0 ? LogStream::Stderr : LogStream::Stdout;
        entry.step = "compile, \"fast\"\nmode";
        entry.text = "line " + std::to_string(i) + (i % 5 == 0 ? std::string(" \xff\xfe not UTF-8") : std::string());
        entries.push_back(std::move(entry));
    }
    return entries;
}

// Doubles as bit patterns, so NaN equals NaN and -0 differs from 0.
inline std::string bits(double value)
{
    std::ostringstream out;
    out << std::hex << std::bit_cast<std::uint64_t>(value);
    return out.str();
}

// Every field of a RunResult, one per line: QCOMPARE of two dumps shows what differs.
inline std::string dump(const RunResult& r)
{
    std::ostringstream out;
    auto ns = [](std::chrono::system_clock::time_point t) {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
    };
    auto optional = [](const std::optional<int>& value) { return value ? std::to_string(*value) : std::string("-"); };
    out << "spec " << r.specName << " | " << r.specFile.string() << " | " << r.context.string() << '\n'
        << "digest " << r.digest << " | " << r.imageUri << '\n'
        << "host " << r.host.hostname << " | " << r.host.os << " | " << r.host.cpus << " | " << r.host.memoryBytes
        << '\n'
        << "time " << ns(r.startedAt) << " .. " << ns(r.endedAt) << '\n'
        << "status " << runStatusName(r.status) << " | " << r.failure << '\n'
        << "hz " << bits(r.sampleHz) << '\n'
        << "heap " << r.heap.installed << r.heap.paused << ' ' << r.heap.totals.allocations << ' '
        << r.heap.totals.frees << ' ' << r.heap.totals.bytesAllocated << ' ' << r.heap.totals.bytesFreed << ' '
        << r.heap.liveBytes << ' ' << r.heap.peakLiveBytes << ' ' << r.heapPeakLiveBytes << '\n'
        << "rss " << r.enginePeakRssBytes << ' ' << r.treePeakRssBytes << '\n';
    for (const auto& [key, value] : r.labels)
        out << "label " << key << '=' << value << '\n';
    for (const StepResult& s : r.steps)
        out << "step " << s.name << " | " << stepKindName(s.kind) << ' ' << stepStatusName(s.status) << ' '
            << bits(s.startSeconds) << ' ' << bits(s.endSeconds) << ' ' << optional(s.exitCode) << ' '
            << optional(s.signal) << ' ' << bits(s.userCpuSeconds) << ' ' << bits(s.systemCpuSeconds) << ' '
            << s.peakRssBytes << ' ' << s.peakIsProcessTree << ' ' << s.engineAllocations << ' '
            << s.engineAllocatedBytes << " | " << s.note << '\n';
    for (const ProcessRecord& p : r.processes) {
        out << "process " << p.step << " | " << p.key << " | " << p.pid << ' ' << p.parentPid << ' ' << p.executable
            << ' ' << p.argvTruncated << ' ' << p.argvBytes << ' ' << p.workingDirectory << ' ' << bits(p.startSeconds)
            << ' ' << bits(p.endSeconds) << ' ' << bits(p.userCpuSeconds) << ' ' << bits(p.systemCpuSeconds) << ' '
            << optional(p.exitCode) << ' ' << optional(p.signal) << ' ' << p.peakRssBytes << ' ' << p.peakExact << ' '
            << p.execCount << " | " << p.note << " |";
        for (const std::string& argument : p.argv)
            out << " [" << argument << ']';
        out << '\n';
    }
    for (const PoolStatistics& p : r.pools)
        out << "pool " << p.name << ' ' << p.classBytes << ' ' << p.acquires << ' ' << p.hits << ' ' << p.misses << ' '
            << p.releases << ' ' << p.discards << ' ' << p.retainedBytes << ' ' << p.retainedHighWaterBytes << ' '
            << p.maxRetainedBytes << '\n';
    for (const OperationStatistics& o : r.operations)
        out << "op " << o.name << ' ' << o.count << ' ' << o.wallTotalNs << ' ' << o.wallMinNs << ' ' << o.wallMaxNs
            << ' ' << o.wallP50Ns << ' ' << o.wallP95Ns << ' ' << o.wallP99Ns << ' ' << o.cpuTimedCount << ' '
            << o.cpuTotalNs << ' ' << o.allocations << ' ' << o.allocatedBytes << '\n';
    return out.str();
}

inline std::string dump(const SampleTable& table)
{
    std::ostringstream out;
    for (const SeriesSpec& s : table.series)
        out << "series " << s.name << ' ' << s.unit << '\n';
    for (const std::string& m : table.maxColumns)
        out << "max " << m << '\n';
    for (const SampleTable::Row& row : table.rows) {
        out << bits(row.seconds) << ' ' << bits(row.bucketSeconds) << ' ' << row.samples << ' ' << row.step << ':';
        for (double v : row.values)
            out << ' ' << bits(v);
        out << " |";
        for (double v : row.maxima)
            out << ' ' << bits(v);
        out << '\n';
    }
    return out.str();
}

inline std::string readAll(const std::filesystem::path& file)
{
    // Not istreambuf_iterator: GCC 12 at -O2 warns of a null dereference inside libstdc++.
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

inline void writeAll(const std::filesystem::path& file, const std::string& bytes)
{
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

// Raw SQL on a store, outside RunHistory, through a connection of its own that is closed
// again before returning (so no connection is open when a test forks).
inline QVariant rawScalar(const std::filesystem::path& file, const QString& sql)
{
    static int counter = 0;
    const QString name = QStringLiteral("raw-%1").arg(++counter);
    QVariant value;
    {
        QSqlDatabase database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        database.setDatabaseName(QString::fromStdString(file.string()));
        if (database.open()) {
            QSqlQuery query(database);
            if (query.exec(sql) && query.next())
                value = query.value(0);
            else if (!query.lastError().isValid())
                value = QVariant();
            else
                value = QStringLiteral("error: ") + query.lastError().text();
        }
        database.close();
    }
    QSqlDatabase::removeDatabase(name);
    return value;
}

inline int rawCount(const std::filesystem::path& file, const char* table)
{
    return rawScalar(file, QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table))).toInt();
}

inline const char* const kTables[]
    = {"runs", "labels", "steps", "operations", "pools", "sample_columns", "samples", "log_tail"};

inline std::string tableCounts(const std::filesystem::path& file)
{
    std::string counts;
    for (const char* table : kTables)
        counts += std::string(table) + "=" + std::to_string(rawCount(file, table)) + " ";
    return counts;
}

inline void writeString(int fd, const std::string& text)
{
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n <= 0)
            break;
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

inline std::string readString(int fd)
{
    std::string text;
    char buffer[512];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0)
            break;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
}

// Runs `check` in a forked child and returns what it returned (or "unexpected exception:
// ..."). With `asNobody`, the child first drops to nobody (65534) when running as root,
// so that file permissions apply. The parent must hold no open connection to the store
// the child uses: SQLite connections and their lock state must not cross a fork.
inline std::string runInChild(const std::function<std::string()>& check, bool asNobody)
{
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
        if (asNobody && ::geteuid() == 0
            && (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)) {
            out = "could not drop privileges";
        } else {
            try {
                out = check();
            } catch (const std::exception& e) {
                out = std::string("unexpected exception: ") + e.what();
            }
        }
        writeString(fds[1], out);
        ::_exit(0); // no atexit handlers, no Qt teardown, no leak check in the child
    }
    ::close(fds[1]);
    const std::string result = readString(fds[0]);
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return "child failed: " + result;
    return result;
}

} // namespace buildscope::testing
