#include "bench/cleanup.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

namespace driftline::bench {
namespace {

std::mutex mu;
std::set<std::string>& Dirs() {
  static std::set<std::string> s;
  return s;
}

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

void CleanUpAndExit(int signal) {
  std::lock_guard<std::mutex> lock(mu);
  for (const auto& dir : Dirs()) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::fprintf(stderr, "driftline_bench: interrupted by signal %d; temp dirs removed (children die with the bench)\n",
               signal);
  std::fflush(stderr);
  _exit(130);
}

}  // namespace

void InstallCleanupOnSignals() {
  sigset_t set = StopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set] {
    int signal = 0;
    if (sigwait(&set, &signal) == 0) CleanUpAndExit(signal);
  }).detach();
}

void RegisterTempDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu);
  Dirs().insert(dir);
}
void UnregisterTempDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu);
  Dirs().erase(dir);
}


}  // namespace driftline::bench
