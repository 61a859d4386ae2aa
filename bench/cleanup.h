// Everything the bench must undo on any exit: its temp dirs (its children
// die with it: common/child_process.h, ChildOptions::die_with_parent).
//
// InstallCleanupOnSignals() blocks SIGINT, SIGTERM and SIGHUP in the calling
// thread (call it first in main, before any thread starts, so every thread
// inherits the mask) and starts a thread that waits for them: on a signal it
// removes every registered dir and exits 130.
// Normal paths unregister what they cleaned up themselves.
#pragma once

#include <string>

namespace driftline::bench {

void InstallCleanupOnSignals();

void RegisterTempDir(const std::string& dir);
void UnregisterTempDir(const std::string& dir);

}  // namespace driftline::bench
