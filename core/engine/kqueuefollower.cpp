// The platform-independent half of the macOS ledger: kqueue's notes to process records.
// The system calls are behind ProcessInspector (processledger_macos.cpp on a Mac, a fake
// in tests/engine/tst_kqueuefollower.cpp on Linux).
#include "engine/kqueuefollower.h"

#include "engine/processledger.h"

#include <csignal>

namespace buildscope {

namespace {

// A wait status that is neither an exit nor a signal (a stop): the record then has neither.
constexpr int kUnknownStatus = 0x7f | (SIGSTOP << 8);

} // namespace

double machTicksToSeconds(std::uint64_t ticks, std::uint32_t numer, std::uint32_t denom)
{
    if (denom == 0)
        return static_cast<double>(ticks) * 1e-9;
    return static_cast<double>(ticks) * static_cast<double>(numer) / static_cast<double>(denom) * 1e-9;
}

KqueueFollower::KqueueFollower(ProcessLedger& ledger, ProcessInspector& system)
    : m_ledger(ledger)
    , m_system(system)
{ }

void KqueueFollower::adoptRoot(pid_t root, pid_t parent)
{
    m_ledger.m_root = root;
    m_ledger.trackProcess(root, parent);
}

bool KqueueFollower::done() const
{
    return m_ledger.m_tracked.empty();
}

void KqueueFollower::handle(const ProcessNote& note)
{
    const auto it = m_ledger.m_tracked.find(note.pid);
    if (it == m_ledger.m_tracked.end())
        return; // a pid we no longer follow (its exit was handled), or never did
    m_ledger.killIfKilling(note.pid, it->second);
    // One kevent can carry several notes; they happened in this order.
    if (note.exec)
        onExec(note.pid);
    if (note.fork)
        onFork(note.pid);
    if (note.exit)
        onExit(note.pid, note.pid == m_ledger.m_root ? note.exitStatus : kUnknownStatus);
}

void KqueueFollower::onFork(pid_t parent)
{
    for (const pid_t child : m_system.children(parent)) {
        if (m_ledger.m_tracked.count(child))
            continue;
        ProcessLedger::Tracked& process = m_ledger.trackProcess(child, parent);
        if (!m_system.watch(child, false)) {
            m_ledger.endProcess(child, process, kUnknownStatus, {}); // gone before it could be watched
            m_ledger.untrack(child);
            continue;
        }
        // It may have exec'd already: its image is then what it runs now, not its parent's.
        const auto from = m_ledger.m_tracked.find(parent);
        const std::string path = m_system.executable(child);
        if (!path.empty() && from != m_ledger.m_tracked.end()
            && m_ledger.m_records[from->second.record].executable != path)
            onExec(child);
    }
}

void KqueueFollower::onExec(pid_t pid)
{
    ProcessLedger::Tracked& process = m_ledger.m_tracked.at(pid);
    const std::optional<ProcessInspector::Usage> usage = m_system.usage(pid);
    const std::size_t index
        = m_ledger.beginImage(pid, process, usage ? usage->userSeconds : 0, usage ? usage->systemSeconds : 0);
    m_system.readImage(pid, m_ledger.m_records[index]);
    m_ledger.publish(process, ProcessRecordEvent::Started);
    if (pid == m_ledger.m_root && !m_ledger.m_rootExeced) {
        m_ledger.m_rootExeced = true;
        m_ledger.readStartError();
        m_ledger.reportStart(pid, {});
    }
}

void KqueueFollower::onExit(pid_t pid, int status)
{
    ProcessLedger::Tracked& process = m_ledger.m_tracked.at(pid);
    // Read from the zombie, before anyone reaps it: after its last allocation, as exact as
    // Linux's exit stop. A parent that reaped it first leaves nothing to read.
    if (const std::optional<ProcessInspector::Usage> usage = m_system.usage(pid)) {
        process.peakBytes = usage->peakBytes;
        process.peakExact = true;
        process.exitUser = usage->userSeconds;
        process.exitSystem = usage->systemSeconds;
        process.exitCpuKnown = true;
    }
    rusage rootUsage {};
    const bool root = pid == m_ledger.m_root;
    if (root) {
        status = m_system.reap(pid, rootUsage);
        if (!m_ledger.m_rootExeced) {
            m_ledger.dropRoot();
            m_ledger.untrack(pid);
            m_ledger.reportStart(-1, m_ledger.readStartError());
            m_ledger.reportRootExit(status, rootUsage);
            return;
        }
    } else {
        ProcessRecord& record = m_ledger.m_records[process.record];
        record.note += record.note.empty() ? "" : "; ";
        record.note += kExitStatusUnknown;
    }
    m_ledger.endProcess(pid, process, status, rootUsage);
    m_ledger.untrack(pid);
    if (root)
        m_ledger.reportRootExit(status, rootUsage);
}

void KqueueFollower::sweepVanished()
{
    std::vector<pid_t> gone;
    for (const auto& [pid, process] : m_ledger.m_tracked) {
        if (pid != m_ledger.m_root && !m_system.alive(pid))
            gone.push_back(pid);
    }
    for (const pid_t pid : gone) {
        m_ledger.endProcess(pid, m_ledger.m_tracked.at(pid), kUnknownStatus, {});
        m_ledger.untrack(pid);
    }
}

} // namespace buildscope
