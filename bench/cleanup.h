// Everything the bench must undo on any exit: child processes and temp dirs.
//
// InstallCleanupOnSignals() blocks SIGINT, SIGTERM and SIGHUP in the calling
// thread (call it first in main, before any thread starts, so every thread
// inherits the mask) and starts a thread that waits for them: on a signal it
// stops every registered child, removes every registered dir and exits 130.
// Normal paths unregister what they cleaned up themselves.
#pragma once

#include <sys/types.h>

#include <string>

namespace driftline::bench {

void InstallCleanupOnSignals();

void RegisterChild(pid_t pid);
void UnregisterChild(pid_t pid);
void RegisterTempDir(const std::string& dir);
void UnregisterTempDir(const std::string& dir);

// SIGTERM, then SIGKILL after `grace_ms`; reaps the child. Returns its exit
// status as waitpid reports it, or -1 when it could not be reaped.
int StopProcess(pid_t pid, int grace_ms);

}  // namespace driftline::bench
