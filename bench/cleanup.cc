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
std::set<pid_t>& Children() {
  static std::set<pid_t> s;
  return s;
}
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
  for (pid_t pid : Children()) StopProcess(pid, 2000);
  for (const auto& dir : Dirs()) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::fprintf(stderr, "driftline_bench: interrupted by signal %d; children stopped, temp dirs removed\n",
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

void RegisterChild(pid_t pid) {
  std::lock_guard<std::mutex> lock(mu);
  Children().insert(pid);
}
void UnregisterChild(pid_t pid) {
  std::lock_guard<std::mutex> lock(mu);
  Children().erase(pid);
}
void RegisterTempDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu);
  Dirs().insert(dir);
}
void UnregisterTempDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu);
  Dirs().erase(dir);
}

int StopProcess(pid_t pid, int grace_ms) {
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) == pid) return status;
  kill(pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  return waitpid(pid, &status, 0) == pid ? status : -1;
}

}  // namespace driftline::bench
