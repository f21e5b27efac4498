#pragma once

#include <mutex>
#include <shared_mutex>

namespace buildscope::io {

// No descriptor of the engine may reach a build process: every one is close-on-exec from
// the moment it exists. open() and openat() take O_CLOEXEC on Linux and macOS alike;
// pipes, sockets and accepted connections do not on macOS (no pipe2, SOCK_CLOEXEC or
// accept4), so they are made here in two steps (create, then FD_CLOEXEC) under a lock that
// every fork() of the engine takes exclusively: no child can be forked between the steps.
// One POSIX path on both systems, so the one tested on Linux is the one macOS runs.
// Each returns the descriptor (pipe: 0 and fds filled), or -1 with errno set.
int openPipe(int (&fds)[2]) noexcept;
int openSocket(int domain, int type, int protocol) noexcept;
int acceptConnection(int listeningSocket) noexcept;

// Held across fork(): waits for descriptors being made close-on-exec, keeps new ones from
// starting until the child exists. The child must not touch it (it only execs or _exits).
std::unique_lock<std::shared_mutex> holdForFork();

} // namespace buildscope::io
